using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;
using RemoteOps.Core.FortiOs;

namespace RemoteOps.Core.Firewall.FortiOs
{
    /// <summary>
    /// The firewall side of a FortiGate over the FortiOS REST API: the IPv4 firewall policies,
    /// address objects, address groups and custom services RemoteOps writes (see
    /// <see cref="FortiOsPolicyMapping"/>). Policies and objects without RemoteOps's marker are
    /// never changed, moved or removed.
    /// </summary>
    /// <remarks>
    /// FortiOS's REST API has no transaction: a change is a series of calls (objects first, then
    /// policies, moves, removals, and unused objects last, so no call refers to something missing).
    /// When a call fails halfway, the same reconciliation runs again towards the policy read
    /// before the change, which restores it (a removed policy comes back with a new id); the error
    /// then says whether that restore succeeded. Sources: docs/drivers.md, "FortiGate firewall".
    /// </remarks>
    internal sealed class FortiOsFirewall
    {
        private const string PolicyPath = "/api/v2/cmdb/firewall/policy";
        private const string AddressPath = "/api/v2/cmdb/firewall/address";
        private const string GroupPath = "/api/v2/cmdb/firewall/addrgrp";
        private const string ServicePath = "/api/v2/cmdb/firewall.service/custom";

        private readonly RestClient client;
        private readonly string appliance;
        private readonly IReadOnlyList<string> sourceInterfaces;
        private readonly IReadOnlyList<string> destinationInterfaces;
        private readonly SemaphoreSlim writeLock = new SemaphoreSlim(1, 1);

        public FortiOsFirewall(RestClient client, string appliance, IReadOnlyList<string> sourceInterfaces, IReadOnlyList<string> destinationInterfaces)
        {
            this.client = client;
            this.appliance = appliance;
            this.sourceInterfaces = sourceInterfaces;
            this.destinationInterfaces = destinationInterfaces;
        }

        /// <summary>What the driver manages, in words.</summary>
        public string Scope => $"FortiOS firewall policies marked {FortiOsPolicyMapping.Marker}";

        /// <summary>The managed policies as rules (in policy order) and the managed address groups as address objects.</summary>
        public async Task<FirewallPolicy> GetPolicyAsync(CancellationToken cancellationToken)
        {
            DeviceState state = await ReadAsync(cancellationToken).ConfigureAwait(false);
            return ToPolicy(state);
        }

        /// <summary>The managed policies, groups, addresses and services as FortiOS JSON, one document.</summary>
        public async Task<string> ExportAsync(CancellationToken cancellationToken)
        {
            DeviceState state = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (state.ManagedPolicies.Count == 0 && state.ManagedGroups.Count == 0)
            {
                return string.Empty;
            }

            var document = new JObject
            {
                ["firewall/policy"] = new JArray(state.ManagedPolicies),
                ["firewall/addrgrp"] = new JArray(state.ManagedGroups),
                ["firewall/address"] = new JArray(state.Addresses.Where(a => FortiOsPolicyMapping.IsManaged((string)a["comment"]))),
                ["firewall.service/custom"] = new JArray(state.Services.Where(s => FortiOsPolicyMapping.IsManaged((string)s["comment"]))),
            };
            return document.ToString(Formatting.Indented);
        }

        /// <summary>
        /// Makes the managed part equal <paramref name="desired"/> (canonical); on a failure
        /// halfway, restores what was read before and reports whether that worked.
        /// </summary>
        public async Task ReplaceAsync(FirewallPolicy desired, CancellationToken cancellationToken)
        {
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                DeviceState before = await ReadAsync(cancellationToken).ConfigureAwait(false);
                CheckDeviceLimits(desired, before);
                try
                {
                    await ReconcileAsync(desired, before, cancellationToken).ConfigureAwait(false);
                }
                catch (ApplianceException failure)
                {
                    throw await RestoreAfterAsync(failure, ToPolicy(before)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopped halfway: put back what was there rather than leave a half change.
                    await RestoreAfterAsync(new ApplianceException(ApplianceErrorKind.Cancelled, "The change was stopped."), ToPolicy(before)).ConfigureAwait(false);
                    throw;
                }
            }
            finally
            {
                writeLock.Release();
            }
        }

