using System;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// Marks a property of a driver's options class as a setting users may give in
    /// Connect-RoAppliance -Option @{ Name = value }. Connection basics (address, credential,
    /// certificate pin, SSH options, time-out) are not settings: every driver of a transport
    /// takes them the same way, as parameters.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
    public sealed class DriverSettingAttribute : Attribute
    {
        /// <summary>Marks a setting and says what it does.</summary>
        public DriverSettingAttribute(string description)
        {
            Description = description;
        }

        /// <summary>What the setting does, shown by Get-RoApplianceDriver.</summary>
        public string Description { get; }
    }
}
