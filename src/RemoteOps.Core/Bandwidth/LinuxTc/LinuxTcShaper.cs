using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.Nftables;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Bandwidth.LinuxTc
{
    /// <summary>
    /// Traffic shaping on a Linux gateway over SSH: an HTB tree (tc) on the root of each shaped
    /// interface, and one nftables table that sorts packets into its classes by setting their
    /// priority. RemoteOps owns those roots and that table; nothing else is read or changed.
    /// </summary>
    /// <remarks>
    /// <para>Classes keep their tc classid from one change to the next (the classification table
    /// records it), so a class whose rate changes keeps its counters. A change runs: the nft script
    /// checked with "nft -c -f -"; one "tc -batch" that creates the root where needed and adds or
    /// updates every class; the table replaced with "nft -f -" (one transaction); one "tc -batch"
    /// that deletes the classes no longer wanted. tc has no transactions, so a failure in the middle
    /// leaves a partial change, which the error reports and which setting the policy again
    /// completes.</para>
    /// <para>Changes on one host run one at a time. The driver owns its shell and closes it on Dispose.</para>
    /// </remarks>
    public sealed class LinuxTcShaper : IBandwidthShaper
    {
        /// <summary>The driver name users pass to Connect-RoAppliance -Driver.</summary>
        public const string DriverName = "LinuxTc";

        /// <summary>What the driver can do.</summary>
        public const ApplianceCapabilities DriverCapabilities = ApplianceCapabilities.Bandwidth;

        private const string SudoRemedy = "Let the SSH account run tc and nft through 'sudo -n' without a password (a NOPASSWD sudoers rule), or connect as root.";
        private const int FirstMinor = 0x10;

        // Linux interface names: at most 15 bytes (IFNAMSIZ 16), no '/', no white space; kept to the
        // characters that need no quoting in tc and nft.
        private static readonly Regex InterfaceName = new Regex("^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,14}\\z", RegexOptions.CultureInvariant);

        private readonly IRemoteShell shell;
        private readonly string table;
        private readonly SemaphoreSlim writeLock = new SemaphoreSlim(1, 1);
        private int disposed;

        private LinuxTcShaper(IRemoteShell shell, IReadOnlyList<string> interfaces, string table, string name, string version)
        {
            this.shell = shell;
            this.table = table;
            Interfaces = interfaces;
            Info = new ApplianceInfo { Driver = DriverName, Address = shell.Host, Name = name, Version = version };
        }

        /// <inheritdoc />
        public ApplianceInfo Info { get; }

        /// <inheritdoc />
        public ApplianceCapabilities Capabilities => DriverCapabilities;

        /// <inheritdoc />
        public IReadOnlyList<string> Interfaces { get; }

        /// <inheritdoc />
        public string PolicyScope => $"tc HTB on {string.Join(", ", Interfaces)} and nftables table inet {table}";

        /// <summary>Checks the settings (nothing is sent for a bad one).</summary>
        /// <exception cref="ArgumentException">No interface, a bad interface name, or a bad table name.</exception>
        public static IReadOnlyList<string> CheckOptions(LinuxTcOptions options)
        {
            string[] interfaces = options?.Interface ?? new string[0];
            if (interfaces.Length == 0)
            {
                throw new ArgumentException("The LinuxTc driver needs the interfaces to shape: -Option @{ Interface = 'eth1' } (the interface towards the traffic's receivers).");
            }

            foreach (string name in interfaces)
            {
                if (name == null || !InterfaceName.IsMatch(name))
                {
                    throw new ArgumentException($"Interface '{name}' is not a valid Linux interface name: 1-15 letters, digits, '_', '.', ':' or '-', not starting with '.', ':' or '-'.");
                }
            }

            if (interfaces.Distinct(StringComparer.Ordinal).Count() != interfaces.Length)
            {
                throw new ArgumentException($"Interface lists a name twice ({string.Join(", ", interfaces)}); give each interface once.");
            }

            NftablesRuleset.CheckTable("inet", options.TableName);
            return interfaces;
        }

        /// <summary>
        /// Checks the settings, that tc and nft run with the rights they need, and that every
        /// interface exists; reads the host name and tool versions. The shell is not disposed when
        /// this fails: the caller still owns it then.
        /// </summary>
        public static async Task<LinuxTcShaper> OpenAsync(IRemoteShell shell, LinuxTcOptions options, CancellationToken cancellationToken)
        {
            if (shell == null)
            {
                throw new ArgumentNullException(nameof(shell));
            }

            options = options ?? new LinuxTcOptions();
            IReadOnlyList<string> interfaces = CheckOptions(options);
            SshCommandOutput tcVersion = await shell.RunPrivilegedAsync(new[] { "tc", "-V" }, null, cancellationToken).ConfigureAwait(false);
            if (tcVersion.ExitCode != 0)
            {
                throw Failure("Running tc -V", shell.Host, tcVersion);
            }

            SshCommandOutput nftVersion = await shell.RunPrivilegedAsync(new[] { "nft", "--version" }, null, cancellationToken).ConfigureAwait(false);
            if (nftVersion.ExitCode != 0)
            {
                throw Failure("Running nft --version", shell.Host, nftVersion);
            }

            foreach (string device in interfaces)
            {
                SshCommandOutput root = await shell.RunPrivilegedAsync(new[] { "tc", "-j", "qdisc", "show", "dev", device }, null, cancellationToken).ConfigureAwait(false);
                if (root.ExitCode != 0)
                {
                    throw Failure($"Reading the queueing disciplines of {device}", shell.Host, root);
                }
            }

            SshCommandOutput tables = await shell.RunPrivilegedAsync(new[] { "nft", "-j", "list", "tables" }, null, cancellationToken).ConfigureAwait(false);
            if (tables.ExitCode != 0)
            {
                throw Failure("Listing the nftables tables", shell.Host, tables);
            }

            SshCommandOutput name = await shell.RunAsync("uname -n", null, cancellationToken).ConfigureAwait(false);
            string version = tcVersion.StandardOutput.Trim() + "; " + nftVersion.StandardOutput.Trim();
            return new LinuxTcShaper(shell, interfaces, options.TableName, name.ExitCode == 0 ? name.StandardOutput.Trim() : shell.Host, version);
        }

        /// <inheritdoc />
        public async Task<BandwidthState> GetStateAsync(CancellationToken cancellationToken)
        {
            IList<ShapingRule> rules = await ReadRulesAsync(cancellationToken).ConfigureAwait(false);
            var state = new BandwidthState();
            foreach (string device in Interfaces)
            {
                string root = await ReadRootAsync(device, cancellationToken).ConfigureAwait(false);
                bool own = root == TcBatch.OwnRoot;
                IList<TcClass> tcClasses = own ? await ReadClassesAsync(device, cancellationToken).ConfigureAwait(false) : new List<TcClass>();
                TcClass link = tcClasses.FirstOrDefault(c => c.ClassId == TcBatch.LinkClassId);
                state.Links.Add(new BandwidthLink { Interface = device, Root = root, Rate = own && link?.Rate != null ? BandwidthRate.Format(link.Rate.Value) : null });

                var used = new HashSet<string>(StringComparer.Ordinal) { TcBatch.LinkClassId };
                // A rule RemoteOps did not write is shown on every interface, whatever it matches: the
                // next change removes it, and the plan must say so.
                foreach (ShapingRule rule in rules.Where(r => r.Interfaces.Contains(device) || IsUnmanaged(r)))
                {
                    BandwidthClass item = rule.Class.Clone();
                    item.Appliance = Info.Address;
                    item.Interface = device;
                    item.ClassId = rule.ClassId;
                    TcClass shaped = tcClasses.FirstOrDefault(c => c.ClassId == rule.ClassId && c.Parent == TcBatch.LinkClassId);
                    if (shaped != null)
                    {
                        used.Add(shaped.ClassId);
                        Fill(item, shaped);
                    }

                    state.Classes.Add(item);
                }

                foreach (TcClass stray in tcClasses.Where(c => !used.Contains(c.ClassId)))
                {
                    // A class no rule of the table sends packets to: left over, or added by hand.
                    var item = new BandwidthClass { Name = $"{FirewallPolicyValidator.UnmanagedPrefix}{stray.ClassId}", Appliance = Info.Address, Interface = device, ClassId = stray.ClassId };
                    Fill(item, stray);
                    state.Classes.Add(item);
                }
            }

            return state;
        }

        /// <inheritdoc />
        public async Task ApplyAsync(BandwidthPolicy desired, BandwidthState current, CancellationToken cancellationToken)
        {
            if (desired == null)
            {
                throw new ArgumentNullException(nameof(desired));
            }

            current = current ?? new BandwidthState();
            IReadOnlyDictionary<string, string> classIds = AssignClassIds(desired, current);
            string script = ShapingRuleset.Render(desired, classIds, Interfaces, table);
            var update = new System.Text.StringBuilder();
            var remove = new System.Text.StringBuilder();
            foreach (string device in Interfaces)
            {
                string root = current.Links.FirstOrDefault(l => l.Interface == device)?.Root;
                if (desired.Classes.Count == 0)
                {
                    if (root == TcBatch.OwnRoot)
                    {
                        remove.Append(TcBatch.RemoveRoot(device));
                    }

                    continue;
                }

                update.Append(TcBatch.Update(device, root, desired, classIds));
                if (root == TcBatch.OwnRoot)
                {
                    var wanted = new HashSet<string>(classIds.Values, StringComparer.Ordinal) { TcBatch.LinkClassId };
                    // Bytes is read from tc, so a class with counters exists on the interface (a rule alone does not make one).
                    remove.Append(TcBatch.Remove(device, current.Classes.Where(c => c.Interface == device && c.ClassId != null && c.Bytes != null && !wanted.Contains(c.ClassId)).Select(c => c.ClassId).Distinct()));
                }
            }

            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                SshCommandOutput check = await RunAsync(new[] { "nft", "-c", "-f", "-" }, script, cancellationToken).ConfigureAwait(false);
                if (check.ExitCode != 0)
                {
                    throw Refused("nft", "refused the classification rules in its check (nothing was changed)", check, script);
                }

                if (update.Length > 0)
                {
                    await BatchAsync(update.ToString(), "adding and updating the classes (nothing was changed before this step)", cancellationToken).ConfigureAwait(false);
                }

                SshCommandOutput load = await RunAsync(new[] { "nft", "-f", "-" }, script, cancellationToken).ConfigureAwait(false);
                if (load.ExitCode != 0)
                {
                    throw Refused("nft", "refused the classification rules (the classes were already added or updated; the old classification stays)", load, script);
                }

                if (remove.Length > 0)
                {
                    await BatchAsync(remove.ToString(), "removing the classes no longer wanted (everything else was already applied)", cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                writeLock.Release();
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                shell.Dispose();
                writeLock.Dispose();
            }
        }

        /// <summary>
        /// The classid of every desired class: the default class always 1:2 (the HTB default), any
        /// other class the one it has now, a new class the lowest minor from 1:10 (hexadecimal, as
        /// tc writes classids) that no class uses now.
        /// </summary>
        public static IReadOnlyDictionary<string, string> AssignClassIds(BandwidthPolicy desired, BandwidthState current)
        {
            var taken = new HashSet<string>((current?.Classes ?? new List<BandwidthClass>()).Select(c => c.ClassId).Where(id => id != null), StringComparer.Ordinal);
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            var assigned = new HashSet<string>(StringComparer.Ordinal);
            foreach (BandwidthClass item in desired.Classes)
            {
                if (item.Default)
                {
                    ids[item.Name] = TcBatch.DefaultClassId;
                    assigned.Add(TcBatch.DefaultClassId);
                    continue;
                }

                string now = current?.Classes.FirstOrDefault(c => c.Name == item.Name && MinorOf(c.ClassId) >= FirstMinor)?.ClassId;
                if (now != null && assigned.Add(now))
                {
                    ids[item.Name] = now;
                }
            }

            int minor = FirstMinor;
            foreach (BandwidthClass item in desired.Classes.Where(c => !ids.ContainsKey(c.Name)))
            {
                string id;
                do
                {
                    id = "1:" + (minor++).ToString("x", CultureInfo.InvariantCulture);
                }
                while (taken.Contains(id) || assigned.Contains(id));

                ids[item.Name] = id;
                assigned.Add(id);
            }

            return ids;
        }

        /// <summary>The root qdisc from "tc -j qdisc show dev DEV", as "KIND HANDLE[ default N]".</summary>
        internal static string DescribeRoot(string json)
        {
            JArray list;
            try
            {
                list = JArray.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
            }
            catch (JsonReaderException bad)
            {
                throw new FormatException($"tc printed something that is not JSON: {bad.Message}", bad);
            }

            JObject root = list.OfType<JObject>().FirstOrDefault(q => q["root"]?.Type == JTokenType.Boolean && (bool)q["root"]);
            if (root == null)
            {
                return null;
            }

            string text = (string)root["kind"] + " " + (string)root["handle"];
            string fallback = (string)root["options"]?["default"];
            return fallback == null ? text : text + " default " + fallback;
        }

        private static bool IsUnmanaged(ShapingRule rule) => rule.Class.Name.StartsWith(FirewallPolicyValidator.UnmanagedPrefix, StringComparison.Ordinal);

        private static int MinorOf(string classId)
        {
            int colon = classId?.IndexOf(':') ?? -1;
            return colon >= 0 && int.TryParse(classId.Substring(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int minor) ? minor : -1;
        }

        private static void Fill(BandwidthClass item, TcClass shaped)
        {
            item.GuaranteedRate = shaped.Rate.HasValue ? BandwidthRate.Format(shaped.Rate.Value) : null;
            item.CeilingRate = shaped.Ceiling.HasValue ? BandwidthRate.Format(shaped.Ceiling.Value) : null;
            item.Priority = shaped.Priority ?? 0;
            item.Bytes = shaped.Bytes ?? 0;
            item.Packets = shaped.Packets;
            item.Drops = shaped.Drops;
            item.Overlimits = shaped.Overlimits;
            item.CurrentRate = shaped.CurrentRate;
        }

        private async Task<IList<ShapingRule>> ReadRulesAsync(CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunAsync(new[] { "nft", "-j", "list", "table", "inet", table }, null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                if (output.ExitCode == 1 && output.StandardError.IndexOf("No such file or directory", StringComparison.Ordinal) >= 0)
                {
                    return new List<ShapingRule>();
                }

                throw Failure($"Reading nftables table inet {table}", shell.Host, output);
            }

            try
            {
                return ShapingRuleset.Parse(output.StandardOutput, table);
            }
            catch (FormatException bad)
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"Reading nftables table inet {table} on {shell.Host}: {bad.Message}");
            }
        }

        private async Task<string> ReadRootAsync(string device, CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunAsync(new[] { "tc", "-j", "qdisc", "show", "dev", device }, null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                throw Failure($"Reading the queueing disciplines of {device}", shell.Host, output);
            }

            try
            {
                return DescribeRoot(output.StandardOutput);
            }
            catch (FormatException bad)
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"Reading the queueing disciplines of {device} on {shell.Host}: {bad.Message}");
            }
        }

        private async Task<IList<TcClass>> ReadClassesAsync(string device, CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunAsync(new[] { "tc", "-s", "class", "show", "dev", device }, null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                throw Failure($"Reading the classes of {device}", shell.Host, output);
            }

            return TcClassText.Parse(output.StandardOutput);
        }

        private async Task BatchAsync(string batch, string step, CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunAsync(new[] { "tc", "-batch", "-" }, batch, cancellationToken).ConfigureAwait(false);
            if (output.TimedOut)
            {
                throw new ApplianceException(ApplianceErrorKind.TimedOut, $"tc on {shell.Host} did not finish {step} in time; the change may be partly applied.",
                    "Look with Get-RoBandwidthPolicy, and set the policy again to complete it.");
            }

            if (output.ExitCode != 0)
            {
                throw Refused("tc", $"failed while {step}", output, batch);
            }
        }

        private ApplianceException Refused(string tool, string what, SshCommandOutput output, string script)
        {
            ApplianceException classified = Failure($"{tool} on {shell.Host}", shell.Host, output);
            if (classified.Kind != ApplianceErrorKind.Failed)
            {
                return classified;
            }

            string detail = tool == "nft" ? NftablesFirewall.QuoteFailingLines(output.StandardError, script) : QuoteTcLine(output.StandardError, script);
            return new ApplianceException(
                ApplianceErrorKind.InvalidRequest,
                $"{tool} on {shell.Host} {what}: {(detail.Length > 0 ? detail : Summary(output))}",
                "Correct the class named in the quoted line, or the host (tc needs the HTB scheduler); then set the policy again, which completes a partial change.");
        }

        // tc -batch names the failing line as "Command failed -:N"; the message quotes it with what tc said.
        private static string QuoteTcLine(string error, string batch)
        {
            Match failed = Regex.Match(error ?? string.Empty, "Command failed -:([0-9]+)", RegexOptions.CultureInvariant);
            string said = string.Join(" ", (error ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("Command failed", StringComparison.Ordinal)).Take(2));
            string[] lines = batch.Split('\n');
            if (failed.Success && int.TryParse(failed.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1 && number <= lines.Length)
            {
                return $"{said} [line {number.ToString(CultureInfo.InvariantCulture)}: {lines[number - 1].Trim()}]";
            }

            return said;
        }

        // tc and nft need CAP_NET_ADMIN, even to list: sudo runs them directly, so a sudoers rule for
        // /usr/sbin/tc and /usr/sbin/nft is enough.
        private Task<SshCommandOutput> RunAsync(string[] command, string standardInput, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(LinuxTcShaper), $"The connection to {Info.Address} is closed; connect again (Connect-RoAppliance).");
            }

            return shell.RunPrivilegedAsync(command, standardInput, cancellationToken);
        }

        private static ApplianceException Failure(string action, string host, SshCommandOutput output)
        {
            string message = $"{action} on {host} failed" + (output.ExitCode.HasValue ? $" (exit code {output.ExitCode.Value.ToString(CultureInfo.InvariantCulture)})" : string.Empty) + ": " + Summary(output);
            string error = output.StandardError + "\n" + output.StandardOutput;
            if (output.TimedOut)
            {
                return new ApplianceException(ApplianceErrorKind.TimedOut, $"{action} on {host} did not finish in time.", "Retry, or raise -TimeoutSec.");
            }

            if (error.Contains("sudo:"))
            {
                return new ApplianceException(ApplianceErrorKind.AuthenticationFailed, message, SudoRemedy);
            }

            if (output.ExitCode == 127 || error.Contains("command not found") || error.Contains(": not found"))
            {
                return new ApplianceException(ApplianceErrorKind.NotSupported, message, $"Install iproute2 and nftables on {host} (apt-get install iproute2 nftables), or put tc and nft on the PATH of the SSH account (sudo uses secure_path).");
            }

            if (error.Contains("Cannot find device"))
            {
                return new ApplianceException(ApplianceErrorKind.NotFound, message, $"Check the interface names given in -Option @{{ Interface = ... }} against 'ip link' on {host}.");
            }

            if (error.Contains("Operation not permitted") || error.Contains("Permission denied"))
            {
                return new ApplianceException(ApplianceErrorKind.AuthenticationFailed, message, "tc and nft need root rights (CAP_NET_ADMIN). " + SudoRemedy);
            }

            return new ApplianceException(ApplianceErrorKind.Failed, message);
        }

        private static string Summary(SshCommandOutput output)
        {
            string text = (output.StandardError.Length > 0 ? output.StandardError : output.StandardOutput).Trim();
            text = string.Join(" ", text.Split(new[] { '\n', '\r', '\t' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
            return text.Length > 400 ? text.Substring(0, 400) + "..." : text;
        }
    }
}
