using System.Text;
using RemoteOps.Core.Appliances.Planning;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>What applying a desired shaping policy would change: the links, then the classes on each interface.</summary>
    public sealed class BandwidthPlan
    {
        internal BandwidthPlan(Plan<BandwidthLink> links, Plan<BandwidthClass> classes)
        {
            Links = links;
            Classes = classes;
        }

        /// <summary>One step per shaped interface: its link rate.</summary>
        public Plan<BandwidthLink> Links { get; }

        /// <summary>One step per class and interface ("video on eth1"), in match order.</summary>
        public Plan<BandwidthClass> Classes { get; }

        /// <summary>True when the device already shapes as desired.</summary>
        public bool IsEmpty => Links.IsEmpty && Classes.IsEmpty;

        /// <summary>The plan as a readable diff (+ add, ~ change, &gt; move, - remove): links, then classes.</summary>
        public string ToText()
        {
            var text = new StringBuilder();
            if (!Links.IsEmpty)
            {
                text.AppendLine("Links:");
                text.AppendLine(Links.ToText());
            }

            text.AppendLine("Classes:");
            text.Append(Classes.ToText());
            return text.ToString();
        }

        /// <inheritdoc />
        public override string ToString() => $"links: {Links.Summary}; classes: {Classes.Summary}";
    }
}
