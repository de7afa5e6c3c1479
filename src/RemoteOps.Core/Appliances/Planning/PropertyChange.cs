namespace RemoteOps.Core.Appliances.Planning
{
    /// <summary>One property that differs between an item as it is and as it is wanted.</summary>
    public sealed class PropertyChange
    {
        /// <summary>Describes a change; values are shown as given, so callers pass secrets as "(new password)" or similar, never the value.</summary>
        public PropertyChange(string name, string from, string to)
        {
            Name = name;
            From = from;
            To = to;
        }

        /// <summary>The property.</summary>
        public string Name { get; }

        /// <summary>The value now, as text.</summary>
        public string From { get; }

        /// <summary>The wanted value, as text.</summary>
        public string To { get; }

        /// <inheritdoc />
        public override string ToString() => From == null && To == null ? Name : $"{Name}: {From ?? "(none)"} -> {To ?? "(none)"}";
    }
}
