using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>
    /// The few settings of ocserv.conf the driver needs. The file is "key = value" lines with
    /// '#' comments; a key may repeat (auth, select-group, route). Only the global part is read:
    /// settings under a "[vhost:NAME]" header belong to that virtual host.
    /// </summary>
    internal sealed class OcservConfig
    {
        private readonly Dictionary<string, List<string>> values;

        private OcservConfig(Dictionary<string, List<string>> values)
        {
            this.values = values;
            AuthMethods = All("auth").Concat(All("enable-auth")).Select(AuthMethod.Parse).ToList();
        }

        /// <summary>Every auth and enable-auth method, in file order.</summary>
        public IReadOnlyList<AuthMethod> AuthMethods { get; }

        /// <summary>The first plain (ocpasswd) method, or null.</summary>
        public AuthMethod PlainAuth => AuthMethods.FirstOrDefault(m => m.Name == "plain");

        /// <summary>occtl's socket as configured, or null.</summary>
        public string OcctlSocketFile => Last("occtl-socket-file");

        /// <summary>max-clients; null when absent, unreadable or 0 (ocserv's "no limit").</summary>
        public int? MaxClients
        {
            get
            {
                string text = Last("max-clients");
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int max) && max > 0 ? max : (int?)null;
            }
        }

        /// <summary>max-same-clients (sessions per user); null when absent, unreadable or 0 (ocserv's "no limit").</summary>
        public int? MaxSameClients =>
            int.TryParse(Last("max-same-clients"), NumberStyles.None, CultureInfo.InvariantCulture, out int max) && max > 0 ? max : (int?)null;

        /// <summary>tcp-port, 443 when absent or unreadable.</summary>
        public int TcpPort =>
            int.TryParse(Last("tcp-port"), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port > 0 && port < 65536 ? port : 443;

        /// <summary>The per-group configuration directory, or null.</summary>
        public string ConfigPerGroup => Last("config-per-group");

        /// <summary>The last value of a key, or null.</summary>
        public string Last(string key) => values.TryGetValue(key, out List<string> list) && list.Count > 0 ? list[list.Count - 1] : null;

        /// <summary>Every value of a key, in file order.</summary>
        public IReadOnlyList<string> All(string key) => values.TryGetValue(key, out List<string> list) ? (IReadOnlyList<string>)list : new string[0];

        /// <summary>Reads the text of ocserv.conf.</summary>
        public static OcservConfig Parse(string text)
        {
            var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (string raw in (text ?? string.Empty).Split('\n'))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                if (line[0] == '[')
                {
                    // [vhost:NAME] starts a virtual host's settings; the rest of the file is its.
                    break;
                }

                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                string key = line.Substring(0, equals).Trim();
                string value = Unquote(line.Substring(equals + 1).Trim());
                if (!values.TryGetValue(key, out List<string> list))
                {
                    values[key] = list = new List<string>();
                }

                list.Add(value);
            }

            return new OcservConfig(values);
        }

        private static string Unquote(string value)
            => value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"' ? value.Substring(1, value.Length - 2) : value;

        /// <summary>One auth method: <c>plain[passwd=/etc/ocserv/passwd,otp=/etc/ocserv/otp]</c>.</summary>
        internal sealed class AuthMethod
        {
            private AuthMethod(string name, IReadOnlyDictionary<string, string> options)
            {
                Name = name;
                Options = options;
            }

            /// <summary>plain, pam, radius, certificate, gssapi, ...</summary>
            public string Name { get; }

            /// <summary>The bracketed options; a bare value (the old "plain[/path]" form) is stored as passwd.</summary>
            public IReadOnlyDictionary<string, string> Options { get; }

            /// <summary>The password file of a plain method, or null.</summary>
            public string PasswdFile => Options.TryGetValue("passwd", out string path) && path.Length > 0 ? path : null;

            public static AuthMethod Parse(string text)
            {
                string value = text.Trim();
                int open = value.IndexOf('[');
                string name = (open < 0 ? value : value.Substring(0, open)).Trim().ToLowerInvariant();
                var options = new Dictionary<string, string>(StringComparer.Ordinal);
                if (open >= 0)
                {
                    int close = value.LastIndexOf(']');
                    string inner = close > open ? value.Substring(open + 1, close - open - 1) : value.Substring(open + 1);
                    foreach (string part in inner.Split(','))
                    {
                        string option = part.Trim();
                        if (option.Length == 0)
                        {
                            continue;
                        }

                        int equals = option.IndexOf('=');
                        if (equals < 0)
                        {
                            // ocserv before 0.11 wrote plain[/etc/ocserv/ocpasswd].
                            if (name == "plain" && !options.ContainsKey("passwd"))
                            {
                                options["passwd"] = option;
                            }

                            continue;
                        }

                        options[option.Substring(0, equals).Trim()] = option.Substring(equals + 1).Trim();
                    }
                }

                return new AuthMethod(name, options);
            }

            public override string ToString() => Name;
        }
    }
}
