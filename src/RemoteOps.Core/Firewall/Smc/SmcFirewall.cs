using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Firewall.Smc
{
    /// <summary>
    /// A Forcepoint NGFW firewall policy managed through the Security Management Center's REST
    /// API, then uploaded to one engine. RemoteOps owns the access rules of the policy whose name
    /// starts with NamePrefix, and the network and service elements it names the same way; every
    /// other rule and element is left alone.
    /// </summary>
    /// <remarks>
    /// <para>Sources: the SMC API user guide (help.forcepoint.com/ngfw/en-us/7.0.0/smc_api_ug/ and
    /// later editions) and the vendor's Python SDK, Forcepoint/fp-NGFW-SMC-python (smc-python).
    /// The API version is pinned: without one, the SDK picks the lowest version the SMC lists
    /// (smc/api/session.py). Login is POST /VERSION/login with the API client's authentication
    /// key; the session is the JSESSIONID cookie, renewed after a 401.</para>
    /// <para>A change is a series of requests, not one transaction (the SMC has none; the SDK's
    /// "atomic" is client-side): rules are changed with If-Match, a 409 (someone else changed the
    /// rule) is read again and retried a few times, and only when every rule is written is the
    /// policy uploaded to the engine, which is when traffic sees it. The upload is followed until
    /// it ends; a failed upload is reported with the engine's message.</para>
    /// </remarks>
    public sealed class SmcFirewall : RestApplianceBase, IFirewall, IFirewallRuleLimits, IFirewallPlanReuse, IFirewallPendingChanges
    {
        /// <summary>The driver name users pass to Connect-RoAppliance -Driver.</summary>
        public const string DriverName = "ForcepointSmc";

        /// <summary>What the driver can do.</summary>
        public const ApplianceCapabilities DriverCapabilities = ApplianceCapabilities.FirewallPolicy;

        /// <summary>How often a write that meets a 409 is read again and retried.</summary>
        internal const int ConflictRetries = 4;

        private const string RulesLink = "fw_ipv4_access_rules";
        private static readonly string[] RequiredEntryPoints = { "elements", "logout", "fw_policy", "group", "host", "network", "address_range", "tcp_service", "udp_service", "ip_service" };

        private readonly SmcOptions options;
        private readonly Version apiVersion;
        private readonly SemaphoreSlim writeLock = new SemaphoreSlim(1, 1);
        private Dictionary<string, string> entryPoints = new Dictionary<string, string>(StringComparer.Ordinal);
        private string rulesHref;
        private string uploadHref;
        private SmcSnapshot lastRead;
        private readonly ConcurrentDictionary<string, (JObject Body, string ETag)> readBefore = new ConcurrentDictionary<string, (JObject Body, string ETag)>(StringComparer.Ordinal);
        private string engineHref;
        private string pendingChangesHref;
        private SmcSnapshot reusable;

        private SmcFirewall(SmcOptions options)
            : base(DriverName, "the Forcepoint SMC REST API", options, SmcErrorParser.Instance, SessionLogin(options))
        {
            this.options = options;
            apiVersion = SmcRuleFormat.ParseApiVersion(options.ApiVersion);
        }

        /// <inheritdoc />
        public override ApplianceCapabilities Capabilities => DriverCapabilities;

        /// <inheritdoc />
        public string PolicyScope => $"SMC policy '{options.PolicyName}' (rules named {options.NamePrefix}*, uploaded to {options.EngineName})";

        /// <summary>The pinned API version.</summary>
        public string ApiVersion => options.ApiVersion;

        /// <summary>
        /// Checks the settings, then that the SMC serves the pinned API version, logs in, loads the
        /// entry points and finds the policy and the engine. Nothing is changed.
        /// </summary>
        public static async Task<SmcFirewall> OpenAsync(SmcOptions options, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.CheckRequired();
            if (string.IsNullOrEmpty(SecretText.Reveal(options.Password)))
            {
                throw new ArgumentException("The ForcepointSmc driver needs the API client's authentication key as the password of -Credential (the user name is not used).");
            }

            return await OpenAsync(new SmcFirewall(options), firewall => firewall.ConnectAsync(cancellationToken)).ConfigureAwait(false);
        }

        private async Task ConnectAsync(CancellationToken cancellationToken)
        {
            // GET /api needs no session and lists the versions the SMC serves (smc/api/session.py available_api_versions).
            RestResponse versions = await Transport(() => Client.SendRawAsync(HttpMethod.Get, "/api", null, null, cancellationToken), "Reading the API versions").ConfigureAwait(false);
            Client.EnsureSuccess(versions, "Reading the SMC API versions (GET /api)");
            List<string> listed = (versions.Json?["version"] as JArray ?? new JArray()).Select(v => (string)v?["rel"]).Where(v => v != null).ToList();
            if (!listed.Contains(options.ApiVersion))
            {
                throw new ApplianceException(ApplianceErrorKind.NotSupported,
                    $"{Client.BaseAddress} serves SMC API version(s) {string.Join(", ", listed)}; ApiVersion '{options.ApiVersion}' is not among them.",
                    "Pin one of the listed versions with -Option @{ ApiVersion = '...' }.");
            }

            await Transport(async () => { await Client.EnsureLoggedInAsync(cancellationToken).ConfigureAwait(false); return (RestResponse)null; }, "Logging in").ConfigureAwait(false);
            RestResponse entries = await Client.SendAsync(HttpMethod.Get, $"/{options.ApiVersion}/api", null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(entries, "Reading the entry points");
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JToken entry in entries.Json?["entry_point"] as JArray ?? new JArray())
            {
                string rel = (string)entry["rel"];
                if (rel != null && !map.ContainsKey(rel))
                {
                    map[rel] = (string)entry["href"];
                }
            }

            string missing = string.Join(", ", RequiredEntryPoints.Where(r => !map.ContainsKey(r)));
            if (missing.Length > 0)
            {
                throw new ApplianceException(ApplianceErrorKind.NotSupported, $"The SMC at {Client.BaseAddress} offers no entry point for {missing} in API {options.ApiVersion}.",
                    "Check that the API client may see these element types, or pin another API version.");
            }

            entryPoints = map;
            string policyHref = await FindAsync(map["fw_policy"] + "?filter=" + Uri.EscapeDataString(options.PolicyName) + "&exact_match=True", options.PolicyName, "firewall policy", cancellationToken).ConfigureAwait(false);
            RestResponse policy = await Client.SendAsync(HttpMethod.Get, Local(policyHref), null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(policy, $"Reading the policy '{options.PolicyName}'");
            rulesHref = Link(policy.Json, RulesLink);
            uploadHref = Link(policy.Json, "upload");
            if (rulesHref == null || uploadHref == null)
            {
                throw new ApplianceException(ApplianceErrorKind.NotSupported, $"The policy '{options.PolicyName}' has no {(rulesHref == null ? RulesLink : "upload")} link; is it a firewall policy?");
            }

            engineHref = await FindAsync(map["elements"] + "?filter_context=engine_clusters&filter=" + Uri.EscapeDataString(options.EngineName) + "&exact_match=True",
                options.EngineName, "engine", cancellationToken).ConfigureAwait(false);
            Info.Name = options.EngineName;
            Info.Version = "SMC API " + options.ApiVersion;
        }

        /// <inheritdoc />
        public async Task<FirewallPolicy> GetPolicyAsync(CancellationToken cancellationToken)
        {
            SmcSnapshot snapshot = await ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (FirewallRule rule in snapshot.Policy.Rules)
            {
                rule.Appliance = Info.Address;
            }

            return snapshot.Policy;
        }

        /// <inheritdoc />
        public async Task<string> ExportPolicyAsync(CancellationToken cancellationToken)
        {
            SmcSnapshot snapshot = await ReadAsync(cancellationToken, reusable).ConfigureAwait(false);
            if (snapshot.RulesInOrder.Count == 0 && snapshot.Groups.Count == 0)
            {
                return string.Empty;
            }

            return new JObject
            {
                ["policy"] = options.PolicyName,
                ["apiVersion"] = options.ApiVersion,
                ["rules"] = new JArray(snapshot.RulesInOrder.Select(r => r.Json)),
                ["groups"] = new JArray(snapshot.Groups.Values.Select(g => g.Json)),
            }.ToString(Formatting.Indented);
        }

        /// <inheritdoc />
        public void CheckSupported(FirewallPolicy policy) => SmcRuleFormat.CheckSupported(policy);

        /// <inheritdoc />
        public async Task ReplacePolicyAsync(FirewallPolicy policy, CancellationToken cancellationToken)
        {
            SmcRuleFormat.CheckSupported(policy);
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                SmcSnapshot current = await ReadAsync(cancellationToken, reusable).ConfigureAwait(false);

                // From here the SMC changes: nothing read before is reused again.
                current.Stale = true;
                FirewallPlan plan = FirewallPolicyPlanner.Plan(current.Policy, policy);
                var elements = new SmcElementStore(this, options.NamePrefix, cancellationToken);
                var groupHrefs = current.Groups.ToDictionary(g => g.Key, g => g.Value.Href, StringComparer.Ordinal);

                foreach (PlanStep<FirewallAddressObject> step in plan.Objects.Changes.Where(s => s.Action != PlanAction.Remove))
                {
                    groupHrefs[step.Key] = await WriteGroupAsync(step, current, elements, cancellationToken).ConfigureAwait(false);
                }

                await WriteRulesAsync(plan.Rules, current, elements, groupHrefs, cancellationToken).ConfigureAwait(false);

                foreach (PlanStep<FirewallAddressObject> step in plan.Objects.Changes.Where(s => s.Action == PlanAction.Remove))
                {
                    SmcRuleRef group = current.Groups[step.Key];
                    await WriteConditionalAsync(HttpMethod.Delete, group.Href, null, group.ETag, $"Deleting the group '{options.NamePrefix}{step.Key}'", cancellationToken).ConfigureAwait(false);
                }

                await UploadAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        /// <summary>
        /// The engine's pending changes (its pending_changes link, SMC 6.2 and later;
        /// smc/core/resource.py PendingChanges) to rules and elements RemoteOps names: changes
        /// the SMC holds that were never uploaded to the engine, as after a failed upload. The
        /// vendor's Ansible policy push reads the same list to decide whether the engine needs the
        /// policy again (fp-NGFW-SMC-ansible). Null when there are none, or when the engine offers
        /// no such link (older SMC: nothing can be told).
        /// </summary>
        public async Task<string> PendingChangesAsync(CancellationToken cancellationToken)
        {
            if (pendingChangesHref == null)
            {
                RestResponse engine = await Client.SendAsync(HttpMethod.Get, Local(engineHref), null, cancellationToken).ConfigureAwait(false);
                Client.EnsureSuccess(engine, $"Reading the engine '{options.EngineName}'");
                pendingChangesHref = Link(engine.Json, "pending_changes") ?? string.Empty;
            }

            if (pendingChangesHref.Length == 0)
            {
                return null;
            }

            RestResponse pending = await Client.SendAsync(HttpMethod.Get, Local(pendingChangesHref), null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(pending, $"Reading the pending changes of the engine '{options.EngineName}'");
            List<string> mine = Results(pending).Select(p => (string)p["element_name"]).Where(n => n != null && n.StartsWith(options.NamePrefix, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal).ToList();
            if (mine.Count == 0)
            {
                return null;
            }

            string named = string.Join(", ", mine.Take(3)) + (mine.Count > 3 ? $" and {mine.Count - 3} more" : string.Empty);
            return $"upload: the engine '{options.EngineName}' does not run what the SMC holds ({named} changed and never uploaded, for example after a failed upload): the policy is uploaded again";
        }

        /// <inheritdoc />
        public IDisposable ReuseReadOf(FirewallPlan plan)
        {
            SmcSnapshot read = lastRead;
            SmcSnapshot before = reusable;
            reusable = read != null && plan != null && ReferenceEquals(read.Policy, plan.Current) ? read : null;
            return new ReuseScope(() => reusable = before);
        }

        /// <summary>Releases the client after logging out (PUT on the logout entry point), so the session does not linger until the SMC purges it.</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                if (Client.IsLoggedIn && entryPoints.TryGetValue("logout", out string logout))
                {
                    try
                    {
                        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                        {
                            Client.SendAsync(HttpMethod.Put, Local(logout), null, timeout.Token).GetAwaiter().GetResult();
                        }
                    }
                    catch (Exception error) when (error is ApplianceException || error is OperationCanceledException || error is HttpRequestException || error is IOException)
                    {
                        // Best effort: the SMC purges idle sessions by itself.
                    }
                }

                writeLock.Dispose();
            }

            base.Dispose(disposing);
        }

        // ------------------------------------------------------------------ reading

        /// <summary>
        /// Reads the owned rules, the elements they use and the owned groups: one GET for the rule
        /// list and one per rule and element (the SMC lists rules as names and hrefs only), at most
        /// MaxConnections at a time, each rule's elements as soon as the rule arrives. With
        /// <paramref name="reuse"/>, that earlier read is returned instead when the rule list and
        /// the groups are still the same (two requests).
        /// </summary>
        private async Task<SmcSnapshot> ReadAsync(CancellationToken cancellationToken, SmcSnapshot reuse = null)
        {
            var snapshot = new SmcSnapshot();
            var cache = new ConcurrentDictionary<string, Task<(string Type, JObject Body)>>(StringComparer.Ordinal);
            Func<string, Task<(string Type, JObject Body)>> element = href => cache.GetOrAdd(href, h => ReadElementAsync(h, cancellationToken));

            RestResponse list = await Client.SendAsync(HttpMethod.Get, Local(rulesHref), null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(list, $"Listing the rules of '{options.PolicyName}'");
            var owned = Results(list).Where(r => ((string)r["name"] ?? string.Empty).StartsWith(options.NamePrefix, StringComparison.Ordinal)).Select(r => (string)r["href"]).ToList();
            RestResponse search = await Client.SendAsync(HttpMethod.Get, Local(entryPoints["group"] + "?filter=" + Uri.EscapeDataString(options.NamePrefix)), null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(search, "Searching the groups");
            var groups = Results(search).Select(g => (string)g["href"]).Where(h => h != null).ToList();
            string listing = string.Join("\n", owned) + "\n\n" + string.Join("\n", groups);
            if (reuse != null && !reuse.Stale && reuse.Listing == listing)
            {
                return reuse;
            }

            SmcRuleRef[] rules = await Task.WhenAll(owned.Select(async href =>
            {
                SmcRuleRef rule = await ReadRefAsync(href, cancellationToken).ConfigureAwait(false);
                if (rule != null)
                {
                    await Task.WhenAll(CellHrefs(rule.Json).Distinct(StringComparer.Ordinal).Select(element)).ConfigureAwait(false);
                }

                return rule;
            })).ConfigureAwait(false);

            foreach (SmcRuleRef rule in rules.Where(r => r != null))
            {
                FirewallRule read = SmcRuleFormat.Read(rule.Json, options.NamePrefix, href => element(href).GetAwaiter().GetResult());
                if (read == null)
                {
                    continue;
                }

                if (snapshot.Rules.ContainsKey(read.Name))
                {
                    // A second rule of the same name (a move interrupted between its two steps): the plan removes it.
                    read.Comment = $"duplicate of '{read.Name}'";
                    read.Name = FirewallPolicyValidator.UnmanagedPrefix + rule.Tag;
                }

                rule.Name = read.Name;
                snapshot.Rules[read.Name] = rule;
                snapshot.RulesInOrder.Add(rule);
                snapshot.Policy.Rules.Add(read);
            }

            snapshot.Policy.Rules = FirewallPolicyPlanner.EvaluationOrder(snapshot.Policy.Rules).ToList();
            await ReadGroupsAsync(snapshot, groups, element, cancellationToken).ConfigureAwait(false);
            snapshot.Listing = listing;
            lastRead = snapshot;
            return snapshot;
        }

        private async Task ReadGroupsAsync(SmcSnapshot snapshot, List<string> groups, Func<string, Task<(string Type, JObject Body)>> element, CancellationToken cancellationToken)
        {
            SmcRuleRef[] read = await Task.WhenAll(groups.Select(href => ReadRefAsync(href, cancellationToken))).ConfigureAwait(false);
            foreach (SmcRuleRef group in read.Where(g => g != null))
            {
                string objectName = SmcRuleFormat.AddressText("group", group.Json, options.NamePrefix);
                if (objectName == null)
                {
                    continue;
                }

                var members = (group.Json["element"] as JArray ?? new JArray()).Select(m => (string)m).ToList();
                (string Type, JObject Body)[] bodies = await Task.WhenAll(members.Select(element)).ConfigureAwait(false);
                group.Name = objectName;
                snapshot.Groups[objectName] = group;
                snapshot.Policy.AddressObjects.Add(new FirewallAddressObject
                {
                    Name = objectName,
                    Addresses = bodies.Select(b => SmcRuleFormat.AddressText(b.Type, b.Body, options.NamePrefix) is string text && !FirewallAddress.IsObjectName(text)
                        ? text : $"not an address: {b.Type} '{(string)b.Body?["name"]}'").ToList(),
                });
            }
        }

        private async Task<SmcRuleRef> ReadRefAsync(string href, CancellationToken cancellationToken)
        {
            (JObject json, string etag) = await ReadKnownAsync(href, cancellationToken).ConfigureAwait(false);
            return json == null ? null   // removed by someone else since the listing
                : new SmcRuleRef { Href = href, Json = json, Tag = SmcRuleFormat.Tag(json), ETag = etag };
        }

        private async Task<(string Type, JObject Body)> ReadElementAsync(string href, CancellationToken cancellationToken)
        {
            (JObject json, string _) = await ReadKnownAsync(href, cancellationToken).ConfigureAwait(false);
            return (SmcRuleFormat.TypeOf(href), json);
        }

        /// <summary>
        /// GET of a rule or element, with If-None-Match when this connection has read it before
        /// ("GET supports If-None-Match", SMC API user guide 7.0.0, "Working with resource
        /// elements"): an unchanged one answers 304 without a body and the earlier body is used.
        /// Null when it is gone (404). The bodies are shared between reads: never changed.
        /// </summary>
        private async Task<(JObject Body, string ETag)> ReadKnownAsync(string href, CancellationToken cancellationToken)
        {
            bool cached = readBefore.TryGetValue(href, out (JObject Body, string ETag) earlier);
            var headers = cached ? new Dictionary<string, string> { ["If-None-Match"] = earlier.ETag } : null;
            RestResponse response = await Client.SendAsync(HttpMethod.Get, Local(href), null, cancellationToken, null, headers).ConfigureAwait(false);
            if (response.Code == 304 && cached)
            {
                return earlier;
            }

            if (response.Code == 404)
            {
                readBefore.TryRemove(href, out _);
                return (null, null);
            }

            Client.EnsureSuccess(response, $"Reading {href}");
            var json = response.Json as JObject ?? new JObject();
            string etag = response.Header("ETag");
            if (etag != null)
            {
                readBefore[href] = (json, etag);
            }

            return (json, etag);
        }

        private static IEnumerable<string> CellHrefs(JObject rule)
        {
            foreach (var (cell, list) in new[] { ("sources", "src"), ("destinations", "dst"), ("services", "service") })
            {
                foreach (JToken href in rule?[cell]?[list] as JArray ?? new JArray())
                {
                    if (href.Type == JTokenType.String)
                    {
                        yield return (string)href;
                    }
                }
            }
        }

        // ------------------------------------------------------------------ writing

        private async Task<string> WriteGroupAsync(PlanStep<FirewallAddressObject> step, SmcSnapshot current, SmcElementStore elements, CancellationToken cancellationToken)
        {
            var members = new List<string>();
            foreach (string address in step.Desired.Addresses)
            {
                members.Add(await elements.EnsureAsync(SmcElement.ForAddress(options.NamePrefix, FirewallAddress.Parse(address))).ConfigureAwait(false));
            }

            SmcElement group = SmcElement.ForObject(options.NamePrefix, step.Key);
            group.Body["element"] = new JArray(members);
            if (step.Action == PlanAction.Add)
            {
                return await elements.CreateAsync(group).ConfigureAwait(false);
            }

            SmcRuleRef existing = current.Groups[step.Key];
            await WriteConditionalAsync(HttpMethod.Put, existing.Href, group.Body, existing.ETag, $"Changing the group '{group.Name}'", cancellationToken).ConfigureAwait(false);
            return existing.Href;
        }

        /// <summary>
        /// Removals first, then the desired rules in order: each rule kept in place is the anchor of
        /// the next, a new or moved rule is inserted after the anchor (?after=TAG) or, before any
        /// anchor exists, before the first rule RemoteOps owns (or at the top of a policy with none,
        /// where the SMC puts a rule given no position). A move is a copy at the new place and a
        /// delete of the old one.
        /// </summary>
        private async Task WriteRulesAsync(Plan<FirewallRule> plan, SmcSnapshot current, SmcElementStore elements, Dictionary<string, string> groupHrefs, CancellationToken cancellationToken)
        {
            // Every element the changed rules need is found or created first, many at a time.
            var needed = plan.Changes.Where(s => s.Action != PlanAction.Remove && s.Action != PlanAction.Move)
                .SelectMany(s => ElementsOf(s.Desired)).GroupBy(e => e.Type + "/" + e.Name).Select(g => g.First()).ToList();
            await Task.WhenAll(needed.Select(elements.EnsureAsync)).ConfigureAwait(false);

            var removed = new HashSet<string>(StringComparer.Ordinal);
            foreach (PlanStep<FirewallRule> step in plan.Changes.Where(s => s.Action == PlanAction.Remove))
            {
                SmcRuleRef rule = current.Rules[step.Key];
                await WriteConditionalAsync(HttpMethod.Delete, rule.Href, null, rule.ETag, $"Deleting the rule '{(string)rule.Json["name"]}'", cancellationToken).ConfigureAwait(false);
                removed.Add(rule.Href);
            }

            string firstOwnedTag = current.RulesInOrder.FirstOrDefault(r => !removed.Contains(r.Href))?.Tag;
            string anchor = null;
            foreach (PlanStep<FirewallRule> step in plan.Steps.Where(s => s.Action != PlanAction.Remove))
            {
                current.Rules.TryGetValue(step.Key, out SmcRuleRef existing);
                bool inPlace = step.Action == PlanAction.Unchanged || (step.Action == PlanAction.Change && !step.Moved);
                if (inPlace)
                {
                    if (step.Action == PlanAction.Change)
                    {
                        JObject body = await BodyAsync(step.Desired, elements, groupHrefs).ConfigureAwait(false);
                        await WriteConditionalAsync(HttpMethod.Put, existing.Href, body, existing.ETag, $"Changing the rule '{options.NamePrefix}{step.Key}'", cancellationToken).ConfigureAwait(false);
                    }

                    anchor = existing.Tag;
                    continue;
                }

                string position = anchor != null ? "?after=" + Uri.EscapeDataString(anchor) : firstOwnedTag != null ? "?before=" + Uri.EscapeDataString(firstOwnedTag) : string.Empty;
                JObject rule = await BodyAsync(step.Desired, elements, groupHrefs).ConfigureAwait(false);
                anchor = await InsertRuleAsync(rule, position, existing == null ? 0 : 1, cancellationToken).ConfigureAwait(false);
                if (existing != null)
                {
                    await WriteConditionalAsync(HttpMethod.Delete, existing.Href, null, existing.ETag, $"Deleting the old place of the rule '{options.NamePrefix}{step.Key}'", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>POSTs a rule; a POST that may or may not have arrived is repeated only when the rule is not there.</summary>
        private async Task<string> InsertRuleAsync(JObject rule, string position, int alreadyThere, CancellationToken cancellationToken)
        {
            string name = (string)rule["name"];
            RestResponse response = await Client.SendAsync(HttpMethod.Post, Local(rulesHref) + position, rule, cancellationToken,
                async token => await CountRulesNamedAsync(name, token).ConfigureAwait(false) == alreadyThere).ConfigureAwait(false);
            Client.EnsureSuccess(response, $"Adding the rule '{name}'");
            string href = response.Header("Location");
            if (href == null)
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"The SMC at {Client.BaseAddress} added the rule '{name}' without saying where (no Location header).");
            }

            SmcRuleRef added = await ReadRefAsync(href, cancellationToken).ConfigureAwait(false);
            return added?.Tag ?? throw new ApplianceException(ApplianceErrorKind.Failed, $"The rule '{name}' was added at {href}, but reading it back found nothing.");
        }

        private async Task<int> CountRulesNamedAsync(string name, CancellationToken cancellationToken)
        {
            RestResponse list = await Client.SendAsync(HttpMethod.Get, Local(rulesHref), null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(list, $"Listing the rules of '{options.PolicyName}'");
            return Results(list).Count(r => (string)r["name"] == name);
        }

        private IEnumerable<SmcElement> ElementsOf(FirewallRule rule)
        {
            foreach (string address in rule.Source.Concat(rule.Destination).Where(a => !FirewallAddress.IsObjectName(a)))
            {
                yield return SmcElement.ForAddress(options.NamePrefix, FirewallAddress.Parse(address));
            }

            if (rule.Ports.Count > 0)
            {
                foreach (string port in rule.Ports)
                {
                    yield return SmcElement.ForPorts(options.NamePrefix, rule.Protocol, FirewallPortRange.Parse(port));
                }
            }
            else if (rule.Protocol != FirewallProtocol.Any)
            {
                yield return SmcElement.ForProtocol(options.NamePrefix, rule.Protocol);
            }
        }

        private async Task<JObject> BodyAsync(FirewallRule rule, SmcElementStore elements, Dictionary<string, string> groupHrefs)
        {
            async Task<List<string>> AddressesAsync(IList<string> addresses)
            {
                var hrefs = new List<string>();
                foreach (string address in addresses)
                {
                    if (FirewallAddress.IsObjectName(address))
                    {
                        hrefs.Add(groupHrefs.TryGetValue(address, out string group) ? group
                            : throw new ArgumentException($"Rule '{rule.Name}' refers to the address object '{address}', which the policy does not define."));
                    }
                    else
                    {
                        hrefs.Add(await elements.EnsureAsync(SmcElement.ForAddress(options.NamePrefix, FirewallAddress.Parse(address))).ConfigureAwait(false));
                    }
                }

                return hrefs;
            }

            var services = new List<string>();
            foreach (SmcElement service in ElementsOf(new FirewallRule { Protocol = rule.Protocol, Ports = rule.Ports }))
            {
                services.Add(await elements.EnsureAsync(service).ConfigureAwait(false));
            }

            return SmcRuleFormat.Build(rule, options.NamePrefix, await AddressesAsync(rule.Source).ConfigureAwait(false),
                await AddressesAsync(rule.Destination).ConfigureAwait(false), services, apiVersion);
        }

        /// <summary>
        /// A PUT or DELETE naming the ETag read (If-Match, as the SMC API guide asks from API 6.4).
        /// A 409 means someone changed the element since: it is read again and the write retried,
        /// a few times. A DELETE of something already gone is done.
        /// </summary>
        internal async Task WriteConditionalAsync(HttpMethod method, string href, JObject body, string etag, string what, CancellationToken cancellationToken)
        {
            for (int attempt = 1; ; attempt++)
            {
                var headers = etag == null ? null : new Dictionary<string, string> { ["If-Match"] = etag };
                RestResponse response = await Client.SendAsync(method, Local(href), body, cancellationToken, null, headers).ConfigureAwait(false);
                if (method == HttpMethod.Delete && response.Code == 404)
                {
                    return;
                }

                if (response.Code == 409 && attempt <= ConflictRetries)
                {
                    SmcRuleRef fresh = await ReadRefAsync(href, cancellationToken).ConfigureAwait(false);
                    if (fresh == null && method == HttpMethod.Delete)
                    {
                        return;
                    }

                    etag = fresh?.ETag;
                    continue;
                }

                Client.EnsureSuccess(response, what);
                return;
            }
        }

        // ------------------------------------------------------------------ upload

        /// <summary>
        /// POST on the policy's upload link with ?filter=ENGINE, then the follower is read until
        /// in_progress is false; only then does success count (smc/administration/tasks.py; SMC
        /// API user guide 7.0.0, "Upload a policy", which answers 200; 201 and 202 are taken too).
        /// </summary>
        private async Task UploadAsync(CancellationToken cancellationToken)
        {
            string what = $"Uploading the policy '{options.PolicyName}' to the engine '{options.EngineName}'";
            var body = new JObject { ["preserve_connections"] = true, ["snapshot_creation"] = true };
            RestResponse started = await Client.SendAsync(HttpMethod.Post, Local(uploadHref) + "?filter=" + Uri.EscapeDataString(options.EngineName), body, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(started, what);
            string follower = (string)started.Json?["follower"];
            if (follower == null)
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"{what} on {Client.BaseAddress}: the SMC started no task to follow.");
            }

            DateTime deadline = DateTime.UtcNow.AddSeconds(options.UploadTimeoutSeconds);
            TimeSpan wait = options.UploadPollInterval;
            JToken task = started.Json;
            while ((bool?)task?["in_progress"] != false)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new ApplianceException(ApplianceErrorKind.TimedOut, $"{what} did not finish within {options.UploadTimeoutSeconds} s.",
                        "The upload may still finish: look at the engine's policy in the SMC Management Client, or raise UploadTimeoutSeconds.");
                }

                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                wait = TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds * 2, 2000));
                RestResponse progress = await Client.SendAsync(HttpMethod.Get, Local(follower), null, cancellationToken).ConfigureAwait(false);
                Client.EnsureSuccess(progress, what);
                task = progress.Json;
            }

            if ((bool?)task?["success"] != true)
            {
                string message = (string)task?["last_message"];
                throw new ApplianceException(ApplianceErrorKind.Failed,
                    $"{what} failed; the engine reported: {(string.IsNullOrEmpty(message) ? "no message" : message)}",
                    "The engine still enforces the rules it had. Correct what the engine reports, then run the same command again: it uploads the policy while the engine has pending changes to the rules RemoteOps manages.");
            }
        }

        // ------------------------------------------------------------------ helpers

        /// <summary>
        /// The request path of an href the SMC handed out. Hrefs are absolute and opaque (SMC API
        /// user guide, "Entry points"); one that points anywhere but this SMC is refused, so a
        /// reply cannot send the session cookie elsewhere.
        /// </summary>
        internal string Local(string href)
        {
            if (string.IsNullOrEmpty(href))
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"The SMC at {Client.BaseAddress} returned an empty link.");
            }

            if (!Uri.TryCreate(href, UriKind.Absolute, out Uri uri))
            {
                return href.StartsWith("/", StringComparison.Ordinal) ? href : "/" + href;
            }

            if (!string.Equals(uri.Scheme, Client.BaseAddress.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(uri.Host, Client.BaseAddress.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != Client.BaseAddress.Port)
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"The SMC at {Client.BaseAddress} returned a link to {uri.GetLeftPart(UriPartial.Authority)}, which is not this SMC; it is not followed.",
                    "Connect with the address the SMC uses in its own links (its host name and port).");
            }

            return uri.PathAndQuery;
        }

        internal static IEnumerable<JToken> Results(RestResponse response) => response.Json?["result"] as JArray ?? new JArray();

        internal string EntryPoint(string type) => entryPoints[type];

        internal RestClient Rest => Client;

        private async Task<string> FindAsync(string searchHref, string name, string what, CancellationToken cancellationToken)
        {
            RestResponse search = await Client.SendAsync(HttpMethod.Get, Local(searchHref), null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(search, $"Looking for the {what} '{name}'");
            string href = Results(search).Where(r => (string)r["name"] == name).Select(r => (string)r["href"]).FirstOrDefault();
            return href ?? throw new ApplianceException(ApplianceErrorKind.NotFound, $"The SMC at {Client.BaseAddress} has no {what} named '{name}'.",
                $"Check the name (it is case-sensitive) and that the API client may see it.");
        }

        private static string Link(JToken element, string rel) =>
            (element?["link"] as JArray ?? new JArray()).Where(l => (string)l["rel"] == rel).Select(l => (string)l["href"]).FirstOrDefault();

        private async Task<RestResponse> Transport(Func<Task<RestResponse>> send, string what)
        {
            try
            {
                return await send().ConfigureAwait(false);
            }
            catch (Exception error) when (error is HttpRequestException || error is IOException || (error is TaskCanceledException && !(error is OperationCanceledException oce && oce.CancellationToken.IsCancellationRequested)))
            {
                throw new ApplianceException(ApplianceErrorKind.Unreachable, $"{what} on {Client.BaseAddress} failed: {error.Message}", "Check that the SMC is up and its API is enabled (port 8082 by default).", error);
            }
        }

        // POST /VERSION/login {"domain","authenticationkey"}; only 200 is a success, and the
        // session is the JSESSIONID cookie (smc/api/session.py; SMC API user guide 7.3.0).
        private static Func<RestClient, CancellationToken, Task<AuthenticationHeaderValue>> SessionLogin(SmcOptions options)
        {
            return async (client, cancellationToken) =>
            {
                var body = new JObject { ["domain"] = options.Domain, ["authenticationkey"] = SecretText.Reveal(options.Password) };
                RestResponse response = await client.SendRawAsync(HttpMethod.Post, $"/{options.ApiVersion}/login", body, null, cancellationToken).ConfigureAwait(false);
                if (response.Code == 401 || response.Code == 403)
                {
                    throw new ApplianceException(ApplianceErrorKind.AuthenticationFailed,
                        $"{client.BaseAddress} refused the API client's authentication key (HTTP {response.Code}{client.Detail(response)}).",
                        $"Check the key (Administration > Access Rights > API Clients in the Management Client) and the domain '{options.Domain}'.");
                }

                client.EnsureSuccess(response, "Logging in to the SMC");
                string cookie = (response.Header("Set-Cookie") ?? string.Empty).Split('\n')
                    .Select(c => c.Split(';')[0].Trim()).FirstOrDefault(c => c.StartsWith("JSESSIONID=", StringComparison.Ordinal));
                if (response.Code != 200 || cookie == null)
                {
                    throw new ApplianceException(ApplianceErrorKind.Failed, $"Logging in to {client.BaseAddress} answered HTTP {response.Code} without a JSESSIONID session cookie.",
                        "Session tracking by cookie must be on: do not tick 'Use SSL for session ID' for the SMC API.");
                }

                return RestClient.SessionCookie(cookie);
            };
        }
    
        private sealed class ReuseScope : IDisposable
        {
            private Action end;

            internal ReuseScope(Action end)
            {
                this.end = end;
            }

            public void Dispose()
            {
                Interlocked.Exchange(ref end, null)?.Invoke();
            }
        }
    }
}
