using System;
using System.Collections;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Drivers;
using RemoteOps.Core.Errors;
using Xunit;

namespace RemoteOps.Core.Tests.Appliances
{
    public sealed class ApplianceDriverRegistryTests
    {
        [Fact]
        public void TheBuiltInDriversAreRegisteredWithTheirTransportAndCapabilities()
        {
            var drivers = BuiltInDrivers.Create().All;
            ApplianceDriver Named(string name) => drivers.Single(d => d.Name == name);

            Assert.Equal(new[] { "ConnectSecure", "ForcepointSmc", "FortiGate", "LinuxTc", "Nftables", "Ocserv", "SecurId" }, drivers.Select(d => d.Name));
            Assert.Equal(ApplianceTransport.Rest, Named("ConnectSecure").Transport);
            Assert.Equal(ApplianceTransport.Rest, Named("ForcepointSmc").Transport);
            Assert.Equal(ApplianceTransport.Ssh, Named("Nftables").Transport);
            Assert.Equal(ApplianceTransport.Ssh, Named("Ocserv").Transport);
            Assert.Equal(ApplianceTransport.Ssh, Named("LinuxTc").Transport);
            Assert.All(new[] { Named("ConnectSecure"), Named("FortiGate"), Named("Ocserv") }, d => Assert.True(d.Capabilities.HasFlag(ApplianceCapabilities.VpnUsers)));
            Assert.Equal(ApplianceCapabilities.FirewallPolicy, Named("Nftables").Capabilities);
            Assert.Equal(ApplianceCapabilities.FirewallPolicy, Named("ForcepointSmc").Capabilities);
            Assert.Equal(ApplianceCapabilities.Bandwidth, Named("LinuxTc").Capabilities);
            Assert.Equal(new[] { "AdminRealm", "AuthServer", "SignInRealm", "SignInUrl" }, Named("ConnectSecure").Settings.Select(s => s.Name));
            Assert.Equal(new[] { "ApiVersion", "Domain", "EngineName", "NamePrefix", "PolicyName", "UploadTimeoutSeconds" }, Named("ForcepointSmc").Settings.Select(s => s.Name));
            Assert.Equal(new[] { "Family", "RollbackDirectory", "TableName", "UseSudo" }, Named("Nftables").Settings.Select(s => s.Name));
            Assert.Equal(new[] { "Interface", "TableName", "UseSudo" }, Named("LinuxTc").Settings.Select(s => s.Name));
            Assert.Equal(new[] { "ConfigPath", "MaxChannels", "OcctlSocket", "PasswdPath", "UseSudo" }, Named("Ocserv").Settings.Select(s => s.Name));
            Assert.Equal(new[] { "DestinationInterface", "SourceInterface" }, Named("FortiGate").Settings.Select(s => s.Name));
            Assert.True(Named("FortiGate").Capabilities.HasFlag(ApplianceCapabilities.FirewallPolicy));
            Assert.Equal(ApplianceTransport.Rest, Named("SecurId").Transport);
            Assert.Equal(ApplianceCapabilities.SecondFactorUsers | ApplianceCapabilities.SecondFactorCodeTest, Named("SecurId").Capabilities);
            Assert.True(Named("SecurId").CredentialOptional);
            Assert.False(Named("ConnectSecure").CredentialOptional);
        }

        [Fact]
        public void TheOcservChannelLimitIsACheckedSetting()
        {
            var driver = BuiltInDrivers.Create().Get("Ocserv");

            Assert.Equal(8, ((RemoteOps.Core.Vpn.Ocserv.OcservOptions)driver.BindSettings(null)).MaxChannels);
            Assert.Equal(4, ((RemoteOps.Core.Vpn.Ocserv.OcservOptions)driver.BindSettings(new Hashtable { ["MaxChannels"] = 4 })).MaxChannels);
            var error = Assert.Throws<ArgumentException>(() => driver.BindSettings(new Hashtable { ["MaxChannels"] = 0 }));
            Assert.Contains("Setting 'MaxChannels' of the Ocserv driver: 0 is out of range", error.Message);
        }

