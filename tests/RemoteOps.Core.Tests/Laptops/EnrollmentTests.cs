using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Laptops.Images;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Laptops
{
    /// <summary>
    /// The first-boot enrolment script run for real against a TLS endpoint on loopback. It runs in
    /// a mount namespace whose /etc is an overlay, so the token file it reads and deletes lives
    /// only there; systemctl is a stand-in that records its arguments (there is no systemd here).
    /// </summary>
    public sealed class EnrollmentTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();
        private Process server;

        public void Dispose()
        {
            if (server != null && !server.HasExited)
            {
                server.Kill();
                server.WaitForExit();
            }

            server?.Dispose();
            temp.Dispose();
        }

        private (int ExitCode, string HeaderFile, string Systemctl, string Output) Enrol(int status)
        {
            ProcessRunner.RunChecked(
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", temp.File("key.pem"), "-out", temp.File("cert.pem"));
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "Laptops", "enrollment_server.py"), temp.File("cert.pem"), temp.File("key.pem"), status.ToString(System.Globalization.CultureInfo.InvariantCulture), temp.File("requests.jsonl") })
            {
                start.ArgumentList.Add(argument);
            }

            server = Process.Start(start);
            int port = int.Parse(server.StandardOutput.ReadLine(), System.Globalization.CultureInfo.InvariantCulture);

            LaptopImageRequest request = LaptopImageTests.Request();
            request.EnrollmentUri = new Uri($"https://127.0.0.1:{port}/api/enrol");
            var provisioning = LaptopProvisioning.From(request);
            File.WriteAllText(temp.File("enroll"), provisioning.Files.Single(f => f.Path == "/usr/local/sbin/remoteops-enroll").Content);
            File.WriteAllText(temp.File("header"), provisioning.Files.Single(f => f.Path == LaptopProvisioning.EnrollmentHeaderPath).Content);
            Directory.CreateDirectory(temp.File("bin"));
            File.WriteAllText(temp.File("bin/systemctl"), "#!/bin/sh\necho \"$@\" >> " + temp.File("systemctl.log") + "\n");
            ProcessRunner.RunChecked("chmod", "0755", temp.File("bin/systemctl"));
            Directory.CreateDirectory(temp.File("overlay"));

            string script =
                "set -e; o=\"$1\"; mount -t tmpfs none \"$o\"; mkdir \"$o/upper\" \"$o/work\"; "
                + "mount -t overlay overlay -o lowerdir=/etc,upperdir=\"$o/upper\",workdir=\"$o/work\" /etc; "
                + "mkdir -p /etc/remoteops; cp \"$2\" /etc/remoteops/enroll-header; chmod 600 /etc/remoteops/enroll-header; set +e; "
                + "CURL_CA_BUNDLE=\"$3\" PATH=\"$4:$PATH\" sh \"$5\"; rc=$?; "
                + "if [ -e /etc/remoteops/enroll-header ]; then echo header-kept; else echo header-gone; fi; exit $rc";
            var result = ProcessRunner.Run("unshare", new[]
            {
                "--mount", "sh", "-c", script, "enrol-test", temp.File("overlay"), temp.File("header"), temp.File("cert.pem"), temp.File("bin"), temp.File("enroll"),
            });
            string systemctl = File.Exists(temp.File("systemctl.log")) ? File.ReadAllText(temp.File("systemctl.log")) : string.Empty;
            return (result.ExitCode, result.Text.Trim().Split('\n').Last(), systemctl, result.Text + result.StandardError);
        }

        [Fact]
        public void PostsTheLaptopWithTheTokenThenForgetsTheTokenAndDisablesItself()
        {
            var outcome = Enrol(201);

            Assert.True(outcome.ExitCode == 0, outcome.Output);
            var call = JObject.Parse(File.ReadAllLines(temp.File("requests.jsonl")).Single());
            Assert.Equal("/api/enrol", (string)call["path"]);
            Assert.Equal("Bearer enrol-tok-3f9c2a", (string)call["authorization"]);
            Assert.Equal("application/json", (string)call["contentType"]);
            var body = JObject.Parse((string)call["body"]);
            Assert.Equal(Environment.MachineName, (string)body["hostName"]);
            Assert.Equal(File.ReadAllText("/etc/machine-id").Trim(), (string)body["machineId"]);
            Assert.StartsWith("ssh-ed25519 AAAA", (string)body["sshHostKey"], StringComparison.Ordinal);
            Assert.Equal("header-gone", outcome.HeaderFile);
            Assert.Equal("disable remoteops-enroll.service\n", outcome.Systemctl);
        }

        [Fact]
        public void KeepsTheTokenAndFailsWhenTheInventoryRefuses()
        {
            // A failure exit makes systemd run the unit again (Restart=on-failure) with the token still there.
            var outcome = Enrol(500);

            Assert.NotEqual(0, outcome.ExitCode);
            Assert.Single(File.ReadAllLines(temp.File("requests.jsonl")));
            Assert.Equal("header-kept", outcome.HeaderFile);
            Assert.Equal(string.Empty, outcome.Systemctl);
        }
    }
}
