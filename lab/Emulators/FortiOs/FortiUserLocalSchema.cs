namespace RemoteOps.Lab.Emulators.FortiOs;

/// <summary>
/// The attributes of a cmdb/user/local object, with the FortiOS versions that carry them, their
/// allowed options and their defaults.
///
/// Attribute list, version ranges and options: the versioned_schema of
/// github.com/fortinet-ansible-dev/ansible-galaxy-fortios-collection plugins/modules/fortios_user_local.py
/// (generated from FortiOS's own schema) [CODE]. Defaults: the "config user local" table of the
/// FortiOS CLI reference, for example docs.fortinet.com/document/fortigate/7.0.9/cli-reference/524620
/// [DOC]. ppk-secret reads back like passwd when set, and as "" when not [INF].
/// </summary>
internal static class FortiUserLocalSchema
{
    internal sealed class Attribute
    {
        public string Name;
        public bool IsInteger;
        public string Default;
        public string[] Options;            // null: free text
        public int[] From = { 6, 0, 0 };     // first version that has it
        public int[] Until;                  // last version that has it; null: still there
        public (string option, int[] from)[] LaterOptions = Array.Empty<(string, int[])>();
    }

    private static Attribute Text(string name, string def = "") => new Attribute { Name = name, Default = def };
    private static Attribute Option(string name, string def, params string[] options) => new Attribute { Name = name, Default = def, Options = options };
    private static Attribute Integer(string name) => new Attribute { Name = name, IsInteger = true, Default = "0" };

    /// <summary>Every attribute except name and passwd, which the emulator handles itself.</summary>
    public static readonly Attribute[] Attributes =
    {
        Integer("id").UpTo(7, 0, 5),   // also in 7.2.0 only; the emulator does not model that one release
        Option("status", "enable", "enable", "disable"),
        WithLater(Option("type", "password", "password", "radius", "tacacs+", "ldap"), ("saml", new[] { 7, 6, 3 })),
        Text("ldap-server"),
        Text("radius-server"),
        Text("saml-server").Since(7, 6, 3),
        Text("tacacs+-server"),
        Option("two-factor", "disable", "disable", "fortitoken", "fortitoken-cloud", "email", "sms"),
        Option("two-factor-authentication", "", "", "fortitoken", "email", "sms"),
        Option("two-factor-notification", "", "", "email", "sms"),
        Text("fortitoken"),
        Text("email-to"),
        Option("sms-server", "fortiguard", "fortiguard", "custom"),
        Text("sms-custom-server"),
        Text("sms-phone"),
        Text("passwd-policy"),
        Text("passwd-time", "0000-00-00 00:00:00"),
        Integer("authtimeout"),
        Text("workstation"),
        Option("auth-concurrent-override", "disable", "enable", "disable"),
        Integer("auth-concurrent-value"),
        Text("ppk-secret"),
        Text("ppk-identity"),
        Text("qkd-profile").Since(7, 4, 2),
        Option("username-sensitivity", "enable", "disable", "enable").Since(7, 0, 1),
    };

    /// <summary>The attributes a FortiOS of this version carries, in schema order.</summary>
    public static Attribute[] For(int[] version) =>
        Attributes.Where(a => EmulatorOptions.Compare(version, a.From) >= 0
                              && (a.Until == null || EmulatorOptions.Compare(version, a.Until) <= 0)).ToArray();

    /// <summary>The options of an attribute on this version, or null for free text.</summary>
    public static string[] OptionsFor(Attribute a, int[] version) =>
        a.Options == null ? null
        : a.Options.Concat(a.LaterOptions.Where(l => EmulatorOptions.Compare(version, l.from) >= 0).Select(l => l.option)).ToArray();

    private static Attribute Since(this Attribute a, int major, int minor, int patch) { a.From = new[] { major, minor, patch }; return a; }
    private static Attribute UpTo(this Attribute a, int major, int minor, int patch) { a.Until = new[] { major, minor, patch }; return a; }
    private static Attribute WithLater(Attribute a, params (string, int[])[] later) { a.LaterOptions = later; return a; }
}
