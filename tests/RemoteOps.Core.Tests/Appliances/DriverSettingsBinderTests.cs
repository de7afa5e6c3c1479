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
        public void Binds_known_settings_case_insensitively_and_keeps_defaults_for_the_rest()
        {
            var options = (SampleOptions)DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["realm"] = "Admins", ["Retries"] = 5 });

            Assert.Equal("Admins", options.Realm);
            Assert.Equal(5, options.Retries);
            Assert.True(options.Verify);
            Assert.Null(options.NotASetting);
        }

        [Fact]
        public void Refuses_an_unknown_key_naming_it_the_driver_and_every_valid_setting()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Realmm"] = "x" }));

            Assert.Contains("'Realmm'", error.Message);
            Assert.Contains("Sample driver", error.Message);
            Assert.Contains("Realm (string), Retries (int), Servers (string[]), Verify (bool)", error.Message);
        }

        [Fact]
        public void A_property_without_the_attribute_is_not_a_setting()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["NotASetting"] = "x" }));

            Assert.Contains("'NotASetting' is not a setting", error.Message);
        }

        [Theory]
        [InlineData("Retries", "five", "must be an int, not a string")]
        [InlineData("Verify", "yes", "must be a bool, not a string")]
        [InlineData("Realm", 42, "must be a string, not an int")]
        [InlineData("Retries", 2.5, "must be an int, not a Double")]
        public void Refuses_a_value_of_the_wrong_type_naming_the_setting_and_the_expected_type(string key, object value, string expected)
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { [key] = value }));

            Assert.Contains($"Setting '{key}'", error.Message);
            Assert.Contains(expected, error.Message);
        }

        [Fact]
        public void A_wrong_type_message_never_repeats_the_value()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Retries"] = "Hunter2-secret" }));

            Assert.DoesNotContain("Hunter2", error.Message);
        }

        [Fact]
        public void Converts_whole_numbers_and_single_strings_the_way_PowerShell_hands_them_over()
        {
            var options = (SampleOptions)DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Retries"] = 7L, ["Servers"] = "one" });
            Assert.Equal(7, options.Retries);
            Assert.Equal(new[] { "one" }, options.Servers);

            options = (SampleOptions)DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Servers"] = new object[] { "a", "b" } });
            Assert.Equal(new[] { "a", "b" }, options.Servers);
        }

        [Fact]
        public void A_null_value_is_refused()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Realm"] = null }));

            Assert.Contains("not null", error.Message);
        }

        [Fact]
        public void A_value_the_options_refuse_is_reported_with_the_setting_name()
        {
            var error = Assert.Throws<ArgumentException>(() => DriverSettingsBinder.Bind("Sample", typeof(SampleOptions), new Hashtable { ["Retries"] = -1 }));

            Assert.Contains("Setting 'Retries' of the Sample driver", error.Message);
            Assert.Contains("0 or more", error.Message);
        }

        [Fact]
        public void Lists_the_settings_with_type_default_and_description()
        {
            var settings = DriverSettingsBinder.SettingsOf(typeof(SampleOptions));

            Assert.Equal(new[] { "Realm", "Retries", "Servers", "Verify" }, settings.Select(s => s.Name));
            Assert.Equal("Admin Users", settings[0].DefaultValue);
            Assert.Equal("The sign-in realm.", settings[0].Description);
            Assert.Equal("Retries (int)", settings[1].ToString());
        }

        [Fact]
        public void No_table_gives_the_defaults()
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
