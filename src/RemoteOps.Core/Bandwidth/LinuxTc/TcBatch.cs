using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RemoteOps.Core.Bandwidth.LinuxTc
{
    /// <summary>
    /// The tc commands that make an interface's HTB tree the desired one, as "tc -batch" input.
    /// tc has no transactions: a batch stops at its first failing line and keeps what ran before
    /// it, so the driver sends the additions and changes first and the removals last (after the
    /// classification no longer sends packets to the removed classes).
    /// </summary>
    public static class TcBatch
    {
        /// <summary>The root qdisc's handle; the classification sets priorities "1:minor".</summary>
        public const string RootHandle = "1:";

        /// <summary>The class every other class borrows from: the link.</summary>
        public const string LinkClassId = "1:1";

        /// <summary>The default class's classid (the HTB "default 2"); it is fixed because HTB cannot change its default without being recreated.</summary>
        public const string DefaultClassId = "1:2";

        /// <summary>The root as tc -j qdisc show describes RemoteOps's: kind htb, handle 1:, default 0x2.</summary>
        public const string OwnRoot = "htb 1: default 0x2";

        // A rate estimator on every class, so "tc -s" reports the class's current rate (tc(8) estimator).
        private const string Estimator = "estimator 1sec 4sec";

        /// <summary>The lines that build or update the tree on <paramref name="device"/>; <paramref name="root"/> is what the root is now.</summary>
        public static string Update(string device, string root, BandwidthPolicy policy, IReadOnlyDictionary<string, string> classIds)
        {
            var text = new StringBuilder();
            if (root != OwnRoot)
            {
                // A root that is not ours goes first: HTB cannot change its default in place
                // ("Change operation not supported"), and a noqueue root cannot be deleted.
                if (!string.IsNullOrEmpty(root) && !root.StartsWith("noqueue", StringComparison.Ordinal))
                {
                    text.Append("qdisc del dev ").Append(device).Append(" root\n");
                }

                text.Append("qdisc add dev ").Append(device).Append(" root handle ").Append(RootHandle).Append(" htb default 2\n");
            }

            long link = BandwidthRate.Parse(policy.LinkRate);
            text.Append("class replace dev ").Append(device).Append(" parent ").Append(RootHandle).Append(" classid ").Append(LinkClassId)
                .Append(' ').Append(Estimator).Append(" htb rate ").Append(Bits(link)).Append(" ceil ").Append(Bits(link)).Append(" quantum ").Append(Quantum(link)).Append('\n');
            foreach (BandwidthClass item in policy.Classes)
            {
                long rate = BandwidthRate.Parse(item.GuaranteedRate);
                long ceiling = BandwidthRate.Parse(item.CeilingRate);
                text.Append("class replace dev ").Append(device).Append(" parent ").Append(LinkClassId).Append(" classid ").Append(classIds[item.Name])
                    .Append(' ').Append(Estimator).Append(" htb rate ").Append(Bits(rate)).Append(" ceil ").Append(Bits(ceiling))
                    .Append(" prio ").Append(item.Priority.ToString(CultureInfo.InvariantCulture)).Append(" quantum ").Append(Quantum(rate)).Append('\n');
            }

            return text.ToString();
        }

        /// <summary>The lines that delete the classes no longer wanted.</summary>
        public static string Remove(string device, IEnumerable<string> classIds) =>
            string.Concat(classIds.Select(id => "class del dev " + device + " classid " + id + "\n"));

        /// <summary>The line that removes RemoteOps's tree from <paramref name="device"/>.</summary>
        public static string RemoveRoot(string device) => "qdisc del dev " + device + " root\n";

        /// <summary>
        /// The bytes a class may send per round when classes share spare bandwidth: a tenth of its
        /// rate per second (HTB's own r2q 10), kept between one full-size frame and 200000 bytes,
        /// outside which HTB warns and shares badly (tc-htb(8), quantum).
        /// </summary>
        public static long Quantum(long bitsPerSecond) => Math.Min(200000, Math.Max(1600, bitsPerSecond / 8 / 10));

        private static string Bits(long bitsPerSecond) => bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bit";
    }
}
