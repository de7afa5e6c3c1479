using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators;

/// <summary>One emulated appliance: its REST endpoints plus the hooks the /_lab/ control API drives.</summary>
internal interface IApplianceEmulator
{
    /// <summary>Maps the appliance's REST endpoints.</summary>
    void Map(WebApplication app);

    /// <summary>Writes an injected-fault reply (429, 503, failPath) in the vendor's error style.</summary>
    Task WriteFault(HttpContext ctx, int status, string message);

    /// <summary>Writes the reply for a path no endpoint matches.</summary>
    Task WriteNotFound(HttpContext ctx);

    /// <summary>Back to the seeded state (users, groups, sessions, references, settings); credentials stay.</summary>
    void Reset();

    /// <summary>POST /_lab/sessions. Returns null and sets error when the body is invalid.</summary>
    JsonObject SeedSessions(JsonObject body, out string error);

    /// <summary>DELETE /_lab/sessions.</summary>
    int ClearSessions();

    /// <summary>POST /_lab/references. Returns null and sets error when the body is invalid.</summary>
    JsonObject AddReference(JsonObject body, out string error);

    /// <summary>expireApiKeysNow: ICS forgets every api_key; FortiOS regenerates its API token.</summary>
    JsonObject ExpireCredentials();

    /// <summary>GET (changes == null) or POST /_lab/settings.</summary>
    JsonObject Settings(JsonObject changes, out string error);

    /// <summary>Counts for GET /_lab/stats (users, sessions, ...).</summary>
    JsonObject Summary();

    /// <summary>Adds adminUser, adminPassword, apiToken and kind-specific fields to endpoint.json.</summary>
    void FillEndpointInfo(JsonObject endpoint);
}
