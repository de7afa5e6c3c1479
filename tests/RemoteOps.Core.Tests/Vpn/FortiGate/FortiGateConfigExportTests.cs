using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    public sealed class FortiGateConfigExportTests
    {
        private const string BackupPath = "/api/v2/monitor/system/config/backup";
        private const string Configuration = "#config-version=FGVM64-7.4.4-FW-build2662-240514:opmode=0:vdom=0\nconfig user local\n    edit \"jo.bloggs\"\n        set type password\n        set passwd ENC SH2abcdef\n    next\nend\n";

        [Fact]
        public async Task BeforeFortiOS76TheBackupIsAGetWithTheScopeInTheQuery()
        {
            var handler = Appliance().On(Get, BackupPath + "?scope=global", Answers.Text(200, "text/plain", Configuration));
            using (var appliance = await OpenAsync(handler))
            {
                var backup = await appliance.ExportConfigAsync(CancellationToken.None);

                string text = backup.Sections["fortigate.conf"];
                Assert.Contains("set type password", text);
                Assert.Contains("set passwd (withheld)", text);
                Assert.DoesNotContain("SH2abcdef", text);
                Assert.Empty(handler.RequestsTo(Post, BackupPath));
            }
        }

        [Fact]
        public async Task FromFortiOS76TheGetIsRefusedAndTheBackupIsAPostWithTheScopeInTheBody()
        {
            var handler = Appliance()
                .On(Get, BackupPath + "?scope=global", Answers.Json(405, "{\"status\":\"error\",\"http_status\":405}"))
                .On(Post, BackupPath, Answers.Text(200, "text/plain", Configuration));
            using (var appliance = await OpenAsync(handler))
            {
                var backup = await appliance.ExportConfigAsync(CancellationToken.None);

                Assert.Equal("global", (string)handler.RequestsTo(Post, BackupPath).Single().Json["scope"]);
                Assert.Contains("set passwd (withheld)", backup.Sections["fortigate.conf"]);
            }
        }
    }
}
