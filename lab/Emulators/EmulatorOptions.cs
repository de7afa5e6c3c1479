using System.Globalization;
using System.Text.RegularExpressions;

namespace RemoteOps.Lab.Emulators;

/// <summary>Command-line options of the emulator process.</summary>
internal sealed class EmulatorOptions
{
    public const string Usage =
@"usage: RemoteOps.Lab.Emulators --kind ics|fortios|securid|smc --state-dir DIR [options]

  --kind ics|fortios|securid|smc
                                appliance to emulate (one per process)
  --state-dir DIR               certificates and endpoint.json live here
  --port N                      HTTPS port on 127.0.0.1 (0 = ephemeral, default)
  --version V                   ics: 9.1R18 | 22.7R2.1 (default 22.7R2.1)
                                fortios: x.y.z (default 7.4.8)
                                securid: cloud | am (default cloud; am = Authentication
                                Manager 8.x, Authentication API only)
                                smc: the newest SMC API version served, x.y (default 7.1)
  --max-lifetime-sec N          exit by itself after N seconds (default 1800, 1..86400)
  --parent-pid PID              exit when process PID is gone (polled every second)
  --capacity N                  ics: licensed concurrent users; fortios: SSL-VPN user limit
                                (default 500; both [INF], see README)
  ics only:
  --admin-realm NAME            admin realm accepted by realm_auth (repeatable;
                                default ""Admin Users"")
  --auth-server NAME            second local auth server (default ""Contractors Local"")
  --api-key-idle-sec N          api_key idle expiry (default 1800)
  fortios only:
  --rest-api-key-url-query enable|disable
                                allow ?access_token= (default: enable below 7.4.5,
                                disable from 7.4.5 on)
  --lockout-threshold N         failed token checks within 60 s before a 60 s lockout
                                (default 3, 0 = off)";

    public string Kind { get; private set; }
    public string StateDir { get; private set; }
    public int Port { get; private set; }
    public string Version { get; private set; }
    public int MaxLifetimeSec { get; private set; } = 1800;
    public int? ParentPid { get; private set; }
    public int Capacity { get; private set; } = 500;
    public List<string> AdminRealms { get; } = new List<string>();
    public string SecondAuthServer { get; private set; } = "Contractors Local";
    public int ApiKeyIdleSec { get; private set; } = 1800;
    public bool? RestApiKeyUrlQuery { get; private set; }
    public int LockoutThreshold { get; private set; } = 3;
    public bool ShowHelp { get; private set; }

    public static EmulatorOptions Parse(string[] args)
    {
        var o = new EmulatorOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "-h" || a == "--help") { o.ShowHelp = true; return o; }
            if (!a.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument '{a}'");
            string name = a, value = null;
            int eq = a.IndexOf('=');
            if (eq > 0) { name = a.Substring(0, eq); value = a.Substring(eq + 1); }
            string Next()
            {
                if (value != null) return value;
                if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value");
                return args[++i];
            }
            switch (name)
            {
                case "--kind": o.Kind = Next().ToLowerInvariant(); break;
                case "--state-dir": o.StateDir = Next(); break;
                case "--port": o.Port = Int(name, Next(), 0, 65535); break;
                case "--version": o.Version = Next(); break;
                case "--max-lifetime-sec": o.MaxLifetimeSec = Int(name, Next(), 1, 86400); break;
                case "--parent-pid": o.ParentPid = Int(name, Next(), 1, int.MaxValue); break;
                case "--capacity": o.Capacity = Int(name, Next(), 0, 1000000); break;
                case "--admin-realm": o.AdminRealms.Add(NonEmpty(name, Next())); break;
                case "--auth-server": o.SecondAuthServer = NonEmpty(name, Next()); break;
                case "--api-key-idle-sec": o.ApiKeyIdleSec = Int(name, Next(), 1, 86400); break;
                case "--rest-api-key-url-query":
                    string v = Next();
                    if (v == "enable") o.RestApiKeyUrlQuery = true;
                    else if (v == "disable") o.RestApiKeyUrlQuery = false;
                    else throw new ArgumentException($"{name} takes enable or disable");
                    break;
                case "--lockout-threshold": o.LockoutThreshold = Int(name, Next(), 0, 100); break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }

        if (o.Kind != "ics" && o.Kind != "fortios" && o.Kind != "securid" && o.Kind != "smc") throw new ArgumentException("--kind must be ics, fortios, securid or smc");
        if (string.IsNullOrWhiteSpace(o.StateDir)) throw new ArgumentException("--state-dir is required");
        o.StateDir = Path.GetFullPath(o.StateDir);
        if (o.AdminRealms.Count == 0) o.AdminRealms.Add("Admin Users");
        if (o.Kind == "ics")
        {
            o.Version ??= "22.7R2.1";
            if (IcsVersion(o.Version) == null) throw new ArgumentException("ics --version looks like 9.1R18 or 22.7R2.1");
            if (string.Equals(o.SecondAuthServer, "System Local", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("--auth-server must differ from 'System Local'");
        }
        else if (o.Kind == "securid")
        {
            o.Version = (o.Version ?? "cloud").ToLowerInvariant();
            if (o.Version != "cloud" && o.Version != "am") throw new ArgumentException("securid --version is cloud or am");
        }
        else if (o.Kind == "smc")
        {
            o.Version ??= "7.1";
            if (SmcApiVersion(o.Version) == null) throw new ArgumentException("smc --version is an SMC API version such as 7.1 or 6.5");
        }
        else
        {
            o.Version ??= "7.4.8";
            if (o.Version.StartsWith("v", StringComparison.OrdinalIgnoreCase)) o.Version = o.Version.Substring(1);
            if (FortiOsVersion(o.Version) == null) throw new ArgumentException("fortios --version looks like 7.4.8");
        }
        return o;
    }

    /// <summary>"22.7R2.1" -> [22, 7, 2, 1]; null when it does not parse.</summary>
    public static int[] IcsVersion(string v)
    {
        var m = Regex.Match(v ?? "", @"^(\d+)\.(\d+)R(\d+)(?:\.(\d+))?$");
        if (!m.Success) return null;
        return new[]
        {
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
            m.Groups[4].Success ? int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) : 0,
        };
    }

    /// <summary>"7.4.8" -> [7, 4, 8]; null when it does not parse.</summary>
    public static int[] FortiOsVersion(string v)
    {
        var m = Regex.Match(v ?? "", @"^(\d+)\.(\d+)\.(\d+)$");
        if (!m.Success) return null;
        return new[]
        {
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>"6.10" -> [6, 10]; null when it does not parse.</summary>
    public static int[] SmcApiVersion(string v)
    {
        var m = Regex.Match(v ?? "", @"^(\d+)\.(\d+)$");
        if (!m.Success) return null;
        return new[] { int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) };
    }

    /// <summary>Lexicographic comparison of two version tuples, missing parts counted as 0.</summary>
    public static int Compare(int[] a, int[] b)
    {
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            int x = i < a.Length ? a[i] : 0, y = i < b.Length ? b[i] : 0;
            if (x != y) return x.CompareTo(y);
        }
        return 0;
    }

    private static int Int(string name, string s, int min, int max)
    {
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw new ArgumentException($"{name} takes an integer in {min}..{max}");
        return n;
    }

    private static string NonEmpty(string name, string s)
    {
        if (string.IsNullOrWhiteSpace(s)) throw new ArgumentException($"{name} needs a non-empty value");
        return s;
    }
}
