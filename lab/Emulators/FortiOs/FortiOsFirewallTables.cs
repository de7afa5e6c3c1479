using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators.FortiOs;

/// <summary>
/// The firewall side of the emulated FortiGate: cmdb firewall/address, firewall/addrgrp,
/// firewall.service/custom and firewall/policy, with the same envelope, query parameters and
/// error numbers as the user tables (see the class summary of FortiOsEmulator for the tags).
///
/// Sources: policy keys (policyid, name, srcintf, dstintf, srcaddr, dstaddr, service as lists of
/// {"name"}, action accept|deny|ipsec, status, schedule, nat, logtraffic, comments) [CODE ansible
/// plugins/modules/fortios_firewall_policy.py; CODE PowerFGT cmdb/firewall/policy.ps1]; the defaults
/// a minimal policy reads back with (schedule "always", nat "disable", logtraffic "utm") [CODE
/// PowerFGT Tests/integration/FirewallPolicy.Tests.ps1, run against real units]; policyid 0 lets the
/// device pick the id and the POST answers it as "mkey" [CODE ansible fortios_firewall_policy.py;
/// PowerFGT Add-FGTFirewallPolicy]; moves are PUT .../policy/{id}?action=move&amp;before=|after= with no
/// body [CODE PowerFGT Move-FGTFirewallPolicy; ansible move_fortios_firewall]; addresses are written as
/// "a.b.c.d/m.m.m.m" and read back as "a.b.c.d m.m.m.m" [CODE PowerFGT cmdb/firewall/address.ps1 and
/// Tests/integration/FirewallAddress.Tests.ps1]; iprange uses start-ip/end-ip [CODE ansible
/// fortios_firewall_address.py]; custom services hold space-separated "tcp-portrange"/"udp-portrange"
/// entries, protocol "TCP/UDP/SCTP", "ICMP" or "IP" [CODE PowerFGT cmdb/firewall/service/custom.ps1;
/// ansible fortios_firewall_service_custom.py]; send-deny-packet enable|disable [DOC FortiOS CLI
/// reference, config firewall policy]; users and groups, lists of {"name"} naming local users and
/// user groups, empty when not set, the source identities of the policy (an SSL-VPN policy from
/// ssl.root names the users or groups it lets in) [CODE ansible fortios_firewall_policy.py; DOC
/// FortiOS Handbook, SSL VPN, configuring security policies]; a user or group a policy names is
/// in use (-23) [INF, as for addresses]. A "low-high" range inside a port entry is [INF] (the findings
/// found no source for it). Field lengths: policy name 35, address and service name 79, comments 1023
/// on policies and 255 elsewhere [CODE ansible module argument specs list them as "size"; the
/// exact checks on a device are INF]. Error numbers: -3 not found, -5 duplicate, -23 in use, -651
/// invalid value [2ND hfortix]; the HTTP codes that go with them follow the user tables [INF]; a
/// refused value on a policy answers 500 with "cli_error", the shape a third-party example shows.
/// </summary>
internal sealed partial class FortiOsEmulator
{
    private const int PolicyNameMax = 35;
    private const int ObjectNameMax = 79;

    // Interfaces of the emulated unit [INF: a VM has port1..portN; "any" is accepted by policies].
    private static readonly string[] Interfaces = { "any", "port1", "port2", "port3", "ssl.root" };

    // Predefined entries a factory configuration has [CODE PowerFGT integration tests read "all" and
    // service "ALL"; the others are named in the FortiOS Administration Guide's default service list].
    private static readonly string[] PredefinedAddresses = { "all", "none" };
    private static readonly string[] PredefinedServices = { "ALL", "ALL_TCP", "ALL_UDP", "ALL_ICMP", "HTTP", "HTTPS", "SSH", "DNS" };

    private static readonly string[] PolicyKeys =
    {
        "policyid", "name", "srcintf", "dstintf", "srcaddr", "dstaddr", "service", "action", "status",
        "schedule", "nat", "logtraffic", "comments", "send-deny-packet", "uuid", "users", "groups",
    };

    private static readonly string[] AddressKeys = { "name", "type", "subnet", "start-ip", "end-ip", "fqdn", "comment", "uuid" };
    private static readonly string[] GroupKeys = { "name", "member", "comment", "uuid" };
    private static readonly string[] ServiceKeys = { "name", "protocol", "tcp-portrange", "udp-portrange", "sctp-portrange", "icmptype", "icmpcode", "protocol-number", "comment", "category" };

