using System;
using System.Collections.Generic;
using RemoteOps.Core.Laptops;
using Xunit;

namespace RemoteOps.Core.Tests.Laptops
{
    public class LaptopBaselineFileTests
    {
        private const string Good = @"{
  ""diskEncryption"": { ""required"": true, ""luksVersion"": 2, ""cipher"": ""aes-xts-plain64"" },
  ""usbStorage"": { ""block"": true, ""allowed"": [ { ""vendorId"": ""0951"", ""productId"": ""1666"", ""serial"": ""AB12"", ""description"": ""Kingston IronKey"" } ] },
  ""vpnProfile"": { ""name"": ""Corp VPN"", ""gateway"": ""vpn.example.com:443"", ""protocol"": ""anyconnect"", ""serverCertificatePin"": ""pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="" },
  ""hostFirewall"": { ""defaultDenyInbound"": true, ""managementNetwork"": ""10.20.0.0/16"" },
  ""automaticSecurityUpdates"": true,
  ""sshHardening"": { ""noPasswordLogin"": true, ""noRootLogin"": true },
  ""screenLock"": { ""required"": true, ""maxIdleSeconds"": 300 },
  ""requiredPackages"": [ ""openssh-server"", ""nftables"" ],
  ""forbiddenPackages"": [ ""telnetd"" ]
}";

        [Fact]
        public void ReadsEveryRequirement()
        {
            LaptopBaseline baseline = LaptopBaselineFile.Parse(Good, "b.json");

            Assert.Equal(2, baseline.DiskEncryption.LuksVersion);
            Assert.Equal("aes-xts-plain64", baseline.DiskEncryption.Cipher);
            Assert.Equal("1666", Assert.Single(baseline.UsbStorage.Allowed).ProductId);
            Assert.Equal("vpn.example.com:443", baseline.VpnProfile.Gateway);
            Assert.Equal("10.20.0.0/16", baseline.HostFirewall.ManagementNetwork);
            Assert.True(baseline.AutomaticSecurityUpdates);
            Assert.True(baseline.SshHardening.NoRootLogin);
            Assert.Equal(300, baseline.ScreenLock.MaxIdleSeconds);
            Assert.Equal(new[] { "openssh-server", "nftables" }, baseline.RequiredPackages);
            Assert.Equal(new[] { "telnetd" }, baseline.ForbiddenPackages);
        }

        [Fact]
        public void WritesWhatItReads()
        {
            LaptopBaseline baseline = LaptopBaselineFile.Parse(Good, "b.json");
            LaptopBaseline again = LaptopBaselineFile.Parse(LaptopBaselineFile.Write(baseline), "again.json");

            Assert.Equal(LaptopBaselineFile.Write(baseline), LaptopBaselineFile.Write(again));
        }

