namespace RemoteOps.Lab.Emulators.SecurId;

/// <summary>
/// One seeded SecurID user. Add a line to <see cref="SecurIdSeed.Users"/> for a new help-desk
/// scenario, or add users at run time with POST /_lab/settings {"addUsers":[{...}]} using the
/// same field names (camelCase). The emulator writes every user, with its current tokencode, into
/// endpoint.json ("users"), so tests never hard-code a code.
/// </summary>
internal sealed class SecurIdSeedUser
{
    public string Email { get; init; }
    public string FirstName { get; init; }
    public string LastName { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>Serial of the assigned SecurID token, or null when none is assigned.</summary>
    public string TokenSerial { get; init; }
    /// <summary>The code the token shows now; the Authentication API accepts exactly this one.</summary>
    public string Tokencode { get; init; }
    public bool TokenDisabled { get; init; }
    /// <summary>The service asks for the next tokencode after a right one (as after many wrong codes) [INF].</summary>
    public bool NextTokencodeMode { get; init; }
    public bool TokenLocked { get; init; }
    public bool SmsLocked { get; init; }
    public bool VoiceLocked { get; init; }
    /// <summary>Name of a registered Authenticate app device, or null.</summary>
    public string AppDevice { get; init; }
}

/// <summary>The help-desk scenarios the emulator starts with (and returns to on POST /_lab/reset).</summary>
internal static class SecurIdSeed
{
    public static readonly SecurIdSeedUser[] Users =
    {
        // Healthy: enabled, one token, nothing locked.
        new() { Email = "healthy@lab.example", FirstName = "Hana", LastName = "Healthy", TokenSerial = "000412345678", Tokencode = "24681357" },
        // Disabled account; its token is fine.
        new() { Email = "disabled@lab.example", FirstName = "Dan", LastName = "Disabled", Enabled = false, TokenSerial = "000412345679", Tokencode = "11223344" },
        // Token locked after too many wrong codes.
        new() { Email = "locked@lab.example", FirstName = "Lena", LastName = "Locked", TokenSerial = "000412345680", Tokencode = "55667788", TokenLocked = true },
        // No token assigned (only the Authenticate app).
        new() { Email = "notoken@lab.example", FirstName = "Nico", LastName = "Notoken", AppDevice = "Pixel 8" },
        // Nothing assigned at all: no token and no app (a help-desk "no second factor" call).
        new() { Email = "nofactor@lab.example", FirstName = "Nell", LastName = "Nofactor" },
        // SMS locked, token fine, app registered.
        new() { Email = "smslocked@lab.example", FirstName = "Sam", LastName = "Smslocked", TokenSerial = "000412345681", Tokencode = "99887766", SmsLocked = true, AppDevice = "iPhone 15" },
        // Right code, but the service asks for the next tokencode.
        new() { Email = "nexttoken@lab.example", FirstName = "Nora", LastName = "Next", TokenSerial = "000412345682", Tokencode = "31415926", NextTokencodeMode = true },
    };
}
