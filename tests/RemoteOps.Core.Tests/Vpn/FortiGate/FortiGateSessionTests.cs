using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    public sealed class FortiGateSessionTests
    {
        [Fact]
        public async Task MapsWebSessionsAndTheirTunnels()
        {
            var handler = Appliance().On(Get, SessionsPath, Answers.Json(200, Envelope(new JArray(Session(3, "jo.bloggs"), Session(4, "ann.other")))));
            using (var appliance = await OpenAsync(handler))
            {
                var sessions = await appliance.GetSessionsAsync(null, CancellationToken.None);
                VpnSession jo = sessions.Single(s => s.UserName == "jo.bloggs");

                Assert.Equal(2, sessions.Count);
                Assert.Equal("3", jo.SessionId);
                Assert.Equal("203.0.113.7", jo.ClientAddress);
                Assert.Equal("10.212.134.200", jo.TunnelAddress);
                Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero), jo.SignInTime);
                Assert.False(jo.SignInTimeZoneKnown);
                Assert.Equal(1000, jo.BytesIn);
                Assert.Equal(2000, jo.BytesOut);
                Assert.Equal("tunnel", jo.Agent);
                Assert.Equal("fgt-a", jo.Node);
                Assert.Equal("ann.other", (await appliance.GetSessionsAsync("ann.other", CancellationToken.None)).Single().UserName);
            }
        }

        [Fact]
        public async Task EndsAWebSessionByItsIndexAfterCheckingItIsStillTheSameSignIn()
        {
            var handler = Appliance()
                .On(Get, SessionsPath, Answers.Json(200, Envelope(new JArray(Session(3, "jo.bloggs")))))
                .On(Post, KickPath, Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSession session = (await appliance.GetSessionsAsync("jo.bloggs", CancellationToken.None)).Single();

                Assert.True(await appliance.DisconnectSessionAsync(session, CancellationToken.None));

                JObject body = handler.RequestsTo(Post, KickPath).Single().Json;
                Assert.Equal("websession", (string)body["type"]);
                Assert.Equal(JTokenType.Integer, body["index"].Type);
                Assert.Equal(3, (int)body["index"]);
                Assert.Equal(2, handler.RequestsTo(Get, SessionsPath).Count);
            }
        }

        [Fact]
        public async Task AnIndexReusedByAnotherUserIsNotEnded()
        {
            // Jo's session 3 ended; Ann signed in meanwhile and got index 3.
            var handler = Appliance()
                .On(Get, SessionsPath,
                    Answers.Json(200, Envelope(new JArray(Session(3, "jo.bloggs")))),
                    Answers.Json(200, Envelope(new JArray(Session(3, "ann.other", "198.51.100.20", "2026-11-30 09:01:12")))))
                .On(Post, KickPath, Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSession jos = (await appliance.GetSessionsAsync("jo.bloggs", CancellationToken.None)).Single();

                Assert.False(await appliance.DisconnectSessionAsync(jos, CancellationToken.None));

                Assert.Empty(handler.RequestsTo(Post, KickPath));
            }
        }

        [Theory]
        [InlineData("198.51.100.20", "2026-11-30 08:15:00")]
        [InlineData("203.0.113.7", "2026-11-30 09:01:12")]
        public async Task AnIndexReusedByANewSignInOfTheSameUserIsNotEnded(string remoteHost, string loginTime)
        {
            var handler = Appliance()
                .On(Get, SessionsPath,
                    Answers.Json(200, Envelope(new JArray(Session(3, "jo.bloggs")))),
                    Answers.Json(200, Envelope(new JArray(Session(3, "jo.bloggs", remoteHost, loginTime)))))
                .On(Post, KickPath, Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSession earlier = (await appliance.GetSessionsAsync("jo.bloggs", CancellationToken.None)).Single();

                Assert.False(await appliance.DisconnectSessionAsync(earlier, CancellationToken.None));

                Assert.Empty(handler.RequestsTo(Post, KickPath));
            }
        }

        [Fact]
        public async Task ASessionThatIsGoneCountsAsAlreadyEnded()
        {
            var handler = Appliance()
                .On(Get, SessionsPath, Answers.Json(200, Envelope(new JArray())))
                .On(Post, KickPath, Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                var session = new VpnSession { SessionId = "3", UserName = "jo.bloggs", Appliance = Address };

                Assert.False(await appliance.DisconnectSessionAsync(session, CancellationToken.None));

                Assert.Empty(handler.RequestsTo(Post, KickPath));
            }
        }

        [Fact]
        public async Task AnEndedSessionIsNotKickedAgainAfterALostAnswer()
        {
            var handler = Appliance()
                .On(Get, SessionsPath, Answers.Json(200, Envelope(new JArray(Session(3, "jo.bloggs")))))
                .On(Post, KickPath, Answers.DropAfterProcessing(_ => { }), Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                var session = new VpnSession { SessionId = "3", UserName = "jo.bloggs" };

                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.DisconnectSessionAsync(session, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
                Assert.Single(handler.RequestsTo(Post, KickPath));
            }
        }

        [Theory]
        [InlineData("abc", "jo.bloggs", null)]
        [InlineData("-1", "jo.bloggs", null)]
        [InlineData("3", null, null)]
        [InlineData("3", "jo.bloggs", "fgt-other.test")]
        public async Task ASessionThatCannotBeCheckedIsRefusedBeforeAnythingIsSent(string index, string userName, string applianceAddress)
        {
            var handler = Appliance();
            using (var appliance = await OpenAsync(handler))
            {
                int sent = handler.Requests.Count;
                var session = new VpnSession { SessionId = index, UserName = userName, Appliance = applianceAddress };

                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.DisconnectSessionAsync(session, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
                Assert.Contains("nothing was disconnected", error.Message);
                Assert.Equal(sent, handler.Requests.Count);
            }
        }
    }
}