        [Fact]
        public void NamesAnUnknownKeyAndItsLine()
        {
            const string json = "{\n  \"sshHardening\": {\n    \"noPasswordLogin\": true,\n    \"noRootLgin\": true\n  }\n}";
            var error = Assert.Throws<FormatException>(() => LaptopBaselineFile.Parse(json, "b.json"));

            Assert.StartsWith("b.json: line 4:", error.Message, StringComparison.Ordinal);
            Assert.Contains("\"noRootLgin\"", error.Message, StringComparison.Ordinal);
            Assert.Contains("noRootLogin", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("{\"forbiddenPackages\": [\"telnetd; rm -rf /\"]}", "forbiddenPackages[1]: 'telnetd; rm -rf /' is not a Debian package name")]
        [InlineData("{\"requiredPackages\": [\"$(reboot)\"]}", "requiredPackages[1]: '$(reboot)' is not a Debian package name")]
        [InlineData("{\"requiredPackages\": [\"-y\"]}", "is not a Debian package name")]
        [InlineData("{\"hostFirewall\": {\"managementNetwork\": \"10.20.0.0/33\"}}", "hostFirewall.managementNetwork: '10.20.0.0/33' is not a network in CIDR notation")]
        [InlineData("{\"hostFirewall\": {\"managementNetwork\": \"10.20.0.1/16\"}}", "has host bits set; the network is 10.20.0.0/16")]
        [InlineData("{\"hostFirewall\": {\"managementNetwork\": \"10.20/16\"}}", "is not a network in CIDR notation")]
        [InlineData("{\"usbStorage\": {\"allowed\": [{\"vendorId\": \"95x1\", \"productId\": \"1666\"}]}}", "usbStorage.allowed[1].vendorId: '95x1' is not a USB id")]
        [InlineData("{\"usbStorage\": {\"allowed\": [{\"vendorId\": \"0951\"}]}}", "usbStorage.allowed[1].productId: '' is not a USB id")]
        [InlineData("{\"usbStorage\": {\"allowed\": [{\"vendorId\": \"0951\", \"productId\": \"1666\", \"serial\": \"a\\\" b\"}]}}", "is not a USB serial number")]
        [InlineData("{\"vpnProfile\": {\"name\": \"x\", \"gateway\": \"vpn.example.com;id\"}}", "vpnProfile.gateway: 'vpn.example.com;id' is not a VPN gateway")]
        [InlineData("{\"vpnProfile\": {\"name\": \"../x\", \"gateway\": \"vpn.example.com\"}}", "vpnProfile.name: '../x' is not a VPN profile name")]
        [InlineData("{\"vpnProfile\": {\"name\": \"x\", \"gateway\": \"v\", \"protocol\": \"ipsec\"}}", "valid values are anyconnect, nc, pulse, fortinet, gp, array")]
        [InlineData("{\"vpnProfile\": {\"name\": \"x\", \"gateway\": \"v\", \"serverCertificatePin\": \"sha1:abc\"}}", "is not a certificate pin")]
        [InlineData("{\"diskEncryption\": {\"luksVersion\": 3}}", "3 is not a LUKS version")]
        [InlineData("{\"diskEncryption\": {\"cipher\": \"aes xts\"}}", "is not a cipher specification")]
        [InlineData("{\"screenLock\": {\"maxIdleSeconds\": 0}}", "0 is not an idle time")]
        [InlineData("{\"screenLock\": {\"maxIdleSeconds\": \"300\"}}", "screenLock.maxIdleSeconds must be a whole number, not \"300\"")]
        [InlineData("{\"sshHardening\": {\"noRootLogin\": \"yes\"}}", "sshHardening.noRootLogin must be true or false")]
        [InlineData("{\"automaticSecurityUpdates\": 1}", "automaticSecurityUpdates must be true or false")]
        [InlineData("{\"usbStorage\": {\"allowed\": {\"vendorId\": \"0951\"}}}", "usbStorage.allowed must be a list of devices")]
        [InlineData("{\"requiredPackages\": [\"vim\"], \"forbiddenPackages\": [\"vim\"]}", "'vim' is both required and forbidden")]
        [InlineData("{\"diskEncryption\": ", "not valid JSON")]
        public void RefusesABadValueNamingTheKey(string json, string expected)
        {
            var error = Assert.Throws<FormatException>(() => LaptopBaselineFile.Parse(json, "b.json"));

            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ReadsPowerShellDataInAnyCaseAndNamesTheLineItIsGiven()
        {
            var data = new Dictionary<string, object>
            {
                ["SshHardening"] = new Dictionary<string, object> { ["NoPasswordLogin"] = true },
                ["ForbiddenPackages"] = new List<object> { "telnetd", "rsh-server" },
            };
            LaptopBaseline baseline = LaptopBaselineFile.FromData(data, "b.psd1", null);
            Assert.True(baseline.SshHardening.NoPasswordLogin);
            Assert.Equal(2, baseline.ForbiddenPackages.Count);

            data["ForbiddenPackages"] = new List<object> { "telnetd", "rsh server" };
            var lines = new Dictionary<string, int> { ["forbiddenpackages[2]"] = 7 };
            var error = Assert.Throws<FormatException>(() => LaptopBaselineFile.FromData(data, "b.psd1", k => lines.TryGetValue(k, out int l) ? l : (int?)null));
            Assert.StartsWith("b.psd1: line 7: forbiddenPackages[2]: 'rsh server'", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ChecksABaselineBuiltInCode()
        {
            var baseline = new LaptopBaseline { HostFirewall = new HostFirewallRequirement { ManagementNetwork = "not-a-network" } };

            var error = Assert.Throws<FormatException>(() => LaptopBaselineFile.Validate(baseline, "-Baseline"));
            Assert.Contains("hostFirewall.managementNetwork: 'not-a-network'", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("fd00:20::/48", true)]
        [InlineData("192.168.1.0/24", true)]
        [InlineData("192.168.1.0", false)]
        [InlineData("192.168.1.0/24; reboot", false)]
        public void KnowsANetwork(string value, bool valid) => Assert.Equal(valid, LaptopBaselineValues.CheckNetwork(value) == null);
    }
}
