namespace RemoteOps.Core.Appliances.Planning
{
    /// <summary>What one step of a plan does to one item.</summary>
    public enum PlanAction
    {
        /// <summary>The item is as wanted; nothing is sent.</summary>
        Unchanged,

        /// <summary>The item does not exist and is created.</summary>
        Add,

        /// <summary>The item exists and some of its properties change.</summary>
        Change,

        /// <summary>The item only moves to another position (ordered collections such as firewall rules).</summary>
        Move,

        /// <summary>The item exists but is not wanted, and is removed.</summary>
        Remove,
    }
}
