using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class RemoteAccessDiagnosisTests
    {
        [Theory]
        [InlineData("jsmith;reboot")]
        [InlineData("../etc/passwd")]
        [InlineData("j smith")]
        [InlineData("-rf")]
        [InlineData("")]
        public void AHostileUserNameIsRefusedBeforeAnyCheck(string name)
        {
            var error = Assert.Throws<ArgumentException>(() => new RemoteAccessRequest(name));
            Assert.Contains("not a valid VPN user name", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ACheckThatThrowsIsReportedAndHidesNoOther()
        {
            var checks = new IRemoteAccessCheck[]
            {
                ScriptedCheck.Throwing("Sessions", new ApplianceException(ApplianceErrorKind.AuthenticationFailed, "403 Forbidden")),
                ScriptedCheck.Returning("VpnAccount", RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountDisabled),
            };

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), checks, CancellationToken.None);

            Assert.Equal(2, verdict.Checks.Length);
            Assert.Equal(RemoteAccessCheckStatus.CouldNotRun, verdict.Checks[0].Status);
            Assert.Contains("403 Forbidden", verdict.Checks[0].Evidence, StringComparison.Ordinal);
            Assert.Contains("Connect-RoAppliance", verdict.Checks[0].NextStep, StringComparison.Ordinal);
            Assert.Equal(RemoteAccessCause.AccountDisabled, verdict.Cause);
            Assert.False(verdict.CanSignIn);
        }

        [Fact]
        public async Task AnApplianceThatDoesNotAnswerIsTheVerdict()
        {
            var checks = new IRemoteAccessCheck[]
            {
                ScriptedCheck.Throwing("VpnAccount", new ApplianceException(ApplianceErrorKind.Unreachable, "connection refused")),
                ScriptedCheck.Returning("Gateway", RemoteAccessCheckStatus.Passed, RemoteAccessCause.None),
            };

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), checks, CancellationToken.None);

            Assert.Equal(RemoteAccessCause.ApplianceDown, verdict.Cause);
            Assert.Contains("does not answer", verdict.Summary, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ChecksRunAtTheSameTime()
        {
            // Each check waits for the other to start: run one after the other, they would never finish.
            var first = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var second = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            IRemoteAccessCheck Waiting(string name, TaskCompletionSource<bool> mine, TaskCompletionSource<bool> other) =>
                new ScriptedCheck(name, "t", async (r, token) =>
                {
                    mine.TrySetResult(true);
                    await other.Task.WaitAsync(TimeSpan.FromSeconds(10), token);
                    return RemoteAccessCheckResult.Passed(name, "t", "ok");
                });

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"),
                new[] { Waiting("A", first, second), Waiting("B", second, first) }, CancellationToken.None);

            Assert.All(verdict.Checks, c => Assert.Equal(RemoteAccessCheckStatus.Passed, c.Status));
            Assert.True(verdict.CanSignIn);
            Assert.Equal(RemoteAccessCause.None, verdict.Cause);
        }

        [Fact]
        public async Task ThePasswordNeverAppearsInEvidenceOrNextStep()
        {
            const string password = "Tr0ub4dor&3-horse";
            var echoing = new ScriptedCheck("SignIn", "gw", (r, t) => Task.FromResult(RemoteAccessCheckResult.Found("SignIn", "gw",
                RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword, $"server said: bad password {password}", $"not {password}")));
            var throwing = ScriptedCheck.Throwing("VpnAccount", new InvalidOperationException($"boom {password}"));

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith", Secrets.Secure(password)),
                new[] { echoing, throwing }, CancellationToken.None);

            string everything = string.Join("\n", verdict.Checks.SelectMany(c => new[] { c.Evidence, c.NextStep }).Concat(new[] { verdict.Summary, verdict.NextStep }));
            Assert.DoesNotContain(password, everything, StringComparison.Ordinal);
            Assert.Contains("***", everything, StringComparison.Ordinal);
        }

        [Fact]
        public async Task OnlyNotAvailableAndPassedChecksMeanNoProblemFound()
        {
            var checks = new IRemoteAccessCheck[]
            {
                ScriptedCheck.Returning("VpnAccount", RemoteAccessCheckStatus.Passed, RemoteAccessCause.None),
                new RemoteOps.Core.Diagnostics.Checks.LaptopComplianceCheck(),
            };

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), checks, CancellationToken.None);

            Assert.True(verdict.CanSignIn);
            Assert.StartsWith("No problem found", verdict.Summary, StringComparison.Ordinal);
            Assert.Equal(RemoteAccessCheckStatus.NotAvailable, verdict.Checks[1].Status);
            Assert.Contains("No laptop inventory was given", verdict.Checks[1].Evidence, StringComparison.Ordinal);
            Assert.Equal("1 passed, 1 not available", verdict.CheckCounts);
        }

        [Fact]
        public async Task ACheckThatCouldNotRunIsNamedWhenNothingElseIsFound()
        {
            var checks = new IRemoteAccessCheck[]
            {
                ScriptedCheck.Returning("VpnAccount", RemoteAccessCheckStatus.Passed, RemoteAccessCause.None),
                ScriptedCheck.Throwing("SecondFactor", new ApplianceException(ApplianceErrorKind.Failed, "500")),
            };

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), checks, CancellationToken.None);

            Assert.False(verdict.CanSignIn);
            Assert.Equal(RemoteAccessCause.CheckNotMade, verdict.Cause);
            Assert.Contains("SecondFactor check", verdict.Summary, StringComparison.Ordinal);
        }
    
        [Fact]
        public async Task AnApplianceThatRefusesConnectionsIsNamedDownWithoutWaitingOutItsRetries()
        {
            // The connection's own policy would retry for half a minute.
            var patient = new RestRetryPolicy { MaxAttempts = 8, BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(30) };
            int attempts = 0;
            var refusing = new DelegatingAnswer(() =>
            {
                Interlocked.Increment(ref attempts);
                throw new System.Net.Http.HttpRequestException("Connection refused");
            });
            using (var client = new RestClient(new Uri("https://appliance.test"), null, patient, TimeSpan.FromSeconds(30), null, refusing))
            {
                var check = new ScriptedCheck("VpnAccount", "ConnectSecure appliance.test", async (r, token) =>
                {
                    await client.SendAsync(System.Net.Http.HttpMethod.Get, "/api/v1/users", null, token);
                    return RemoteAccessCheckResult.Passed("VpnAccount", "ConnectSecure appliance.test", "read");
                });
                var clock = System.Diagnostics.Stopwatch.StartNew();

                RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), new IRemoteAccessCheck[] { check }, CancellationToken.None);

                Assert.Equal(RemoteAccessCause.ApplianceDown, verdict.Cause);
                Assert.Equal(1, attempts);
                Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
            }
        }

        [Theory]
        [InlineData("timeout")]
        [InlineData("refused")]
        public async Task ALoginThatGetsNoAnswerInsideACheckNamesTheApplianceDown(string how)
        {
            Exception error = how == "timeout"
                ? new TaskCanceledException("no answer within 3 s")
                : (Exception)new System.Net.Http.HttpRequestException("Connection refused");
            var checks = new IRemoteAccessCheck[] { ScriptedCheck.Throwing("VpnAccount", error) };

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), checks, CancellationToken.None);

            Assert.Equal(RemoteAccessCause.ApplianceDown, verdict.Cause);
            Assert.Contains(error.Message, verdict.Checks[0].Evidence, StringComparison.Ordinal);
        }

        [Fact(Timeout = 30000)]
        public async Task ACheckThatDoesNotFinishInTimeIsStoppedAndTheVerdictIsGivenWithoutIt()
        {
            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var slow = new ScriptedCheck("LaptopCompliance", "user's laptop", async (r, token) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                    stopped.TrySetResult(true);
                    throw;
                }

                return null;
            });
            var checks = new IRemoteAccessCheck[] { slow, ScriptedCheck.Returning("VpnAccount", RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountDisabled) };

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith") { CheckTimeout = TimeSpan.FromMilliseconds(200) }, checks, CancellationToken.None);

            // The check's own work is told to stop too (it may notice a moment after the verdict).
            Assert.True(await stopped.Task);
            Assert.Equal(RemoteAccessCheckStatus.CouldNotRun, verdict.Checks[0].Status);
            Assert.Contains("did not finish within 0.2 s", verdict.Checks[0].Evidence, StringComparison.Ordinal);
            Assert.Contains("-CheckTimeoutSec", verdict.Checks[0].NextStep, StringComparison.Ordinal);
            Assert.Equal(RemoteAccessCause.AccountDisabled, verdict.Cause);
        }

        [Fact(Timeout = 30000)]
        public async Task ACheckThatIgnoresTheStopStillDoesNotHoldUpTheVerdict()
        {
            var never = new TaskCompletionSource<RemoteAccessCheckResult>();
            var checks = new IRemoteAccessCheck[] { new ScriptedCheck("VpnSignIn", "appliance.test", (r, token) => never.Task) };

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith") { CheckTimeout = TimeSpan.FromMilliseconds(200) }, checks, CancellationToken.None);

            Assert.Equal(RemoteAccessCheckStatus.CouldNotRun, verdict.Checks[0].Status);
            Assert.Equal(RemoteAccessCause.CheckNotMade, verdict.Cause);
        }

        [Fact]
        public async Task AStopByTheCallerIsNotReportedAsASlowCheck()
        {
            using (var caller = new CancellationTokenSource())
            {
                var checks = new IRemoteAccessCheck[] { new ScriptedCheck("VpnSignIn", "appliance.test", async (r, token) => { caller.Cancel(); await Task.Delay(Timeout.Infinite, token); return null; }) };

                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), checks, caller.Token));
            }
        }

        private sealed class DelegatingAnswer : System.Net.Http.HttpMessageHandler
        {
            private readonly Func<System.Net.Http.HttpResponseMessage> answer;

            internal DelegatingAnswer(Func<System.Net.Http.HttpResponseMessage> answer)
            {
                this.answer = answer;
            }

            protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(answer());
        }
    }
}
