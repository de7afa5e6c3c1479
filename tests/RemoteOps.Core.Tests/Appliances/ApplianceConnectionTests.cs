using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Vpn;
using Xunit;

namespace RemoteOps.Core.Tests.Appliances
{
    public sealed class ApplianceConnectionTests
    {
        [Fact]
        public void ShowsWhatTheDeviceIsAndCanDo()
        {
            var connection = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.VpnUsers | ApplianceCapabilities.FirewallPolicy));

            Assert.Equal("Lab", connection.Driver);
            Assert.Equal("lab.test", connection.Address);
            Assert.True(connection.IsOpen);
            Assert.True(connection.Has(ApplianceCapabilities.FirewallPolicy));
            Assert.False(connection.Has(ApplianceCapabilities.FirewallPolicy | ApplianceCapabilities.Bandwidth));
            Assert.Equal("Lab lab.test", connection.ToString());
        }

        [Fact]
        public void EachConnectionGetsItsOwnId()
        {
            var first = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.None));
            var second = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.None));

            Assert.NotEqual(first.Id, second.Id);
        }

        [Fact]
        public void ACapabilityTheDeviceLacksIsRefusedNamingWhatItHas()
        {
            var connection = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.FirewallPolicy));

            var error = Assert.Throws<ApplianceException>(() => connection.Require<IVpnAppliance>(ApplianceCapabilities.VpnUsers));

            Assert.Equal(ApplianceErrorKind.NotSupported, error.Kind);
            Assert.Contains("does not offer VpnUsers", error.Message);
            Assert.Contains("FirewallPolicy", error.Message);
        }

        [Fact]
        public void ADeclaredCapabilityWithoutTheInterfaceIsRefusedToo()
        {
            var connection = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.VpnUsers));

            Assert.Throws<ApplianceException>(() => connection.Require<IVpnAppliance>(ApplianceCapabilities.VpnUsers));
        }

        [Fact]
        public void ClosingDisposesTheDriverOnceAndRefusesLaterWork()
        {
            var device = new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.VpnUsers);
            var connection = new ApplianceConnection(device);

            connection.Dispose();
            connection.Dispose();

            Assert.Equal(1, device.Disposals);
            Assert.False(connection.IsOpen);
            var error = Assert.Throws<ApplianceException>(() => connection.Require<ApplianceDriverRegistryTests.FakeDevice>(ApplianceCapabilities.VpnUsers));
            Assert.Contains("was closed", error.Message);
        }

        [Fact]
        public void TheDriverIsNotPublic()
        {
            Assert.Null(typeof(ApplianceConnection).GetProperty("DriverObject"));
            Assert.Null(typeof(ApplianceConnection).GetMethod("Require"));
        }
    }
}
