using System.Text;
using RemoteOps.Core.Appliances.Planning;

namespace RemoteOps.Core.Firewall
{
    /// <summary>What applying a desired policy would change: address objects first, then rules.</summary>
    public sealed class FirewallPlan
    {
        internal FirewallPlan(Plan<FirewallAddressObject> objects, Plan<FirewallRule> rules)
        {
            Objects = objects;
            Rules = rules;
        }

        /// <summary>The address object steps (unordered: objects have no position).</summary>
        public Plan<FirewallAddressObject> Objects { get; }

        /// <summary>The rule steps, in rule order (moves included).</summary>
        public Plan<FirewallRule> Rules { get; }

        /// <summary>The policy the plan starts from (what the firewall held when it was read).</summary>
        public FirewallPolicy Current { get; internal set; }

        /// <summary>
        /// Why the firewall does not yet enforce what it holds, though its rules match (an SMC
        /// engine with changes never uploaded); null when it does. Applying sends the policy again.
        /// </summary>
        public string NotInForce { get; internal set; }

        /// <summary>True when the firewall already holds and enforces the desired policy.</summary>
        public bool IsEmpty => Objects.IsEmpty && Rules.IsEmpty && NotInForce == null;

        /// <summary>The plan as a readable diff (+ add, ~ change, &gt; move, - remove), objects then rules, each with its summary.</summary>
        public string ToText()
        {
            var text = new StringBuilder();
            if (!Objects.IsEmpty)
            {
                text.AppendLine("Address objects:");
                text.AppendLine(Objects.ToText());
            }

            text.AppendLine("Rules:");
            text.Append(Rules.ToText());
            if (NotInForce != null)
            {
                text.AppendLine();
                text.Append("! ").Append(NotInForce);
            }

            return text.ToString();
        }

        /// <inheritdoc />
        public override string ToString() => $"objects: {Objects.Summary}; rules: {Rules.Summary}";
    }
}
