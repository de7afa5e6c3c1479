using System.Net;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Vpn.ConnectSecure;
using RemoteOps.Core.FortiOs;
using Xunit;

namespace RemoteOps.Core.Tests.Rest
{
    public sealed class VendorErrorParserTests
    {
        [Theory]
        [InlineData(-3, ApplianceErrorKind.NotFound, "entry not found")]
        [InlineData(-5, ApplianceErrorKind.AlreadyExists, "a duplicate entry already exists")]
        [InlineData(-23, ApplianceErrorKind.InUse, "entry is used by another object")]
        [InlineData(-651, ApplianceErrorKind.InvalidRequest, "input value is invalid")]
        public void FortiOSCliCodesClassifyTheFailureWhateverTheHTTPStatus(int code, ApplianceErrorKind kind, string meaning)
        {
            var response = Response(500, $"{{\"status\":\"error\",\"http_status\":500,\"error\":{code},\"cli_error\":\"node_check_object fail\"}}");

            Assert.Equal(kind, FortiOsErrorParser.Instance.Classify(response));
            Assert.Equal($"FortiOS error {code} ({meaning}): node_check_object fail", FortiOsErrorParser.Instance.ErrorText(response));
        }

        [Fact]
        public void AnUnknownFortiOSCodeLeavesTheClassificationToTheHTTPStatus()
        {
            var response = Response(424, "{\"status\":\"error\",\"error\":-94}");

            Assert.Null(FortiOsErrorParser.Instance.Classify(response));
            Assert.Equal("FortiOS error -94", FortiOsErrorParser.Instance.ErrorText(response));
        }

        [Fact]
        public void ConnectSecureErrorsAreReadFromTheResultEnvelope()
        {
            var response = Response(422, "{\"result\":{\"errors\":[{\"message\":\"User is referenced by rule 'staff'\"},{\"message\":\"second\"}]}}");

            Assert.Equal("User is referenced by rule 'staff'; second", ConnectSecureErrorParser.Instance.ErrorText(response));
            Assert.Null(ConnectSecureErrorParser.Instance.Classify(response));
        }

        [Fact]
        public void TheGenericParserReadsMessageFieldsAndIgnoresBodiesThatAreNotJson()
        {
            Assert.Equal("busy", JsonErrorParser.Instance.ErrorText(Response(503, "{\"detail\":{\"message\":\"busy\"}}")));
            Assert.Null(JsonErrorParser.Instance.ErrorText(Response(502, "<html>Bad gateway</html>")));
        }

        [Fact]
        public void TheRESTClientUsesTheDriversParserForKindAndText()
        {
            using (var client = new RestClient(new System.Uri("https://fgt.test"), TlsTrust.SystemValidation, new RestRetryPolicy(), System.TimeSpan.FromSeconds(5), null, new NoNetworkHandler(), 1, FortiOsErrorParser.Instance))
            {
                var error = Assert.Throws<ApplianceException>(() => client.EnsureSuccess(Response(500, "{\"status\":\"error\",\"error\":-5}"), "Creating user 'jo'"));

                Assert.Equal(ApplianceErrorKind.AlreadyExists, error.Kind);
                Assert.Contains("Creating user 'jo' failed on https://fgt.test/: HTTP 500: FortiOS error -5 (a duplicate entry already exists).", error.Message);
            }
        }

        private static RestResponse Response(int code, string body) => new RestResponse((HttpStatusCode)code, body, null);

        private sealed class NoNetworkHandler : System.Net.Http.HttpMessageHandler
        {
            protected override System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, System.Threading.CancellationToken cancellationToken) =>
                throw new System.InvalidOperationException("No request may be sent in this test.");
        }
    }
}
