using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Firewall.Nftables
{
    /// <summary>
    /// A Linux host's nftables firewall managed over SSH with nft. RemoteOps owns exactly one
    /// table (TableName, default inet remoteops) and replaces it as a whole; no other table, and
    /// nothing outside nftables, is read or changed.
    /// </summary>
    /// <remarks>
    /// <para>Every change is one script sent on standard input: checked first with "nft -c -f -"
    /// (parsed and validated by the kernel without being applied, nft(8)), then loaded with
    /// "nft -f -", which is one transaction: a failure anywhere leaves the old table as it was
    /// (nftables wiki, "Atomic rule replacement"). The table is then read back with
    /// "nft -j list table" (libnftables-json(5)).</para>
    /// <para>Changes on one host run one at a time. The driver owns its shell and closes it on Dispose.</para>
    /// <para>A change with a confirm window is rolled back by a timer on the host
    /// (<see cref="IFirewallCommitConfirm"/>, see NftablesCommitConfirm); whether a new SSH login
    /// still gets in after a change is checked with a second connection (<see cref="IManagementPathCheck"/>).</para>
    /// </remarks>
    public sealed class NftablesFirewall : IFirewall, IFirewallCommitConfirm, IManagementPathCheck
    {
        /// <summary>The driver name users pass to Connect-RoAppliance -Driver.</summary>
        public const string DriverName = "Nftables";

        /// <summary>What the driver can do.</summary>
        public const ApplianceCapabilities DriverCapabilities = ApplianceCapabilities.FirewallPolicy;

        private const string SudoRemedy = "Let the SSH account run nft through 'sudo -n' without a password (a NOPASSWD sudoers rule), or connect as root.";

        private readonly IRemoteShell shell;
        private readonly string family;
        private readonly string table;
        private readonly SemaphoreSlim writeLock = new SemaphoreSlim(1, 1);
        private readonly NftablesCommitConfirm commitConfirm;
        private readonly Func<CancellationToken, Task<IRemoteShell>> openAnother;
        private int disposed;

        private NftablesFirewall(IRemoteShell shell, NftablesOptions options, string name, string version, Func<CancellationToken, Task<IRemoteShell>> openAnother)
        {
            this.shell = shell;
            family = options.Family;
            table = options.TableName;
            this.openAnother = openAnother;
            Info = new ApplianceInfo { Driver = DriverName, Address = shell.Host, Name = name, Version = version };
            commitConfirm = new NftablesCommitConfirm(shell, family, table, options.UseSudo, options.RollbackDirectory, Info.Address, PolicyScope);
        }

        /// <inheritdoc />
        public ApplianceInfo Info { get; }

        /// <inheritdoc />
        public ApplianceCapabilities Capabilities => DriverCapabilities;

        /// <inheritdoc />
        public string PolicyScope => $"nftables table {family} {table}";

        /// <summary>
        /// Checks the settings, then that nft runs with the rights to read the ruleset (it needs
        /// CAP_NET_ADMIN even to list), and reads the host name and nft version. The shell is not
        /// disposed when this fails: the caller still owns it then.
        /// </summary>
        /// <param name="shell">The SSH shell to work through; owned by the driver once opened.</param>
        /// <param name="options">The driver settings.</param>
        /// <param name="cancellationToken">Stops the opening.</param>
        /// <param name="openAnother">Opens a second, new shell the way this one was opened (for the management path check); null: the check is not offered.</param>
        public static async Task<NftablesFirewall> OpenAsync(IRemoteShell shell, NftablesOptions options, CancellationToken cancellationToken, Func<CancellationToken, Task<IRemoteShell>> openAnother = null)
        {
            if (shell == null)
            {
                throw new ArgumentNullException(nameof(shell));
            }

            options = options ?? new NftablesOptions();
            NftablesRuleset.CheckTable(options.Family, options.TableName);
            NftablesCommitConfirm.CheckDirectory(options.RollbackDirectory);
            SshCommandOutput version = await shell.RunPrivilegedAsync(new[] { "nft", "--version" }, null, cancellationToken).ConfigureAwait(false);
            if (version.ExitCode != 0)
            {
                throw Failure("Running nft --version", shell.Host, version);
            }

            SshCommandOutput tables = await shell.RunPrivilegedAsync(new[] { "nft", "-j", "list", "tables" }, null, cancellationToken).ConfigureAwait(false);
            if (tables.ExitCode != 0)
            {
                throw Failure("Listing the nftables tables", shell.Host, tables);
            }

            SshCommandOutput name = await shell.RunAsync("uname -n", null, cancellationToken).ConfigureAwait(false);
            return new NftablesFirewall(shell, options, name.ExitCode == 0 ? name.StandardOutput.Trim() : shell.Host, version.StandardOutput.Trim(), openAnother);
        }

        /// <inheritdoc />
        public async Task<FirewallPolicy> GetPolicyAsync(CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunAsync(new[] { "nft", "-j", "list", "table", family, table }, null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                if (IsMissingTable(output))
                {
                    return new FirewallPolicy();
                }

                throw Failure($"Reading {PolicyScope}", shell.Host, output);
            }

            try
            {
                FirewallPolicy policy = NftablesJson.Parse(output.StandardOutput, family, table);
                foreach (FirewallRule rule in policy.Rules)
                {
                    rule.Appliance = Info.Address;
                }

                return policy;
            }
            catch (FormatException bad)
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"Reading {PolicyScope} on {shell.Host}: {bad.Message}");
            }
        }

        /// <inheritdoc />
        public async Task<string> ExportPolicyAsync(CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunAsync(new[] { "nft", "list", "table", family, table }, null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                if (IsMissingTable(output))
                {
                    return string.Empty;
                }

                throw Failure($"Exporting {PolicyScope}", shell.Host, output);
            }

            return output.StandardOutput;
        }

        /// <inheritdoc />
        public async Task ReplacePolicyAsync(FirewallPolicy policy, CancellationToken cancellationToken)
        {
            string script = NftablesRuleset.Render(policy, family, table);
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                SshCommandOutput check = await RunAsync(new[] { "nft", "-c", "-f", "-" }, script, cancellationToken).ConfigureAwait(false);
                if (check.ExitCode != 0)
                {
                    throw Refused("refused the new rules in its check (nothing was changed)", check, script);
                }

                SshCommandOutput load = await RunAsync(new[] { "nft", "-f", "-" }, script, cancellationToken).ConfigureAwait(false);
                if (load.TimedOut)
                {
                    throw new ApplianceException(ApplianceErrorKind.TimedOut, $"Loading the new {PolicyScope} on {shell.Host} did not finish in time.",
                        "The load is one transaction: it either happened completely or not at all. Check with Get-RoFirewallRule.");
                }

                if (load.ExitCode != 0)
                {
                    throw Refused("refused the new rules (the load is one transaction, so nothing was changed)", load, script);
                }
            }
            finally
            {
                writeLock.Release();
            }
        }

        /// <inheritdoc />
        public Task<FirewallChange> ArmRollbackAsync(string changeId, TimeSpan window, string description, string savedExport, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            return commitConfirm.ArmAsync(changeId, window, description, savedExport, cancellationToken);
        }

        /// <inheritdoc />
        public Task<IReadOnlyList<FirewallChange>> GetChangesAsync(CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            return commitConfirm.GetChangesAsync(cancellationToken);
        }

        /// <inheritdoc />
        public Task<FirewallChange> ConfirmAsync(string changeId, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            return commitConfirm.ConfirmAsync(changeId, cancellationToken);
        }

        /// <inheritdoc />
        public async Task<FirewallChange> UndoAsync(string changeId, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await commitConfirm.UndoAsync(changeId, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        /// <summary>Opens a second SSH connection the way this one was opened and runs 'true' over it: what the administrator's next login would meet.</summary>
        public async Task<string> CheckNewConnectionAsync(CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (openAnother == null)
            {
                return null;
            }

            try
            {
                using (IRemoteShell another = await openAnother(cancellationToken).ConfigureAwait(false))
                {
                    SshCommandOutput output = await another.RunAsync("true", null, cancellationToken).ConfigureAwait(false);
                    return output.ExitCode == 0 ? null : $"a new SSH login to {Info.Address} ran 'true' with exit code {output.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}";
                }
            }
            catch (OperationCanceledException)
            {
                return $"a new SSH connection to {Info.Address} did not get in within the time allowed";
            }
            catch (ApplianceException failed)
            {
                return $"a new SSH connection to {Info.Address} failed: {failed.Message}";
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

        /// <summary>nft's errors name the line of the script ("/dev/stdin:7:43-59: Error: ..."); the message quotes those lines so the rule is visible.</summary>
        internal static string QuoteFailingLines(string error, string script)
        {
            string[] lines = script.Split('\n');
            var quoted = new StringBuilder();
            foreach (string errorLine in (error ?? string.Empty).Split('\n').Where(l => l.Contains(": Error:")))
            {
                quoted.Append(errorLine.Trim());
                string[] parts = errorLine.Split(':');
                if (parts.Length > 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1 && number <= lines.Length)
                {
                    quoted.Append(" [line ").Append(number.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(lines[number - 1].Trim()).Append(']');
                }

                quoted.Append(' ');
            }

            return quoted.ToString().Trim();
        }

        private ApplianceException Refused(string what, SshCommandOutput output, string script)
        {
            ApplianceException classified = Failure($"nft on {shell.Host}", shell.Host, output);
            if (classified.Kind != ApplianceErrorKind.Failed)
            {
                return classified;
            }

            string detail = QuoteFailingLines(output.StandardError, script);
            return new ApplianceException(
                ApplianceErrorKind.InvalidRequest,
                $"nft on {shell.Host} {what}: {(detail.Length > 0 ? detail : Summary(output))}",
                "Correct the rule named in the quoted line; the checks RemoteOps makes before sending do not cover everything nftables refuses.");
        }

        // Every nft call is privileged (nft needs CAP_NET_ADMIN even to list): sudo runs nft itself,
        // so a sudoers rule for /usr/sbin/nft is enough.
        private Task<SshCommandOutput> RunAsync(string[] command, string standardInput, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            return shell.RunPrivilegedAsync(command, standardInput, cancellationToken);
        }

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(NftablesFirewall), $"The connection to {Info.Address} is closed; connect again (Connect-RoAppliance).");
            }
        }

        private static bool IsMissingTable(SshCommandOutput output) =>
            output.ExitCode == 1 && output.StandardError.IndexOf("No such file or directory", StringComparison.Ordinal) >= 0;

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
                return new ApplianceException(ApplianceErrorKind.NotSupported, message, $"Install nftables on {host} (apt-get install nftables), or put nft on the PATH of the SSH account (sudo uses secure_path).");
            }

            if (error.Contains("Operation not permitted") || error.Contains("Permission denied"))
            {
                return new ApplianceException(ApplianceErrorKind.AuthenticationFailed, message, "nft needs root rights (CAP_NET_ADMIN). " + SudoRemedy);
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