    private List<JsonObject> _addresses;
    private List<JsonObject> _addressGroups;
    private List<JsonObject> _services;
    private List<JsonObject> _policies;
    private string _failPolicyName;

    private void ResetFirewall()
    {
        _addresses = PredefinedAddresses.Select(n => new JsonObject
        {
            ["name"] = n, ["type"] = "ipmask", ["subnet"] = n == "all" ? "0.0.0.0 0.0.0.0" : "0.0.0.0 255.255.255.255", ["comment"] = "",
        }).ToList();
        _addressGroups = new List<JsonObject>();
        _services = PredefinedServices.Select(PredefinedService).ToList();
        // One policy the administrator made by hand, which a manager of "its own" policies must leave alone.
        _policies = new List<JsonObject>
        {
            NormalizePolicy(new JsonObject
            {
                ["policyid"] = 1, ["name"] = "admin-web", ["srcintf"] = Names("port1"), ["dstintf"] = Names("port2"),
                ["srcaddr"] = Names("all"), ["dstaddr"] = Names("all"), ["service"] = Names("HTTPS"), ["action"] = "accept",
            }),
        };
        _failPolicyName = null;
    }

    private static JsonObject PredefinedService(string name)
    {
        var o = new JsonObject { ["name"] = name, ["category"] = "General", ["comment"] = "" };
        switch (name)
        {
            case "ALL": o["protocol"] = "IP"; o["protocol-number"] = 0; break;
            case "ALL_ICMP": o["protocol"] = "ICMP"; break;
            case "ALL_TCP": o["protocol"] = "TCP/UDP/SCTP"; o["tcp-portrange"] = "1-65535"; break;
            case "ALL_UDP": o["protocol"] = "TCP/UDP/SCTP"; o["udp-portrange"] = "1-65535"; break;
            case "HTTP": o["protocol"] = "TCP/UDP/SCTP"; o["tcp-portrange"] = "80"; break;
            case "HTTPS": o["protocol"] = "TCP/UDP/SCTP"; o["tcp-portrange"] = "443"; break;
            case "SSH": o["protocol"] = "TCP/UDP/SCTP"; o["tcp-portrange"] = "22"; break;
            default: o["protocol"] = "TCP/UDP/SCTP"; o["tcp-portrange"] = "53"; o["udp-portrange"] = "53"; break;
        }
        return o;
    }