        /// <summary>What FortiOS would refuse, or what would touch objects RemoteOps does not own, refused before any call.</summary>
        private static void CheckDeviceLimits(FirewallPolicy desired, DeviceState state)
        {
            var foreignPolicyNames = new HashSet<string>(state.AllPolicies.Where(p => !FortiOsPolicyMapping.IsManaged((string)p["comments"])).Select(p => (string)p["name"]).Where(n => !string.IsNullOrEmpty(n)), StringComparer.Ordinal);
            foreach (FirewallRule rule in desired.Rules)
            {
                if (rule.Chain != FirewallChain.Forward)
                {
                    throw new ApplianceException(ApplianceErrorKind.NotSupported,
                        $"Rule '{rule.Name}' is for the Input chain; on a FortiGate that is a local-in policy, which RemoteOps does not manage.",
                        "Give the rule Chain Forward, or manage local-in policies on the FortiGate itself.");
                }

                if (rule.Name.Length > FortiOsPolicyMapping.MaxPolicyName)
                {
                    throw new ApplianceException(ApplianceErrorKind.InvalidRequest,
                        $"Rule '{rule.Name}' has a name of {rule.Name.Length} characters; a FortiOS policy name holds at most {FortiOsPolicyMapping.MaxPolicyName}.",
                        "Shorten the rule name.");
                }

                if (FortiOsPolicyMapping.PolicyComment(rule.Comment).Length > FortiOsPolicyMapping.MaxComments)
                {
                    throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"Rule '{rule.Name}': the comment is longer than a FortiOS policy comment can be.", "Shorten the comment.");
                }

                if (foreignPolicyNames.Contains(rule.Name))
                {
                    throw new ApplianceException(ApplianceErrorKind.AlreadyExists,
                        $"Rule '{rule.Name}': the FortiGate already has a policy of that name that RemoteOps did not write.",
                        "Choose another rule name; RemoteOps leaves policies it did not write alone.");
                }
            }

            foreach (FirewallAddressObject item in desired.AddressObjects)
            {
                bool foreign = state.AllGroups.Any(g => Same((string)g["name"], item.Name) && !FortiOsPolicyMapping.IsManaged((string)g["comment"]))
                    || state.Addresses.Any(a => Same((string)a["name"], item.Name));
                if (foreign)
                {
                    throw new ApplianceException(ApplianceErrorKind.AlreadyExists,
                        $"Address object '{item.Name}': the FortiGate already has an address or address group of that name that RemoteOps did not write.",
                        "Give the address object another name.");
                }
            }
        }