        [Fact]
        public void FindsADriverWhateverTheCaseAndNamesTheValidOnesForAnUnknownName()
        {
            var registry = BuiltInDrivers.Create();

            Assert.Equal("FortiGate", registry.Get("fortigate").Name);
            var error = Assert.Throws<ArgumentException>(() => registry.Get("PaloAlto"));
            Assert.Contains("'PaloAlto' is not a RemoteOps driver", error.Message);
            Assert.Contains("ConnectSecure, ForcepointSmc, FortiGate, LinuxTc, Nftables, Ocserv, SecurId", error.Message);
        }

        [Fact]
        public void ASecondDriverOfTheSameNameIsRefused()
        {
            var registry = new ApplianceDriverRegistry();
            registry.Register(Fake("Lab"));

            var error = Assert.Throws<ArgumentException>(() => registry.Register(Fake("lab")));
            Assert.Contains("already registered", error.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("9lives")]
        [InlineData("has space")]
        [InlineData("Fortí")]
        public void ADriverNameMustBeLettersAndDigits(string name)
        {
            Assert.Throws<ArgumentException>(() => Fake(name));
        }

        [Fact]
        public async Task AddingADriverIsOneRegistrationAndConnectingBindsItsSettingsFirst()
        {
            var registry = new ApplianceDriverRegistry();
            object seen = null;
            registry.Register(new ApplianceDriver("Lab", "A test device.", ApplianceTransport.Rest, ApplianceCapabilities.FirewallPolicy, typeof(DriverSettingsBinderTests.SampleOptions),
                (request, options, token) =>
                {
                    seen = options;
                    return Task.FromResult<IAppliance>(new FakeDevice(ApplianceCapabilities.FirewallPolicy));
                }));

            ApplianceConnection connection = await registry.Get("lab").ConnectAsync(new ApplianceConnectRequest { Address = "lab" }, new Hashtable { ["Realm"] = "R" }, CancellationToken.None);

            Assert.Equal("R", ((DriverSettingsBinderTests.SampleOptions)seen).Realm);
            Assert.True(connection.Has(ApplianceCapabilities.FirewallPolicy));
            await Assert.ThrowsAsync<ArgumentException>(() => registry.Get("Lab").ConnectAsync(new ApplianceConnectRequest(), new Hashtable { ["Nope"] = 1 }, CancellationToken.None));
        }

        [Fact]
        public async Task AnSshDriverWithoutAnSshEndpointIsRefusedBeforeItOpens()
        {
            bool opened = false;
            var driver = new ApplianceDriver("Box", "x", ApplianceTransport.Ssh, ApplianceCapabilities.None, typeof(DriverSettingsBinderTests.SampleOptions),
                (r, o, t) => { opened = true; return Task.FromResult<IAppliance>(new FakeDevice(ApplianceCapabilities.None)); });

            await Assert.ThrowsAsync<ArgumentException>(() => driver.ConnectAsync(new ApplianceConnectRequest { Address = "box" }, null, CancellationToken.None));
            Assert.False(opened);
        }

        [Theory]
        [InlineData("vpn.example.test", "https://vpn.example.test/")]
        [InlineData("https://vpn.example.test:8443/admin/", "https://vpn.example.test:8443/")]
        public void ARestAddressBecomesItsHttpsBase(string typed, string expected)
        {
            Assert.Equal(expected, BuiltInDrivers.HttpsBase(typed).ToString());
        }

        [Theory]
        [InlineData("http://vpn.example.test")]
        [InlineData("ftp://vpn.example.test")]
        [InlineData("")]
        public void ARestAddressThatIsNotHttpsIsRefusedNamingIt(string typed)
        {
            var error = Assert.Throws<ArgumentException>(() => BuiltInDrivers.HttpsBase(typed));
            Assert.Contains($"'{typed}'", error.Message);
        }

        private static ApplianceDriver Fake(string name) => new ApplianceDriver(name, "x", ApplianceTransport.Rest, ApplianceCapabilities.None, typeof(DriverSettingsBinderTests.SampleOptions),
            (r, o, t) => Task.FromResult<IAppliance>(new FakeDevice(ApplianceCapabilities.None)));

        internal sealed class FakeDevice : IAppliance
        {
            internal FakeDevice(ApplianceCapabilities capabilities)
            {
                Capabilities = capabilities;
            }

            public ApplianceInfo Info { get; } = new ApplianceInfo { Driver = "Lab", Address = "lab.test" };

            public ApplianceCapabilities Capabilities { get; }

            public int Disposals { get; private set; }

            public void Dispose() => Disposals++;
        }
    }
}