    private static JsonArray Names(params string[] names) => new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["name"] = n }).ToArray());

    /// <summary>Lab hook: a policy with this name is refused on POST and PUT (to test a failure halfway).</summary>
    private void FirewallSetting(string key, JsonObject changes)
    {
        string name = HttpJson.Str(changes, key);
        _failPolicyName = string.IsNullOrEmpty(name) ? null : name;
    }

    private void MapFirewall(WebApplication app)
    {
        app.MapGet("/api/v2/cmdb/firewall/address", Authed(ctx => ListTable(ctx, "firewall", "address", _addresses)));
        app.MapGet("/api/v2/cmdb/firewall/address/{name}", Authed(ctx => GetEntry(ctx, "firewall", "address", _addresses, "name")));
        app.MapPost("/api/v2/cmdb/firewall/address", Authed(ctx => WriteEntry(ctx, "firewall", "address", _addresses, null)));
        app.MapPut("/api/v2/cmdb/firewall/address/{name}", Authed(ctx => WriteEntry(ctx, "firewall", "address", _addresses, HttpJson.Route(ctx, "name"))));
        app.MapDelete("/api/v2/cmdb/firewall/address/{name}", Authed(ctx => DeleteEntry(ctx, "firewall", "address", _addresses, HttpJson.Route(ctx, "name"))));

        app.MapGet("/api/v2/cmdb/firewall/addrgrp", Authed(ctx => ListTable(ctx, "firewall", "addrgrp", _addressGroups)));
        app.MapGet("/api/v2/cmdb/firewall/addrgrp/{name}", Authed(ctx => GetEntry(ctx, "firewall", "addrgrp", _addressGroups, "name")));
        app.MapPost("/api/v2/cmdb/firewall/addrgrp", Authed(ctx => WriteEntry(ctx, "firewall", "addrgrp", _addressGroups, null)));
        app.MapPut("/api/v2/cmdb/firewall/addrgrp/{name}", Authed(ctx => WriteEntry(ctx, "firewall", "addrgrp", _addressGroups, HttpJson.Route(ctx, "name"))));
        app.MapDelete("/api/v2/cmdb/firewall/addrgrp/{name}", Authed(ctx => DeleteEntry(ctx, "firewall", "addrgrp", _addressGroups, HttpJson.Route(ctx, "name"))));

        app.MapGet("/api/v2/cmdb/firewall.service/custom", Authed(ctx => ListTable(ctx, "firewall.service", "custom", _services)));
        app.MapGet("/api/v2/cmdb/firewall.service/custom/{name}", Authed(ctx => GetEntry(ctx, "firewall.service", "custom", _services, "name")));
        app.MapPost("/api/v2/cmdb/firewall.service/custom", Authed(ctx => WriteEntry(ctx, "firewall.service", "custom", _services, null)));
        app.MapPut("/api/v2/cmdb/firewall.service/custom/{name}", Authed(ctx => WriteEntry(ctx, "firewall.service", "custom", _services, HttpJson.Route(ctx, "name"))));
        app.MapDelete("/api/v2/cmdb/firewall.service/custom/{name}", Authed(ctx => DeleteEntry(ctx, "firewall.service", "custom", _services, HttpJson.Route(ctx, "name"))));

        app.MapGet("/api/v2/cmdb/firewall/policy", Authed(ctx => ListTable(ctx, "firewall", "policy", _policies)));
        app.MapGet("/api/v2/cmdb/firewall/policy/{id}", Authed(ctx => GetEntry(ctx, "firewall", "policy", _policies, "id")));
        app.MapPost("/api/v2/cmdb/firewall/policy", Authed(ctx => WriteEntry(ctx, "firewall", "policy", _policies, null)));
        app.MapPut("/api/v2/cmdb/firewall/policy/{id}", Authed(PutPolicy));
        app.MapDelete("/api/v2/cmdb/firewall/policy/{id}", Authed(ctx => DeleteEntry(ctx, "firewall", "policy", _policies, HttpJson.Route(ctx, "id"))));
    }

    private static string KeyOf(JsonObject o, string name) => name == "policy" ? HttpJson.Str(o, "policyid") : HttpJson.Str(o, "name");

    private static JsonObject Find(List<JsonObject> table, string name, string key) =>
        table.FirstOrDefault(o => string.Equals(KeyOf(o, name), key, name == "policy" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase));

    private Task ListTable(HttpContext ctx, string path, string name, List<JsonObject> table)
    {
        var q = CmdbQuery.Parse(ctx, out _);
        if (q == null) return BadQuery(ctx, path, name);
        List<JsonObject> all;
        lock (_gate) all = table.Select(o => Meta((JsonObject)o.DeepClone(), name, q)).ToList();
        return CmdbTable(ctx, path, name, q, all);
    }

    private Task GetEntry(HttpContext ctx, string path, string name, List<JsonObject> table, string route)
    {
        string key = HttpJson.Route(ctx, route);
        var q = CmdbQuery.Parse(ctx, out _);
        if (q == null) return BadQuery(ctx, path, name);
        JsonObject found;
        lock (_gate) { var x = Find(table, name, key); found = x == null ? null : Meta((JsonObject)x.DeepClone(), name, q); }
        if (found == null) return ErrorEnvelope(ctx, 404, -3, path, name, key, cmdb: true);
        return CmdbTable(ctx, path, name, q, new List<JsonObject> { found });
    }

    private JsonObject Meta(JsonObject o, string name, CmdbQuery q)
    {
        o["q_origin_key"] = KeyOf(o, name) is string k && name == "policy" ? JsonValue.Create(int.Parse(k, CultureInfo.InvariantCulture)) : KeyOf(o, name);
        if (q.WithMeta) o["q_ref"] = References(name, KeyOf(o, name)).Count;
        return o;
    }

    /// <summary>What refers to an address, group or service: groups and policies, by name.</summary>
    private List<string> References(string table, string key)
    {
        var refs = new List<string>();
        if (table == "address" || table == "addrgrp")
        {
            refs.AddRange(_addressGroups.Where(g => Members(g, "member").Contains(key, StringComparer.OrdinalIgnoreCase)).Select(g => "addrgrp " + HttpJson.Str(g, "name")));
            refs.AddRange(_policies.Where(p => Members(p, "srcaddr").Concat(Members(p, "dstaddr")).Contains(key, StringComparer.OrdinalIgnoreCase)).Select(p => "policy " + HttpJson.Str(p, "policyid")));
        }
        else if (table == "custom")
        {
            refs.AddRange(_policies.Where(p => Members(p, "service").Contains(key, StringComparer.OrdinalIgnoreCase)).Select(p => "policy " + HttpJson.Str(p, "policyid")));
        }
        return refs;
    }

    /// <summary>Whether a policy names the local user (key "users") or the user group (key "groups"). Under _gate.</summary>
    private bool PolicyNames(string key, string name) =>
        _policies.Any(p => Members(p, key).Contains(name, StringComparer.OrdinalIgnoreCase));

    private static List<string> Members(JsonObject o, string key) =>
        (o[key] as JsonArray)?.OfType<JsonObject>().Select(m => HttpJson.Str(m, "name")).Where(n => n != null).ToList() ?? new List<string>();

    /// <summary>
    /// POST (create; a duplicate name answers 424 -5) or PUT /{name} (merge; absent answers 404 -3).
    /// Every write is checked as a whole before it is stored: a refused one changes nothing.
    /// </summary>
    private async Task WriteEntry(HttpContext ctx, string path, string name, List<JsonObject> table, string key)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        if (body == null) { await ErrorEnvelope(ctx, 424, -651, path, name, key, cmdb: true); return; }
        int http = 200, error = 0;
        string mkey = key, cliError = null;
        lock (_gate)
        {
            JsonObject existing = key == null ? null : Find(table, name, key);
            if (key != null && existing == null) { http = 404; error = -3; }
            else
            {
                var merged = existing == null ? new JsonObject() : (JsonObject)existing.DeepClone();
                foreach (var kv in body)
                    if (!kv.Key.StartsWith("q_", StringComparison.Ordinal)) merged[kv.Key] = kv.Value?.DeepClone();
                if (name == "policy" && existing == null && (HttpJson.Int(merged, "policyid") ?? 0) == 0)
                    merged["policyid"] = _policies.Count == 0 ? 1 : _policies.Max(p => HttpJson.Int(p, "policyid") ?? 0) + 1;
                string problem = Validate(name, merged, existing);
                if (problem == null && name == "policy" && _failPolicyName != null && string.Equals(HttpJson.Str(merged, "name"), _failPolicyName, StringComparison.Ordinal))
                    problem = "lab: refused by failPolicyName";
                mkey = KeyOf(merged, name);
                if (problem != null)
                {
                    (http, error) = problem.StartsWith("duplicate", StringComparison.Ordinal) ? (424, -5) : name == "policy" ? (500, -651) : (424, -651);
                    cliError = problem;
                }
                else
                {
                    if (name == "policy") merged = NormalizePolicy(merged);
                    if (existing == null) table.Add(merged);
                    else table[table.IndexOf(existing)] = merged;
                    _revision++;
                }
            }
        }
        if (http != 200) await PolicyError(ctx, http, error, path, name, mkey, cliError);
        else await WriteOk(ctx, path, name, mkey);
    }

    /// <summary>A refused write; "cli_error" as the third-party example shows it (its text is the emulator's own) [2ND].</summary>
    private Task PolicyError(HttpContext ctx, int http, int error, string path, string name, string mkey, string cliError)
    {
        if (cliError == null) return ErrorEnvelope(ctx, http, error, path, name, mkey, cmdb: true);
        var o = new JsonObject
        {
            ["http_method"] = ctx.Request.Method, ["revision"] = Revision, ["error"] = error, ["cli_error"] = $"{cliError}\nCommand fail. Return code {error}",
            ["mkey"] = mkey, ["vdom"] = "root", ["path"] = path, ["name"] = name, ["status"] = "error", ["http_status"] = http,
            ["serial"] = _serial, ["version"] = _versionText, ["build"] = _build,
        };
        return HttpJson.Write(ctx, http, o);
    }

    /// <summary>The checks a device makes on a whole entry; returns what is wrong, or null.</summary>
    private string Validate(string table, JsonObject o, JsonObject existing)
    {
        string key = KeyOf(o, table);
        string[] allowed = table switch { "policy" => PolicyKeys, "address" => AddressKeys, "addrgrp" => GroupKeys, _ => ServiceKeys };
        string unknown = o.Select(kv => kv.Key).FirstOrDefault(k => !allowed.Contains(k));
        if (unknown != null) return $"unknown attribute '{unknown}'";
        string comment = HttpJson.Str(o, table == "policy" ? "comments" : "comment") ?? "";
        if (comment.Length > (table == "policy" ? 1023 : 255)) return "comment too long";
        if (table != "policy")
        {
            if (string.IsNullOrEmpty(key) || key.Length > ObjectNameMax) return "name is empty or too long";
            var same = table switch { "address" => _addresses, "addrgrp" => _addressGroups, _ => _services };
            if (existing == null && Find(same, table, key) != null) return "duplicate entry";
            // Addresses and groups share one name space [INF].
            if (existing == null && table == "address" && Find(_addressGroups, "addrgrp", key) != null) return "duplicate entry";
            if (existing == null && table == "addrgrp" && Find(_addresses, "address", key) != null) return "duplicate entry";
        }

        switch (table)
        {
            case "address":
                string type = HttpJson.Str(o, "type") ?? "ipmask";
                if (type == "ipmask")
                {
                    string subnet = CanonicalSubnet(HttpJson.Str(o, "subnet") ?? "0.0.0.0 0.0.0.0");
                    if (subnet == null) return "subnet must be address/mask";
                    o["type"] = "ipmask";
                    o["subnet"] = subnet;
                }
                else if (type == "iprange")
                {
                    if (!IPAddress.TryParse(HttpJson.Str(o, "start-ip") ?? "", out var s) || !IPAddress.TryParse(HttpJson.Str(o, "end-ip") ?? "", out var e)
                        || Ip(s) > Ip(e)) return "start-ip/end-ip invalid";
                }
                else if (type != "fqdn") return "type must be ipmask, iprange or fqdn";
                return null;
            case "addrgrp":
                var members = Members(o, "member");
                if (members.Count == 0) return "member is required";
                string missing = members.FirstOrDefault(m => Find(_addresses, "address", m) == null && (Find(_addressGroups, "addrgrp", m) == null || string.Equals(m, key, StringComparison.OrdinalIgnoreCase)));
                return missing == null ? null : $"member '{missing}' does not exist";
            case "custom":
                string protocol = HttpJson.Str(o, "protocol") ?? "TCP/UDP/SCTP";
                o["protocol"] = protocol;
                if (protocol == "TCP/UDP/SCTP")
                {
                    string tcp = HttpJson.Str(o, "tcp-portrange") ?? "", udp = HttpJson.Str(o, "udp-portrange") ?? "";
                    if (tcp.Length == 0 && udp.Length == 0 && (HttpJson.Str(o, "sctp-portrange") ?? "").Length == 0) return "a port range is required";
                    if (!PortRanges(tcp) || !PortRanges(udp)) return "port range invalid";
                }
                else if (protocol != "ICMP" && protocol != "IP") return "protocol must be TCP/UDP/SCTP, ICMP or IP";
                return null;
            default:
                string name = HttpJson.Str(o, "name") ?? "";
                if (name.Length > PolicyNameMax) return $"name longer than {PolicyNameMax} characters";
                if (name.Length > 0 && _policies.Any(p => p != existing && string.Equals(HttpJson.Str(p, "name"), name, StringComparison.Ordinal)))
                    return "duplicate entry";
                long id = HttpJson.Int(o, "policyid") ?? -1;
                if (id < 1 || id > 4294967294) return "policyid out of range";
                if (existing == null && Find(_policies, "policy", HttpJson.Inv(id)) != null) return "duplicate entry";
                foreach (string list in new[] { "srcintf", "dstintf", "srcaddr", "dstaddr", "service" })
                {
                    var entries = Members(o, list);
                    if (entries.Count == 0) return $"{list} is required";
                    string bad = entries.FirstOrDefault(n => list.EndsWith("intf", StringComparison.Ordinal) ? !Interfaces.Contains(n)
                        : list == "service" ? Find(_services, "custom", n) == null
                        : Find(_addresses, "address", n) == null && Find(_addressGroups, "addrgrp", n) == null);
                    if (bad != null) return $"{list} entry '{bad}' does not exist";
                }
                string nobody = Members(o, "users").FirstOrDefault(n => FindUser(n) == null);
                if (nobody != null) return $"users entry '{nobody}' does not exist";
                string noGroup = Members(o, "groups").FirstOrDefault(n => FindGroup(n) == null);
                if (noGroup != null) return $"groups entry '{noGroup}' does not exist";
                if (!new[] { "accept", "deny", "ipsec" }.Contains(HttpJson.Str(o, "action") ?? "deny")) return "action must be accept, deny or ipsec";
                if (!new[] { "enable", "disable" }.Contains(HttpJson.Str(o, "status") ?? "enable")) return "status must be enable or disable";
                if (!new[] { "enable", "disable" }.Contains(HttpJson.Str(o, "send-deny-packet") ?? "disable")) return "send-deny-packet must be enable or disable";
                return null;
        }
    }

    private static JsonObject NormalizePolicy(JsonObject o)
    {
        o["action"] ??= "deny";
        o["status"] ??= "enable";
        o["schedule"] ??= "always";
        o["nat"] ??= "disable";
        o["logtraffic"] ??= "utm";
        o["comments"] ??= "";
        o["send-deny-packet"] ??= "disable";
        o["name"] ??= "";
        o["uuid"] ??= Guid.NewGuid().ToString();
        o["users"] ??= new JsonArray();
        o["groups"] ??= new JsonArray();
        return o;
    }

    private static uint Ip(IPAddress a)
    {
        byte[] b = a.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    /// <summary>"a.b.c.d/m.m.m.m", "a.b.c.d m.m.m.m" or "a.b.c.d/len" [INF for the last] as "a.b.c.d m.m.m.m"; null when not valid.</summary>
    private static string CanonicalSubnet(string text)
    {
        string[] parts = text.Split(new[] { '/', ' ' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return null;
        uint mask;
        if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int length) && length <= 32)
            mask = length == 0 ? 0 : uint.MaxValue << (32 - length);
        else if (IPAddress.TryParse(parts[1], out var m)) mask = Ip(m);
        else return null;
        if ((~mask & (~mask + 1)) != 0) return null;
        uint network = Ip(address) & mask;
        return $"{Dotted(network)} {Dotted(mask)}";
    }

    private static string Dotted(uint v) => string.Join(".", new[] { v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255 }.Select(x => x.ToString(CultureInfo.InvariantCulture)));

    private static bool PortRanges(string text)
    {
        foreach (string entry in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string dst = entry.Split(':')[0];
            string[] ends = dst.Split('-');
            if (ends.Length > 2 || ends.Any(e => !int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p < 1 || p > 65535)) return false;
            if (ends.Length == 2 && int.Parse(ends[0], CultureInfo.InvariantCulture) > int.Parse(ends[1], CultureInfo.InvariantCulture)) return false;
        }
        return true;
    }

    /// <summary>PUT /policy/{id}: a move when ?action=move (before= or after= another id; no body), else a write.</summary>
    private Task PutPolicy(HttpContext ctx)
    {
        if (HttpJson.Query(ctx, "action") != "move") return WriteEntry(ctx, "firewall", "policy", _policies, HttpJson.Route(ctx, "id"));
        string id = HttpJson.Route(ctx, "id");
        string before = HttpJson.Query(ctx, "before"), after = HttpJson.Query(ctx, "after");
        int http = 200;
        lock (_gate)
        {
            var moving = Find(_policies, "policy", id);
            var target = Find(_policies, "policy", before ?? after ?? "");
            if (moving == null || target == null) http = 404;
            else if ((before == null) == (after == null)) http = 400;
            else if (moving != target)
            {
                _policies.Remove(moving);
                int at = _policies.IndexOf(target);
                _policies.Insert(before != null ? at : at + 1, moving);
                _revision++;
            }
        }
        if (http == 404) return ErrorEnvelope(ctx, 404, -3, "firewall", "policy", id, cmdb: true);
        if (http == 400) return ErrorEnvelope(ctx, 400, null, "firewall", "policy", id, cmdb: true);
        return WriteOk(ctx, "firewall", "policy", id);
    }

    /// <summary>DELETE: absent answers 404 -3; an address, group or service still referred to answers 424 -23.</summary>
    private Task DeleteEntry(HttpContext ctx, string path, string name, List<JsonObject> table, string key)
    {
        int http = 200;
        lock (_gate)
        {
            var found = Find(table, name, key);
            if (found == null) http = 404;
            else if (References(name, KeyOf(found, name)).Count > 0) http = 424;
            else { table.Remove(found); _revision++; }
        }
        if (http == 404) return ErrorEnvelope(ctx, 404, -3, path, name, key, cmdb: true);
        if (http == 424) return ErrorEnvelope(ctx, 424, -23, path, name, key, cmdb: true);
        return WriteOk(ctx, path, name, key);
    }
}
