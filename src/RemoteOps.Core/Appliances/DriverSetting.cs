using System;

namespace RemoteOps.Core.Appliances
{
    /// <summary>One setting a driver accepts: its name, type, default and meaning.</summary>
    public sealed class DriverSetting
    {
        internal DriverSetting(string name, Type type, object defaultValue, string description)
        {
            Name = name;
            Type = type;
            DefaultValue = defaultValue;
            Description = description;
        }

        /// <summary>The key to use in -Option.</summary>
        public string Name { get; }

        /// <summary>The value's type.</summary>
        public Type Type { get; }

        /// <summary>The value used when the setting is not given.</summary>
        public object DefaultValue { get; }

        /// <summary>What it does.</summary>
        public string Description { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({DriverSettingsBinder.TypeName(Type)})";
    }
}
