using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Firewall.Nftables
{
    /// <summary>
    /// The host side of a change with a confirm window on nftables: the table as it was is kept
    /// in a file on the host and a timer process there loads it back at the deadline unless the
    /// change is confirmed (scripts and file layout: <see cref="NftablesRollbackScripts"/>).
    /// Everything is on the host, so the rollback happens when the change cut the SSH path, and
    /// any later connection, from any session, can see, confirm or undo the change.
    /// </summary>
    internal sealed class NftablesCommitConfirm
    {
        private static readonly Regex ChangeIdPattern = new Regex("^[0-9a-f]{12}\\z", RegexOptions.CultureInvariant);
        private readonly IRemoteShell shell;
        private readonly string family;
        private readonly string table;
        private readonly bool useSudo;
        private readonly string directory;
        private readonly string address;
        private readonly string scope;

        internal NftablesCommitConfirm(IRemoteShell shell, string family, string table, bool useSudo, string stateDirectory, string address, string scope)
        {
            this.shell = shell;
            this.family = family;
            this.table = table;
            this.useSudo = useSudo;
            directory = (string.IsNullOrEmpty(stateDirectory) ? NftablesRollbackScripts.DefaultBase : stateDirectory.TrimEnd('/')) + "/" + family + "-" + table;
            this.address = address;
            this.scope = scope;
        }

        /// <summary>Checks a RollbackDirectory setting: empty (the default) or an absolute path of plain characters.</summary>
        internal static void CheckDirectory(string value)
        {
            if (!string.IsNullOrEmpty(value) && !Regex.IsMatch(value, "^/[A-Za-z0-9._/-]*\\z", RegexOptions.CultureInvariant))
            {
                throw new ArgumentException($"RollbackDirectory '{value}' is not valid: give an absolute path of letters, digits, '.', '_', '-' and '/', or leave it empty for ~/.remoteops/nftables.");
            }
        }

        /// <summary>The lines that replace the table with the saved export in one nft -f transaction (no table at all when the export is empty).</summary>
        internal string RollbackScript(string savedExport)
        {
            var text = new StringBuilder();
            text.Append("# Written by RemoteOps: puts ").Append(scope).Append(" back as it was before a change.\n");
            text.Append("table ").Append(family).Append(' ').Append(table).Append('\n');
            text.Append("delete table ").Append(family).Append(' ').Append(table).Append('\n');
            text.Append(savedExport ?? string.Empty);
            if (text[text.Length - 1] != '\n')
            {
                text.Append('\n');
            }

            return text.ToString();
        }

        internal async Task<FirewallChange> ArmAsync(string changeId, TimeSpan window, string description, string savedExport, CancellationToken cancellationToken)
        {
            CheckId(changeId);
            int seconds = (int)Math.Ceiling(window.TotalSeconds);
            string words = Regex.Replace(description ?? string.Empty, "[\\x00-\\x1f\\x7f]", " ");
            SshCommandOutput prepared = await shell.RunAsync(
                NftablesRollbackScripts.Line(NftablesRollbackScripts.Prepare, directory, changeId, seconds.ToString(CultureInfo.InvariantCulture), words, NftablesRollbackScripts.Fire),
                RollbackScript(savedExport),
                cancellationToken).ConfigureAwait(false);
            var values = NftablesRollbackScripts.ParseBlocks(prepared.StandardOutput)[0].Values;
            if (prepared.ExitCode == 3)
            {
                throw Busy(values);
            }

            if (prepared.ExitCode != 0 || !values.ContainsKey("dir"))
            {
                throw Failed("Preparing the rollback", prepared);
            }

            DateTimeOffset clientNow = DateTimeOffset.UtcNow;
            string dir = values["dir"];
            var change = new FirewallChange
            {
                ChangeId = changeId,
                Appliance = address,
                Scope = scope,
                State = FirewallChangeState.Pending,
                Deadline = ToClientClock(values, "deadline", clientNow),
                RollbackGuarantee = FirewallRollbackGuarantee.HostTimer,
                Timer = values.TryGetValue("timer", out string timer) ? timer : "none",
                Description = words,
            };

            try
            {
                // The saved table must load back, or no rollback can be promised.
                SshCommandOutput check = await shell.RunPrivilegedAsync(new[] { "nft", "-c", "-f", dir + "/rollback-" + changeId + ".nft" }, null, cancellationToken).ConfigureAwait(false);
                if (check.ExitCode != 0)
                {
                    throw new ApplianceException(ApplianceErrorKind.Failed,
                        $"The copy of {scope} saved on {address} for the rollback does not load back (nft -c refused it: {Summary(check)}); nothing was changed.",
                        "Look at the table with 'nft list table'; a table RemoteOps cannot read back cannot be rolled back.");
                }

                if (change.Timer == "systemd-run")
                {
                    string unit = "remoteops-rollback-" + changeId;
                    SshCommandOutput started = await shell.RunPrivilegedAsync(new[]
                    {
                        "systemd-run", "--unit=" + unit, "--on-active=" + seconds.ToString(CultureInfo.InvariantCulture), "--timer-property=AccuracySec=1s",
                        "--description=RemoteOps rollback of " + scope + " (change " + changeId + ")",
                        "/bin/sh", dir + "/fire.sh", dir, changeId, "now", "nosudo", "timer",
                    }, null, cancellationToken).ConfigureAwait(false);
                    if (started.ExitCode != 0)
                    {
                        throw Failed("Starting the rollback timer (systemd-run)", started);
                    }

                    await shell.RunAsync(NftablesRollbackScripts.Line(NftablesRollbackScripts.RecordUnit, dir, changeId, unit), null, cancellationToken).ConfigureAwait(false);
                }
                else if (change.Timer == "setsid")
                {
                    SshCommandOutput started = await shell.RunAsync(
                        NftablesRollbackScripts.Line(NftablesRollbackScripts.StartSetsid, dir, changeId, useSudo ? "sudo" : "nosudo"), null, cancellationToken).ConfigureAwait(false);
                    if (started.ExitCode != 0 || NftablesRollbackScripts.Seconds(NftablesRollbackScripts.ParseBlocks(started.StandardOutput)[0].Values, "pid") == null)
                    {
                        throw Failed("Starting the rollback timer (setsid)", started);
                    }
                }
                else
                {
                    throw new ApplianceException(ApplianceErrorKind.NotSupported,
                        $"{address} has neither systemd-run (with systemd running) nor setsid, so no rollback timer can run there; nothing was changed.",
                        "Install util-linux (setsid), or apply the change without -ConfirmWithinSec.");
                }
            }
            catch
            {
                await ForgetAsync(changeId, claim: true).ConfigureAwait(false);
                throw;
            }

            return change;
        }

        internal async Task<IReadOnlyList<FirewallChange>> GetChangesAsync(CancellationToken cancellationToken)
        {
            SshCommandOutput output = await shell.RunAsync(NftablesRollbackScripts.Line(NftablesRollbackScripts.Status, directory), null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                throw Failed("Reading the pending changes", output);
            }

            DateTimeOffset clientNow = DateTimeOffset.UtcNow;
            var blocks = NftablesRollbackScripts.ParseBlocks(output.StandardOutput);
            var head = blocks[0].Values;
            var changes = new List<FirewallChange>();
            foreach (var (name, values) in blocks.Skip(1))
            {
                FirewallChange change = FromRecord(values, head, clientNow);
                if (name == "pending")
                {
                    bool rebooted = values.TryGetValue("boot", out string boot) && head.TryGetValue("boot", out string now) && boot.Length > 0 && boot != now;
                    bool timerGone = values.TryGetValue("alive", out string alive) && alive == "0";
                    if (rebooted || timerGone)
                    {
                        change.State = FirewallChangeState.RollbackFailed;
                        change.Reason = rebooted
                            ? "The host restarted while the change was pending, and the rollback timer with it: no rollback ran."
                            : "The rollback timer process on the host is gone (killed?) while the change is pending: no rollback will run. Undo it or confirm it.";
                    }
                }
                else
                {
                    change.State = values.TryGetValue("outcome", out string outcome) && outcome == "RolledBack" ? FirewallChangeState.RolledBack : FirewallChangeState.RollbackFailed;
                    change.Settled = ToClientClock(values, "settled", clientNow, head);
                    change.Reason = change.State == FirewallChangeState.RolledBack
                        ? "Not confirmed by the deadline: the host's timer put the previous table back."
                        : "The host's timer could not put the previous table back: " + (values.TryGetValue("error", out string error) ? error.Trim() : "no error text");
                }

                changes.Add(change);
            }

            return changes;
        }

        internal async Task<FirewallChange> ConfirmAsync(string changeId, CancellationToken cancellationToken)
        {
            CheckId(changeId);
            SshCommandOutput claimed = await shell.RunAsync(NftablesRollbackScripts.Line(NftablesRollbackScripts.Claim, directory, changeId, "confirmed"), null, cancellationToken).ConfigureAwait(false);
            if (claimed.ExitCode == 4)
            {
                return await NotPendingAsync(changeId, "confirm", cancellationToken).ConfigureAwait(false);
            }

            if (claimed.ExitCode != 0)
            {
                throw Failed("Confirming the change", claimed);
            }

            DateTimeOffset clientNow = DateTimeOffset.UtcNow;
            var values = NftablesRollbackScripts.ParseBlocks(claimed.StandardOutput)[0].Values;
            FirewallChange change = FromRecord(values, null, clientNow);
            await StopUnitAsync(values, CancellationToken.None).ConfigureAwait(false);
            await ForgetAsync(changeId, claim: false).ConfigureAwait(false);
            change.State = FirewallChangeState.Confirmed;
            change.Settled = clientNow;
            return change;
        }

        internal async Task<FirewallChange> UndoAsync(string changeId, CancellationToken cancellationToken)
        {
            CheckId(changeId);
            SshCommandOutput claimed = await shell.RunAsync(NftablesRollbackScripts.Line(NftablesRollbackScripts.Claim, directory, changeId, "undoing"), null, cancellationToken).ConfigureAwait(false);
            if (claimed.ExitCode == 4)
            {
                return await NotPendingAsync(changeId, "undo", cancellationToken).ConfigureAwait(false);
            }

            if (claimed.ExitCode != 0)
            {
                throw Failed("Claiming the change to undo it", claimed);
            }

            var pending = NftablesRollbackScripts.ParseBlocks(claimed.StandardOutput)[0].Values;
            await StopUnitAsync(pending, CancellationToken.None).ConfigureAwait(false);

            // From here on the change is claimed: finish the rollback even when the caller stops.
            SshCommandOutput undone = await shell.RunAsync(
                NftablesRollbackScripts.Line(NftablesRollbackScripts.RollBackNow, directory, changeId, useSudo ? "sudo" : "nosudo"), null, CancellationToken.None).ConfigureAwait(false);
            await ForgetAsync(changeId, claim: false).ConfigureAwait(false);
            DateTimeOffset clientNow = DateTimeOffset.UtcNow;
            var values = NftablesRollbackScripts.ParseBlocks(undone.StandardOutput)[0].Values;
            FirewallChange change = FromRecord(values.Count > 0 ? values : pending, null, clientNow);
            bool ok = values.TryGetValue("outcome", out string outcome) && outcome == "RolledBack";
            change.State = ok ? FirewallChangeState.RolledBack : FirewallChangeState.RollbackFailed;
            change.Settled = clientNow;
            change.Reason = ok ? "Undone (Undo-RoFirewallChange)." : "Loading the saved table failed: " + (values.TryGetValue("error", out string error) ? error.Trim() : Summary(undone));
            return change;
        }

        private async Task<FirewallChange> NotPendingAsync(string changeId, string verb, CancellationToken cancellationToken)
        {
            FirewallChange ended = (await GetChangesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.ChangeId == changeId && c.State != FirewallChangeState.Pending);
            if (ended != null)
            {
                return ended;
            }

            throw new ApplianceException(ApplianceErrorKind.NotFound,
                $"{address} has no pending change {changeId} on {scope} to {verb}: it was confirmed or undone already, or it never existed there.",
                "List the pending changes with Get-RoFirewallChange; a host rollback is reported once, to the first session that looks.");
        }

        private async Task StopUnitAsync(Dictionary<string, string> values, CancellationToken cancellationToken)
        {
            if (values.TryGetValue("unit", out string unit) && Regex.IsMatch(unit, "^remoteops-rollback-[0-9a-f]{12}\\z", RegexOptions.CultureInvariant))
            {
                // The claim already keeps the timer from rolling back; stopping it only tidies up.
                await shell.RunPrivilegedAsync(new[] { "systemctl", "stop", unit + ".timer" }, null, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task ForgetAsync(string changeId, bool claim)
        {
            if (claim)
            {
                await shell.RunAsync(NftablesRollbackScripts.Line(NftablesRollbackScripts.Claim, directory, changeId, "confirmed"), null, CancellationToken.None).ConfigureAwait(false);
            }

            await shell.RunAsync(NftablesRollbackScripts.Line(NftablesRollbackScripts.Forget, directory, changeId), null, CancellationToken.None).ConfigureAwait(false);
        }

        private FirewallChange FromRecord(Dictionary<string, string> values, Dictionary<string, string> head, DateTimeOffset clientNow) => new FirewallChange
        {
            ChangeId = values.TryGetValue("id", out string id) ? id : null,
            Appliance = address,
            Scope = scope,
            State = FirewallChangeState.Pending,
            Deadline = ToClientClock(values, "deadline", clientNow, head),
            RollbackGuarantee = FirewallRollbackGuarantee.HostTimer,
            Timer = values.TryGetValue("timer", out string timer) ? timer : "setsid",
            Description = values.TryGetValue("description", out string description) ? description : null,
        };

        // The host counts in its own clock; shown in this computer's, by the difference of the two "now"s.
        private static DateTimeOffset ToClientClock(Dictionary<string, string> values, string key, DateTimeOffset clientNow, Dictionary<string, string> head = null)
        {
            long? at = NftablesRollbackScripts.Seconds(values, key);
            long? hostNow = NftablesRollbackScripts.Seconds(head ?? values, "now") ?? NftablesRollbackScripts.Seconds(values, "armed");
            if (at == null)
            {
                return clientNow;
            }

            return hostNow == null ? DateTimeOffset.FromUnixTimeSeconds(at.Value) : clientNow.AddSeconds(at.Value - hostNow.Value);
        }

        private ApplianceException Busy(Dictionary<string, string> pending)
        {
            string id = pending.TryGetValue("id", out string value) ? value : "?";
            return new ApplianceException(ApplianceErrorKind.InUse,
                $"Change {id} on {scope} of {address} is waiting for confirmation; nothing was changed.",
                $"Confirm it (Confirm-RoFirewallChange -ChangeId {id}) or roll it back (Undo-RoFirewallChange -ChangeId {id}) first.");
        }

        internal static void CheckId(string changeId)
        {
            if (changeId == null || !ChangeIdPattern.IsMatch(changeId))
            {
                throw new ArgumentException($"'{changeId}' is not a change id: a change id is 12 hexadecimal digits (lower case), as Set-RoFirewallPolicy -ConfirmWithinSec returns it.");
            }
        }

        private ApplianceException Failed(string what, SshCommandOutput output)
        {
            if (output.TimedOut)
            {
                return new ApplianceException(ApplianceErrorKind.TimedOut, $"{what} on {address} did not finish in time.", "Retry; check the change with Get-RoFirewallChange.");
            }

            return new ApplianceException(ApplianceErrorKind.Failed, $"{what} on {address} failed" +
                (output.ExitCode.HasValue ? $" (exit code {output.ExitCode.Value.ToString(CultureInfo.InvariantCulture)})" : string.Empty) + ": " + Summary(output));
        }

        private static string Summary(SshCommandOutput output)
        {
            string text = (output.StandardError.Length > 0 ? output.StandardError : output.StandardOutput).Trim();
            text = string.Join(" ", text.Split(new[] { '\n', '\r', '\t' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
            return text.Length > 400 ? text.Substring(0, 400) + "..." : text;
        }
    }
}
