using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Tests.Vpn.Ocserv;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.Ocserv;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn.Restore
{
    /// <summary>An ocserv backup restored through the driver, on a fake host that runs ocpasswd on its password file.</summary>
    public sealed class OcservRestoreTests
    {
        private const string Passwd =
            "alice:staff,ops:$5$Qk21cY7Vdm3xvSCD$wV4H61o7K1XzII/2r8FP8sl1/5pOBYSW3Ffsr9T9of1\n" +
            "bob:*:!$5$zoGHTvxaIx65DmBo$BiWIuy8xQ1V0X4CKXXkxSvS6wiKyOu4ZLxGpKMReEn5\n";

        [Fact]
        public async Task AnExportedPasswordFileIsPutBackAndVerified()
        {
            var fake = new FakeOcservShell();
            fake.Files[OcservOptions.DefaultConfigPath] = OcservSamples.Config;
            fake.Files[OcservSamples.PasswdPath] = Passwd;
            using (OcservAppliance appliance = await OcservAppliance.OpenAsync(fake, new OcservOptions(), CancellationToken.None))
            {
                var backup = await appliance.ExportConfigAsync(CancellationToken.None);

                // After the backup: alice is lost, bob unlocked, and "Alice" (another user to ocserv) added.
                fake.Files[OcservSamples.PasswdPath] = "bob:*:$5$zoGHTvxaIx65DmBo$BiWIuy8xQ1V0X4CKXXkxSvS6wiKyOu4ZLxGpKMReEn5\n"
                    + "Alice:*:$5$fsgDBLllH8zYs5MK$Q8jAScpmjs96l8xsm1bHBQ0mnbvaq4yxIqO9LHwv/T7\n";

                var users = appliance.ReadUsers(backup);
                var plan = await VpnConfigRestore.PlanAsync(appliance, users, RestorePasswords.Given, prune: false, CancellationToken.None, appliance.UserNameComparer);
                var results = await VpnConfigRestore.ApplyAsync(appliance, plan, RestorePasswords.Given, Secrets.Secure("Giv3n-pass"), CancellationToken.None, appliance.UserNameComparer);

                Assert.Equal(new[] { "alice", "bob" }, results.Select(r => r.UserName));
                Assert.Equal(new[] { VpnUserOutcome.Created, VpnUserOutcome.Updated }, results.Select(r => r.Outcome));
                Assert.All(results, r => Assert.True(r.Verified, r.UserName + ": " + r.Message));
                string file = fake.Files[OcservSamples.PasswdPath];
                Assert.Contains("\nalice:staff,ops:$", "\n" + file);
                Assert.Contains("\nbob:*:!$", "\n" + file);
                Assert.Contains("\nAlice:*:$", "\n" + file);
            }
        }
    }
}
