using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureBackupTests
    {
        [Fact]
        public async Task UnpacksTheBase64ZipOfTheBinaryConfigurationIntoSections()
        {
            string zip = Zip(("user.cfg", "user settings"), ("system.cfg", "system settings"));
            var handler = Appliance().On(Get, "/api/v1/system/binary-configuration", Answers.Json(200, new JValue(zip)));
            using (var appliance = await OpenAsync(handler))
            {
                var backup = await appliance.ExportConfigAsync(CancellationToken.None);

                Assert.Equal("ConnectSecure", backup.Driver);
                Assert.Equal(new[] { "system.cfg", "user.cfg" }, backup.Sections.Keys);
                Assert.Equal("system settings", backup.Sections["system.cfg"]);
                Assert.Equal(ApiKey, handler.RequestsTo(Get, "/api/v1/system/binary-configuration")[0].BasicUser);
            }
        }

        private static string Zip(params (string Name, string Text)[] files)
        {
            using (var buffer = new MemoryStream())
            {
                using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var file in files)
                    {
                        using (var writer = new StreamWriter(archive.CreateEntry(file.Name).Open(), new UTF8Encoding(false)))
                        {
                            writer.Write(file.Text);
                        }
                    }
                }

                return Convert.ToBase64String(buffer.ToArray());
            }
        }
    }
}
