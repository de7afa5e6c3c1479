using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    /// <summary>The stop wrapper run by the local /bin/sh, as sshd runs a command line with the login shell.</summary>
    public sealed class StoppableCommandLineTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TheCommandKeepsItsOutputErrorExitCodeAndInputAndTheReportIsTakenOut(bool asSessionLeader)
        {
            var line = StoppableCommandLine.Wrap("cat; echo oops >&2; exit 3", useSudo: false);

            using var shell = Start(line.Text, asSessionLeader);
            shell.StandardInput.Write("from stdin");
            shell.StandardInput.Close();
            string output = shell.StandardOutput.ReadToEnd();
            string error = shell.StandardError.ReadToEnd();
            shell.WaitForExit();

            Assert.Equal("from stdin", output);
            Assert.Equal(3, shell.ExitCode);
            Assert.Equal("oops\n", line.StripMarker(error));
            Assert.Matches("^-[0-9]+$", line.FindKillTarget(error));
            if (asSessionLeader)
            {
                // The process sshd would have started leads the group: nothing was forked for the stop.
                Assert.Equal("-" + shell.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), line.FindKillTarget(error));
            }
        }

        [Fact]
        public void NothingInTheCommandTextIsReadByTheWrapper()
        {
            const string hostile = "$(echo no) `echo no` ' \" $1 $$ ; exit 9";
            var line = StoppableCommandLine.Wrap(PosixShell.JoinCommand("printf", "%s", hostile), useSudo: false);

            using var shell = Start(line.Text);
            shell.StandardInput.Close();
            string output = shell.StandardOutput.ReadToEnd();
            shell.WaitForExit();

            Assert.Equal(hostile, output);
            Assert.Equal(0, shell.ExitCode);
        }

        // Started as sshd starts a session (the shell leads a new group) the wrapper reports itself;
        // started by a process that is no leader it starts the command in a group of its own.
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TheKillLineEndsTheWholeProcessGroupAndSaysSo(bool asSessionLeader)
        {
            // A second duration makes the sleeps' command lines unique (GNU sleep adds them up).
            string tag = "0.000" + new Random().Next(100000000, 999999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var line = StoppableCommandLine.Wrap($"sleep 300 {tag} 2>/dev/null & sleep 301 {tag} 2>/dev/null; wait", useSudo: false);
            using var shell = Start(line.Text, asSessionLeader);
            shell.StandardInput.Close();
            string target = ReadReport(line, shell);
            try
            {
                Assert.NotNull(target);
                if (asSessionLeader)
                {
                    Assert.Equal("-" + shell.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), target);
                }

                Assert.Equal(2, Count(tag));

                using var kill = Start(line.KillLine(target));
                kill.StandardInput.Close();
                string verdict = kill.StandardOutput.ReadToEnd().Trim();
                kill.WaitForExit();

                Assert.Equal("gone", verdict);
                Assert.Equal(0, Count(tag));
                Assert.True(shell.WaitForExit(5000), "the wrapper should end with its command");
            }
            finally
            {
                if (!shell.HasExited)
                {
                    shell.Kill(entireProcessTree: true);
                }
            }
        }

        [Fact]
        public void StartedAsSshdStartsASessionACommandKilledByASignalEndsTheSameWay()
        {
            var line = StoppableCommandLine.Wrap("kill -s TERM $$", useSudo: false);

            using var shell = Start(line.Text, asSessionLeader: true);
            shell.StandardInput.Close();
            shell.StandardError.ReadToEnd();
            shell.WaitForExit();

            // 128 + TERM as the runtime reports a child ended by a signal.
            Assert.Equal(128 + 15, shell.ExitCode);
        }

        [Fact]
        public void AKillLineForAGroupAlreadyGoneSaysGone()
        {
            var line = StoppableCommandLine.Wrap("true", useSudo: false);
            using var kill = Start(line.KillLine("-2147483600"));
            kill.StandardInput.Close();

            Assert.Equal("gone", kill.StandardOutput.ReadToEnd().Trim());
        }

        [Fact]
        public void AReportWithAnotherMarkerIsNotBelieved()
        {
            var line = StoppableCommandLine.Wrap("true", useSudo: false);
            var other = StoppableCommandLine.Wrap("true", useSudo: false);
            string forged = ReportOf(other, 4242);

            Assert.Null(line.FindKillTarget(forged));
            Assert.Equal(forged, line.StripMarker(forged));
            Assert.Equal("-4242", other.FindKillTarget(forged));
            Assert.Equal(string.Empty, other.StripMarker(forged));
        }

        [Fact]
        public void UnderSudoBothTheCommandAndTheKillRunThroughSudoN()
        {
            var line = StoppableCommandLine.Wrap("id -u", useSudo: true);

            Assert.StartsWith("sudo -n -- ", line.Text, StringComparison.Ordinal);
            Assert.StartsWith("sudo -n -- ", line.KillLine("-123"), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("123; reboot")]
        [InlineData("")]
        [InlineData("--")]
        public void AKillTargetThatIsNotANumberIsRefused(string target)
        {
            var line = StoppableCommandLine.Wrap("true", useSudo: false);

            var error = Assert.Throws<ArgumentException>(() => line.KillLine(target));
            Assert.Contains("not a process or process group id", error.Message);
        }

        private static string ReportOf(StoppableCommandLine line, int pid)
        {
            // The report as the wrapper writes it, read back out of a real run.
            using var shell = Start(line.Text);
            shell.StandardInput.Close();
            string error = shell.StandardError.ReadToEnd();
            shell.WaitForExit();
            string target = line.FindKillTarget(error);
            return error.Replace(target.TrimStart('-') + "\n", pid + "\n", StringComparison.Ordinal);
        }

        private static string ReadReport(StoppableCommandLine line, Process shell)
        {
            var error = new StringBuilder();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                int c = shell.StandardError.Read();
                if (c < 0)
                {
                    break;
                }

                error.Append((char)c);
                if (c == '\n' && line.FindKillTarget(error.ToString()) is string target)
                {
                    return target;
                }
            }

            return null;
        }

        // Only the sleeps themselves: the shells around them have the tag on their command lines too.
        private static int Count(string tag)
        {
            Thread.Sleep(200);
            using var pgrep = Start("pgrep -f " + PosixShell.Quote("^sleep 30[01] " + tag.Replace(".", "[.]", StringComparison.Ordinal)) + " | wc -l");
            pgrep.StandardInput.Close();
            string text = pgrep.StandardOutput.ReadToEnd().Trim();
            pgrep.WaitForExit();
            return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }

        // sshd starts the login shell as the leader of a new session; setsid(1) does the same
        // without forking, because the test's child is not a group leader.
        private static Process Start(string commandLine, bool asSessionLeader = false)
        {
            var start = new ProcessStartInfo(asSessionLeader ? "setsid" : "/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (asSessionLeader)
            {
                start.ArgumentList.Add("/bin/sh");
            }

            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(commandLine);
            return Process.Start(start) ?? throw new InvalidOperationException("Could not start /bin/sh.");
        }
    }
}