        private async Task ReconcileAsync(FirewallPolicy desired, DeviceState state, CancellationToken cancellationToken)
        {
            // 1. Objects the desired rules and groups refer to.
            var neededAddresses = desired.AddressObjects.SelectMany(o => o.Addresses)
                .Concat(desired.Rules.SelectMany(r => r.Source.Concat(r.Destination)))
                .Where(a => !FirewallAddress.Parse(a).IsObject).Distinct(StringComparer.Ordinal).ToList();
            foreach (string address in neededAddresses.Where(a => !state.Addresses.Any(x => Same((string)x["name"], FortiOsPolicyMapping.AddressObjectName(a)))))
            {
                await CreateAsync(AddressPath, FortiOsPolicyMapping.AddressBody(address), $"Creating address '{FortiOsPolicyMapping.AddressObjectName(address)}'", cancellationToken).ConfigureAwait(false);
            }

            var neededServices = desired.Rules.SelectMany(FortiOsPolicyMapping.ServiceNames).Where(n => n.StartsWith(FortiOsPolicyMapping.ObjectPrefix, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);
            foreach (string service in neededServices.Where(s => !state.Services.Any(x => Same((string)x["name"], s))))
            {
                await CreateAsync(ServicePath, FortiOsPolicyMapping.ServiceBody(service), $"Creating service '{service}'", cancellationToken).ConfigureAwait(false);
            }

            foreach (FirewallAddressObject item in desired.AddressObjects)
            {
                var body = new JObject
                {
                    ["name"] = item.Name,
                    ["member"] = new JArray(FortiOsPolicyMapping.AddressNames(item.Addresses).Select(n => new JObject { ["name"] = n })),
                    ["comment"] = FortiOsPolicyMapping.Marker,
                };
                JObject current = state.ManagedGroups.FirstOrDefault(g => Same((string)g["name"], item.Name));
                if (current == null)
                {
                    await CreateAsync(GroupPath, body, $"Creating address group '{item.Name}'", cancellationToken).ConfigureAwait(false);
                }
                else if (FortiOsPolicyMapping.DifferingFields(current, body).Count > 0)
                {
                    await SendAsync(HttpMethod.Put, GroupPath + "/" + Uri.EscapeDataString(item.Name), body, $"Changing address group '{item.Name}'", cancellationToken).ConfigureAwait(false);
                }
            }

            // 2. Policies: change or add, in the desired order.
            var ids = new List<long>();
            foreach (FirewallRule rule in desired.Rules)
            {
                JObject body = FortiOsPolicyMapping.PolicyBody(rule, sourceInterfaces, destinationInterfaces);
                JObject current = state.ManagedPolicies.FirstOrDefault(p => string.Equals((string)p["name"], rule.Name, StringComparison.Ordinal));
                if (current == null)
                {
                    // policyid 0: the FortiGate assigns the id and answers it as mkey; the new policy goes last.
                    body["policyid"] = 0;
                    RestResponse created = await SendAsync(HttpMethod.Post, PolicyPath, body, $"Adding policy '{rule.Name}'", cancellationToken).ConfigureAwait(false);
                    long id = created.Json?["mkey"]?.Type == JTokenType.Integer || created.Json?["mkey"]?.Type == JTokenType.String
                        ? Convert.ToInt64((object)((JValue)created.Json["mkey"]).Value, System.Globalization.CultureInfo.InvariantCulture)
                        : throw new ApplianceException(ApplianceErrorKind.Failed, $"Adding policy '{rule.Name}' on {appliance}: the reply has no policy id (mkey).");
                    ids.Add(id);
                    state.Order.Add(id);
                }
                else
                {
                    long id = FortiOsPolicyMapping.PolicyId(current);
                    if (FortiOsPolicyMapping.DifferingFields(current, body).Count > 0)
                    {
                        await SendAsync(HttpMethod.Put, PolicyPath + "/" + FortiOsPolicyMapping.IdText(id), body, $"Changing policy '{rule.Name}'", cancellationToken).ConfigureAwait(false);
                    }

                    ids.Add(id);
                }
            }

            await OrderAsync(ids, state.Order, cancellationToken).ConfigureAwait(false);

            // 3. Removals: policies first, then the groups and objects nothing refers to any more.
            foreach (JObject policy in state.ManagedPolicies.Where(p => !ids.Contains(FortiOsPolicyMapping.PolicyId(p))))
            {
                await SendAsync(HttpMethod.Delete, PolicyPath + "/" + FortiOsPolicyMapping.IdText(FortiOsPolicyMapping.PolicyId(policy)), null, $"Removing policy '{policy["name"]}'", cancellationToken).ConfigureAwait(false);
            }

            foreach (JObject group in state.ManagedGroups.Where(g => !desired.AddressObjects.Any(o => Same(o.Name, (string)g["name"]))))
            {
                await SendAsync(HttpMethod.Delete, GroupPath + "/" + Uri.EscapeDataString((string)group["name"]), null, $"Removing address group '{group["name"]}'", cancellationToken).ConfigureAwait(false);
            }

            await RemoveUnusedAsync(AddressPath, state.Addresses, neededAddresses.Select(FortiOsPolicyMapping.AddressObjectName), cancellationToken).ConfigureAwait(false);
            await RemoveUnusedAsync(ServicePath, state.Services, desired.Rules.SelectMany(FortiOsPolicyMapping.ServiceNames), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Moves managed policies until they are in the desired order relative to each other,
        /// moving as few as possible: the longest run already in order stays, every other policy
        /// is moved after its desired predecessor (or before its successor when it comes first).
        /// Policies RemoteOps does not own keep their places.
        /// </summary>
        private async Task OrderAsync(IReadOnlyList<long> desired, List<long> order, CancellationToken cancellationToken)
        {
            HashSet<long> stay = LongestOrderedRun(desired, order);
            for (int i = 0; i < desired.Count; i++)
            {
                long id = desired[i];
                if (stay.Contains(id))
                {
                    continue;
                }

                long anchor = i > 0 ? desired[i - 1] : desired.First(stay.Contains);
                string where = i > 0 ? "after" : "before";
                await SendAsync(HttpMethod.Put, $"{PolicyPath}/{FortiOsPolicyMapping.IdText(id)}?action=move&{where}={FortiOsPolicyMapping.IdText(anchor)}", null, $"Moving policy {id} {where} {anchor}", cancellationToken).ConfigureAwait(false);
                order.Remove(id);
                order.Insert(order.IndexOf(anchor) + (i > 0 ? 1 : 0), id);
                stay.Add(id);
            }
        }

        /// <summary>The desired ids that already stand in desired order on the device (a longest increasing subsequence of their positions).</summary>
        internal static HashSet<long> LongestOrderedRun(IReadOnlyList<long> desired, IReadOnlyList<long> order)
        {
            int[] position = desired.Select(id => order.ToList().IndexOf(id)).ToArray();
            int n = position.Length;
            var length = new int[n];
            var previous = new int[n];
            int best = -1;
            for (int i = 0; i < n; i++)
            {
                length[i] = 1;
                previous[i] = -1;
                for (int j = 0; j < i; j++)
                {
                    if (position[j] < position[i] && length[j] + 1 > length[i])
                    {
                        length[i] = length[j] + 1;
                        previous[i] = j;
                    }
                }

                if (best < 0 || length[i] > length[best])
                {
                    best = i;
                }
            }

            var run = new HashSet<long>();
            for (int i = best; i >= 0; i = previous[i])
            {
                run.Add(desired[i]);
            }

            return run;
        }

        private async Task RemoveUnusedAsync(string path, IEnumerable<JObject> existing, IEnumerable<string> needed, CancellationToken cancellationToken)
        {
            var keep = new HashSet<string>(needed, StringComparer.OrdinalIgnoreCase);
            foreach (JObject item in existing.Where(x => FortiOsPolicyMapping.IsManaged((string)x["comment"]) && !keep.Contains((string)x["name"])))
            {
                RestResponse response = await client.SendAsync(HttpMethod.Delete, path + "/" + Uri.EscapeDataString((string)item["name"]), null, cancellationToken).ConfigureAwait(false);

                // Still used by something RemoteOps does not own (error -23): it stays, which is harmless.
                if (!response.IsSuccess && FortiOsErrorParser.CliCode(response) != FortiOsErrorParser.EntryInUse && response.Code != 404)
                {
                    client.EnsureSuccess(response, $"Removing unused object '{item["name"]}'");
                }
            }
        }

        private async Task<ApplianceException> RestoreAfterAsync(ApplianceException failure, FirewallPolicy previous)
        {
            try
            {
                DeviceState now = await ReadAsync(CancellationToken.None).ConfigureAwait(false);
                await ReconcileAsync(previous, now, CancellationToken.None).ConfigureAwait(false);
                return new ApplianceException(failure.Kind,
                    $"{failure.Message} The FortiGate was put back to the policy it had before the change (policies RemoteOps had to re-create have new ids).",
                    failure.Remedy);
            }
            catch (ApplianceException restoreFailure)
            {
                return new ApplianceException(ApplianceErrorKind.Failed,
                    $"{failure.Message} Putting the previous policy back also failed: {restoreFailure.Message} The FortiGate holds part of the change.",
                    "Read the policies with Get-RoFirewallRule and apply the last export (Set-RoFirewallPolicy -Path <export>) once the FortiGate answers.");
            }
        }

        private async Task CreateAsync(string path, JObject body, string what, CancellationToken cancellationToken)
        {
            RestResponse response = await client.SendAsync(HttpMethod.Post, path, body, cancellationToken).ConfigureAwait(false);

            // A duplicate (-5) means the object is already there, which is what was wanted (a retry after a lost reply).
            if (!response.IsSuccess && FortiOsErrorParser.CliCode(response) == FortiOsErrorParser.DuplicateEntry)
            {
                return;
            }

            client.EnsureSuccess(response, what + " on " + appliance);
        }

        private async Task<RestResponse> SendAsync(HttpMethod method, string path, JObject body, string what, CancellationToken cancellationToken)
        {
            RestResponse response = await client.SendAsync(method, path, body, cancellationToken).ConfigureAwait(false);
            client.EnsureSuccess(response, what + " on " + appliance);
            return response;
        }

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private async Task<DeviceState> ReadAsync(CancellationToken cancellationToken)
        {
            JArray policies = await ListAsync(PolicyPath, "Reading the firewall policies", cancellationToken).ConfigureAwait(false);
            JArray groups = await ListAsync(GroupPath, "Reading the address groups", cancellationToken).ConfigureAwait(false);
            JArray addresses = await ListAsync(AddressPath, "Reading the addresses", cancellationToken).ConfigureAwait(false);
            JArray services = await ListAsync(ServicePath, "Reading the custom services", cancellationToken).ConfigureAwait(false);
            return new DeviceState
            {
                AllPolicies = policies.OfType<JObject>().ToList(),
                ManagedPolicies = policies.OfType<JObject>().Where(p => FortiOsPolicyMapping.IsManaged((string)p["comments"])).ToList(),
                Order = policies.Select(FortiOsPolicyMapping.PolicyId).ToList(),
                AllGroups = groups.OfType<JObject>().ToList(),
                ManagedGroups = groups.OfType<JObject>().Where(g => FortiOsPolicyMapping.IsManaged((string)g["comment"])).ToList(),
                Addresses = addresses.OfType<JObject>().ToList(),
                Services = services.OfType<JObject>().ToList(),
            };
        }

        private async Task<JArray> ListAsync(string path, string what, CancellationToken cancellationToken)
        {
            RestResponse response = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            client.EnsureSuccess(response, what + " on " + appliance);
            return response.Json?["results"] as JArray ?? new JArray();
        }

        private FirewallPolicy ToPolicy(DeviceState state)
        {
            var policy = new FirewallPolicy();
            foreach (JObject group in state.ManagedGroups)
            {
                policy.AddressObjects.Add(new FirewallAddressObject
                {
                    Name = (string)group["name"],
                    Addresses = FortiOsPolicyMapping.AddressesFromNames(FortiOsNameList.Read(group["member"])),
                });
            }

            foreach (JObject item in state.ManagedPolicies)
            {
                policy.Rules.Add(FortiOsPolicyMapping.RuleFromPolicy(item, appliance));
            }

            return policy;
        }

        /// <summary>What the FortiGate holds, as read before a change.</summary>
        private sealed class DeviceState
        {
            public List<JObject> AllPolicies { get; set; }

            public List<JObject> ManagedPolicies { get; set; }

            public List<long> Order { get; set; }

            public List<JObject> AllGroups { get; set; }

            public List<JObject> ManagedGroups { get; set; }

            public List<JObject> Addresses { get; set; }

            public List<JObject> Services { get; set; }
        }
    }
}
