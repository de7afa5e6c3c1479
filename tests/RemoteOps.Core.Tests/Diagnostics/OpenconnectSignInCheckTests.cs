using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    /// <summary>The sign-in check against a stand-in for openconnect (a shell script) that records what it was given.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class OpenconnectSignInCheckTests
    {
        private const string Password = "Correct-Horse-9";
        private const string Pin = "pin-sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

        [Fact]
        public async Task ThePasswordGoesToStandardInputNeverTheCommandLine()
        {
            using (var dir = new TempDirectory())
            {
                var check = Check(dir, "echo 'COOKIE=webvpn=secretcookie'; exit 0");

                RemoteAccessCheckResult result = await check.RunAsync(new RemoteAccessRequest("jsmith", Secrets.Secure(Password)), CancellationToken.None);

                Assert.Equal(RemoteAccessCheckStatus.Passed, result.Status);
                string argv = File.ReadAllText(dir.File("argv"));
                Assert.DoesNotContain(Password, argv, StringComparison.Ordinal);
                Assert.Contains("--authenticate --non-inter --passwd-on-stdin --protocol=anyconnect --user=jsmith --servercert=" + Pin + " https://198.18.30.11/", argv, StringComparison.Ordinal);
                Assert.Equal(Password, File.ReadAllText(dir.File("stdin")).TrimEnd('\n'));
                Assert.DoesNotContain("secretcookie", result.Evidence, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task ARefusedLoginIsAWrongPasswordWithTheResetCommand()
        {
            using (var dir = new TempDirectory())
            {
                var check = Check(dir, "echo 'Password:' >&2; echo 'Login failed.' >&2; exit 1");

                RemoteAccessCheckResult result = await check.RunAsync(new RemoteAccessRequest("jsmith", Secrets.Secure(Password)), CancellationToken.None);

                Assert.Equal(RemoteAccessCause.WrongPassword, result.Cause);
                Assert.Contains("exit 1; Login failed.", result.Evidence, StringComparison.Ordinal);
                Assert.Contains("Set-RoVpnUser -UserName jsmith -ChangePasswordAtSignIn", result.NextStep, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task NoCredentialMeansNoSignInAndSaysSo()
        {
            using (var dir = new TempDirectory())
            {
                var check = Check(dir, "exit 0");

                RemoteAccessCheckResult result = await check.RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);

                Assert.Equal(RemoteAccessCheckStatus.NotAvailable, result.Status);
                Assert.Contains("-Credential", result.Evidence, StringComparison.Ordinal);
                Assert.False(File.Exists(dir.File("argv")));
            }
        }

        [Fact]
        public async Task AMissingProgramIsACheckThatCouldNotRun()
        {
            var check = new OpenconnectSignInCheck(new Uri("https://198.18.30.11/"), "anyconnect", null) { Program = "/nonexistent/openconnect" };

            RemoteAccessCheckResult result = await check.RunAsync(new RemoteAccessRequest("jsmith", Secrets.Secure(Password)), CancellationToken.None);

            Assert.Equal(RemoteAccessCheckStatus.CouldNotRun, result.Status);
            Assert.Contains("apt-get install openconnect", result.NextStep, StringComparison.Ordinal);
        }

        [Fact]
        public void ValuesThatWouldNeedQuotingAreRefused()
        {
            Assert.Throws<ArgumentException>(() => new OpenconnectSignInCheck(new Uri("https://198.18.30.11/"), "any connect", null));
            Assert.Throws<ArgumentException>(() => new OpenconnectSignInCheck(new Uri("https://198.18.30.11/"), "anyconnect", "pin-sha256:x y"));
        }

        private static OpenconnectSignInCheck Check(TempDirectory dir, string then)
        {
            string script = dir.File("openconnect");
            File.WriteAllText(script, $"#!/bin/sh\nprintf '%s ' \"$@\" > '{dir.File("argv")}'\ncat > '{dir.File("stdin")}'\n{then}\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return new OpenconnectSignInCheck(new Uri("https://198.18.30.11/"), "anyconnect", Pin) { Program = script };
        }
    }
}
