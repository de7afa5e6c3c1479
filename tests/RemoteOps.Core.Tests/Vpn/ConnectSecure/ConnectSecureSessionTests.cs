using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureSessionTests
    {
        [Fact]
        public async Task ReadsEveryPageOfTwoHundredUntilTheLastRecord()
        {
            // ICS 22.x answers at most 200 records a request and pages with number= and start=.
            var handler = Appliance()
                .On(Get, "/api/v1/system/active-users?number=200&start=0", Answers.Json(200, ActiveUsersPage(Records(0, 200), 450, isLast: false)))
                .On(Get, "/api/v1/system/active-users?number=200&start=200", Answers.Json(200, ActiveUsersPage(Records(200, 200), 450, isLast: false)))
                .On(Get, "/api/v1/system/active-users?number=200&start=400", Answers.Json(200, ActiveUsersPage(Records(400, 50), 450, isLast: true)));
            using (var appliance = await OpenAsync(handler))
            {
                var sessions = await appliance.GetSessionsAsync(null, CancellationToken.None);

                Assert.Equal(450, sessions.Count);
                Assert.Equal(450, sessions.Select(s => s.SessionId).Distinct().Count());
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task StopsWhenAFullPageSaysItIsTheLast()
        {
            var handler = Appliance()
                .On(Get, "/api/v1/system/active-users?number=200&start=0", Answers.Json(200, ActiveUsersPage(Records(0, 200), 200, isLast: true)));
            using (var appliance = await OpenAsync(handler))
            {
                Assert.Equal(200, (await appliance.GetSessionsAsync(null, CancellationToken.None)).Count);
                Assert.Single(handler.RequestsTo(Get, "/api/v1/system/active-users"));
            }
        }

        [Fact]
        public async Task MapsTheDocumentedRecordFields()
        {
            var handler = Appliance()
                .On(Get, "/api/v1/system/active-users?number=200&start=0&name=jo.bloggs", Answers.Json(200, ActiveUsersPage(new JArray(ActiveUser("sid-1", "jo.bloggs")), 1, isLast: true)));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSession session = (await appliance.GetSessionsAsync("jo.bloggs", CancellationToken.None)).Single();

                Assert.Equal("sid-1", session.SessionId);
                Assert.Equal("jo.bloggs", session.UserName);
                Assert.Equal("Users", session.Group);
                Assert.Equal("203.0.113.7", session.ClientAddress);
                Assert.Equal("10.10.0.5", session.TunnelAddress);
                Assert.Equal("ics-a", session.Node);
                Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero), session.SignInTime);
                Assert.False(session.SignInTimeZoneKnown);
                Assert.Equal(Address, session.Appliance);
            }
        }

        [Fact]
        public async Task TheSignInTimeInSecondsSince1970IsATrueInstant()
        {
            JObject record = ActiveUser("sid-1", "jo.bloggs");
            record["user-sign-in-time"] = "2023/11/07 02:37:07";
            record["sign-in-time-micro"] = "1699317427.743783";
            var handler = Appliance()
                .On(Get, "/api/v1/system/active-users?number=200&start=0", Answers.Json(200, ActiveUsersPage(new JArray(record), 1, isLast: true)));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSession session = (await appliance.GetSessionsAsync(null, CancellationToken.None)).Single();

                Assert.Equal(new DateTimeOffset(2023, 11, 7, 0, 37, 7, TimeSpan.Zero).AddTicks(7437830), session.SignInTime);
                Assert.Equal(TimeSpan.Zero, session.SignInTime.Value.Offset);
                Assert.True(session.SignInTimeZoneKnown);
            }
        }

        [Fact]
        public async Task EndsASessionWithDeleteAndSaysFalseWhenItWasAlreadyGone()
        {
            var handler = Appliance()
                .On(Delete, "/api/v1/system/active-users/session/sid-1", Answers.Status(204))
                .On(Delete, "/api/v1/system/active-users/session/sid-2", Answers.Status(404));
            using (var appliance = await OpenAsync(handler))
            {
                Assert.True(await appliance.DisconnectSessionAsync(new VpnSession { SessionId = "sid-1", UserName = "jo.bloggs" }, CancellationToken.None));
                Assert.False(await appliance.DisconnectSessionAsync(new VpnSession { SessionId = "sid-2", UserName = "jo.bloggs" }, CancellationToken.None));
            }
        }

        [Fact]
        public async Task ASessionListThatStaysBusyIsRetriedAsAskedThenReportedBusy()
        {
            var handler = Appliance()
                .On(Get, "/api/v1/system/active-users?number=200&start=0", Answers.RetryAfter(429, 0), Answers.Status(503));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetSessionsAsync(null, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.Busy, error.Kind);
                Assert.Equal(FastRetry.MaxAttempts, handler.RequestsTo(Get, "/api/v1/system/active-users").Count);
            }
        }

        private static JArray Records(int first, int count)
            => new JArray(Enumerable.Range(first, count).Select(i => ActiveUser("sid-" + i, "user" + i)));
    }
}
