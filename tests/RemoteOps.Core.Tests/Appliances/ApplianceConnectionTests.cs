using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Vpn;
using Xunit;

namespace RemoteOps.Core.Tests.Appliances
{
    public sealed class ApplianceConnectionTests
    {
        [Fact]
        public void Shows_what_the_device_is_and_can_do()
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
        public void Each_connection_gets_its_own_id()
        {
            var first = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.None));
            var second = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.None));

            Assert.NotEqual(first.Id, second.Id);
        }

        [Fact]
        public void A_capability_the_device_lacks_is_refused_naming_what_it_has()
        {
            var connection = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.FirewallPolicy));

            var error = Assert.Throws<ApplianceException>(() => connection.Require<IVpnAppliance>(ApplianceCapabilities.VpnUsers));

            Assert.Equal(ApplianceErrorKind.NotSupported, error.Kind);
            Assert.Contains("does not offer VpnUsers", error.Message);
            Assert.Contains("FirewallPolicy", error.Message);
        }

        [Fact]
        public void A_declared_capability_without_the_interface_is_refused_too()
        {
            var connection = new ApplianceConnection(new ApplianceDriverRegistryTests.FakeDevice(ApplianceCapabilities.VpnUsers));

            Assert.Throws<ApplianceException>(() => connection.Require<IVpnAppliance>(ApplianceCapabilities.VpnUsers));
        }

        [Fact]
        public void Closing_disposes_the_driver_once_and_refuses_later_work()
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
        public void The_driver_is_not_public()
        {
            Assert.Null(typeof(ApplianceConnection).GetProperty("DriverObject"));
            Assert.Null(typeof(ApplianceConnection).GetMethod("Require"));
        }
    }
}
