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

            Assert.Equal(new[] { "ConnectSecure", "FortiGate", "Nftables", "Ocserv", "SecurId" }, drivers.Select(d => d.Name));
            Assert.Equal(ApplianceTransport.Rest, drivers[0].Transport);
            Assert.Equal(ApplianceTransport.Ssh, drivers[2].Transport);
            Assert.Equal(ApplianceTransport.Ssh, drivers[3].Transport);
            Assert.All(drivers.Where(d => d.Name != "Nftables" && d.Name != "SecurId"), d => Assert.True(d.Capabilities.HasFlag(ApplianceCapabilities.VpnUsers)));
            Assert.Equal(ApplianceCapabilities.FirewallPolicy, drivers[2].Capabilities);
            Assert.Equal(new[] { "AdminRealm", "AuthServer" }, drivers[0].Settings.Select(s => s.Name));
            Assert.Equal(new[] { "Family", "RollbackDirectory", "TableName", "UseSudo" }, drivers[2].Settings.Select(s => s.Name));
            Assert.Equal(new[] { "ConfigPath", "MaxChannels", "OcctlSocket", "PasswdPath", "UseSudo" }, drivers[3].Settings.Select(s => s.Name));
            Assert.Equal(new[] { "DestinationInterface", "SourceInterface" }, drivers[1].Settings.Select(s => s.Name));
            Assert.True(drivers[1].Capabilities.HasFlag(ApplianceCapabilities.FirewallPolicy));
            Assert.Equal(ApplianceTransport.Rest, drivers[4].Transport);
            Assert.Equal(ApplianceCapabilities.SecondFactorUsers | ApplianceCapabilities.SecondFactorCodeTest, drivers[4].Capabilities);
            Assert.True(drivers[4].CredentialOptional);
            Assert.False(drivers[0].CredentialOptional);
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
            Assert.Contains("ConnectSecure, FortiGate, Nftables, Ocserv", error.Message);
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
