using Newtonsoft.Json.Linq;
using RemoteOps.Core.FortiOs;
using Xunit;

namespace RemoteOps.Core.Tests.FortiOs
{
    /// <summary>FortiOS lists of named references, as the firewall mapping and the SSL-VPN access check read them.</summary>
    public sealed class FortiOsNameListTests
    {
        [Fact]
        public void ReadsTheNamesOfTheEntriesInOrder()
            => Assert.Equal(new[] { "ssl.root", "port1" }, FortiOsNameList.Read(JArray.Parse("[{\"name\":\"ssl.root\",\"q_origin_key\":\"ssl.root\"},{\"name\":\"port1\"}]")));

        [Fact]
        public void ReadsABareStringAsTheName()
            => Assert.Equal(new[] { "staff", "vpn" }, FortiOsNameList.Read(JArray.Parse("[\"staff\",{\"name\":\"vpn\"}]")));

        [Fact]
        public void LeavesOutEntriesWithoutAName()
            => Assert.Equal(new[] { "kept" }, FortiOsNameList.Read(JArray.Parse("[{\"name\":\"\"},{\"id\":3},{\"name\":null},\"\",42,{\"name\":\"kept\"}]")));

        [Theory]
        [InlineData("null")]
        [InlineData("{\"name\":\"all\"}")]
        [InlineData("\"all\"")]
        public void IsEmptyForAnythingButAnArray(string json)
            => Assert.Empty(FortiOsNameList.Read(JToken.Parse(json)));

        [Fact]
        public void IsEmptyForAMissingAttribute()
            => Assert.Empty(FortiOsNameList.Read(new JObject()["srcintf"]));
    }
}
