using System;
using RemoteOps.Core.Bandwidth;
using Xunit;

namespace RemoteOps.Core.Tests.Bandwidth
{
    public class BandwidthRateTests
    {
        [Theory]
        [InlineData("20mbit", 20000000)]
        [InlineData("20Mbit", 20000000)]
        [InlineData("1gbit", 1000000000)]
        [InlineData("1.5mbit", 1500000)]
        [InlineData("500kbit", 500000)]
        [InlineData(" 64000bit ", 64000)]
        public void ParsesTheUnitsTcWrites(string text, long bits) => Assert.Equal(bits, BandwidthRate.Parse(text));

        [Theory]
        [InlineData("20", "no unit")]
        [InlineData("20mbps", "bytes (not bits) per second")]
        [InlineData("20 megabit", "unit 'megabit'")]
        [InlineData("fast", "not a rate")]
        [InlineData("1kbit", "outside 8Kbit to 100Gbit")]
        [InlineData("200gbit", "outside")]
        [InlineData("8001bit", "whole number of bytes")]
        [InlineData("", "not a rate")]
        public void RefusesWhatTcWouldReadDifferentlyNamingTheValue(string text, string expected)
        {
            var error = Assert.Throws<FormatException>(() => BandwidthRate.Parse(text));

            Assert.Contains(expected, error.Message);
            Assert.Contains("'" + text + "'", error.Message);
        }

        [Theory]
        [InlineData(20000000, "20Mbit")]
        [InlineData(1500000, "1500Kbit")]
        [InlineData(1000000000, "1Gbit")]
        [InlineData(116496, "116496bit")]
        [InlineData(1234567000, "1234Mbit")]
        [InlineData(0, "0bit")]
        public void FormatsAsTcPrints(long bits, string text) => Assert.Equal(text, BandwidthRate.Format(bits));

        [Theory]
        [InlineData("2620Kbit", 2620000L)]
        [InlineData("50Mbit", 50000000L)]
        [InlineData("0bit", 0L)]
        [InlineData("50mbit", null)]
        public void ReadsTcsOwnForm(string text, long? bits) => Assert.Equal(bits, BandwidthRate.FromTc(text));
    }
}
