using System;
using System.Collections;
using System.Linq;
using RemoteOps.Core.Appliances;
using Xunit;

namespace RemoteOps.Core.Tests.Appliances
{
    public sealed class DriverSettingsBinderTests
    {
        [Fact]
        public void BindsKnownSettingsCaseInsensitivelyAndKeepsDefaultsForTheRest()
        {
            var options = (SampleOptions)DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["realm"] = "Admins", ["Retries"] = 5 });

            Assert.Equal("Admins", options.Realm);
            Assert.Equal(5, options.Retries);
            Assert.True(options.Verify);
            Assert.Null(options.NotASetting);
        }

        [Fact]
        public void RefusesAnUnknownKeyNamingItTheDriverAndEveryValidSetting()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Realmm"] = "x" }));

            Assert.Contains("'Realmm'", error.Message);
            Assert.Contains("Sample driver", error.Message);
            Assert.Contains("Realm (string), Retries (int), Servers (string[]), Verify (bool)", error.Message);
        }

        [Fact]
        public void APropertyWithoutTheAttributeIsNotASetting()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["NotASetting"] = "x" }));

            Assert.Contains("'NotASetting' is not a setting", error.Message);
        }

        [Theory]
        [InlineData("Retries", "five", "must be an int, not a string")]
        [InlineData("Verify", "yes", "must be a bool, not a string")]
        [InlineData("Realm", 42, "must be a string, not an int")]
        [InlineData("Retries", 2.5, "must be an int, not a Double")]
        public void RefusesAValueOfTheWrongTypeNamingTheSettingAndTheExpectedType(string key, object value, string expected)
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { [key] = value }));

            Assert.Contains($"Setting '{key}'", error.Message);
            Assert.Contains(expected, error.Message);
        }

        [Fact]
        public void AWrongTypeMessageNeverRepeatsTheValue()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Retries"] = "Hunter2-secret" }));

            Assert.DoesNotContain("Hunter2", error.Message);
        }

        [Fact]
        public void ConvertsWholeNumbersAndSingleStringsTheWayPowerShellHandsThemOver()
        {
            var options = (SampleOptions)DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Retries"] = 7L, ["Servers"] = "one" });
            Assert.Equal(7, options.Retries);
            Assert.Equal(new[] { "one" }, options.Servers);

            options = (SampleOptions)DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Servers"] = new object[] { "a", "b" } });
            Assert.Equal(new[] { "a", "b" }, options.Servers);
        }

        [Fact]
        public void ANullValueIsRefused()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Realm"] = null }));

            Assert.Contains("not null", error.Message);
        }

        [Fact]
        public void AValueTheOptionsRefuseIsReportedWithTheSettingName()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Retries"] = -1 }));

            Assert.Contains("Setting 'Retries' of the Sample driver", error.Message);
            Assert.Contains("0 or more", error.Message);
        }

        [Fact]
        public void ListsTheSettingsWithTypeDefaultAndDescription()
        {
            var settings = DriverSettingsBinder.SettingsOf(typeof(SampleOptions));

            Assert.Equal(new[] { "Realm", "Retries", "Servers", "Verify" }, settings.Select(s => s.Name));
            Assert.Equal("Admin Users", settings[0].DefaultValue);
            Assert.Equal("The sign-in realm.", settings[0].Description);
            Assert.Equal("Retries (int)", settings[1].ToString());
        }

        [Fact]
        public void NoTableGivesTheDefaults()
        {
            var options = (SampleOptions)DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), null);

            Assert.Equal("Admin Users", options.Realm);
        }

        public sealed class SampleOptions
        {
            private int retries = 3;

            [DriverSetting("The sign-in realm.")]
            public string Realm { get; set; } = "Admin Users";

            [DriverSetting("How often to retry.")]
            public int Retries
            {
                get => retries;
                set => retries = value >= 0 ? value : throw new ArgumentException("Give 0 or more.");
            }

            [DriverSetting("Check things.")]
            public bool Verify { get; set; } = true;

            [DriverSetting("Servers to use.")]
            public string[] Servers { get; set; }

            public string NotASetting { get; set; }
        }
    }
}
