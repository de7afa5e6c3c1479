using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// A baseline as a file users keep in version control: JSON, or PowerShell data (.psd1) read
    /// by the module into dictionaries. Reading checks the shape (every key known, every value of
    /// the right type) and every value (<see cref="LaptopBaselineValues"/>), and names the bad key
    /// and its line, so that nothing wrong reaches a laptop.
    /// </summary>
    public static class LaptopBaselineFile
    {
        private static readonly string[] TopKeys = { "diskEncryption", "usbStorage", "vpnProfile", "hostFirewall", "automaticSecurityUpdates", "sshHardening", "screenLock", "requiredPackages", "forbiddenPackages" };
        private static readonly string[] DiskKeys = { "required", "luksVersion", "cipher" };
        private static readonly string[] UsbKeys = { "block", "allowed" };
        private static readonly string[] DeviceKeys = { "vendorId", "productId", "serial", "description" };
        private static readonly string[] VpnKeys = { "name", "gateway", "protocol", "serverCertificatePin" };
        private static readonly string[] FirewallKeys = { "defaultDenyInbound", "managementNetwork" };
        private static readonly string[] SshKeys = { "noPasswordLogin", "noRootLogin" };
        private static readonly string[] ScreenKeys = { "required", "maxIdleSeconds" };

        /// <summary>Reads a baseline from JSON text; <paramref name="source"/> names the file in messages.</summary>
        /// <exception cref="FormatException">Not JSON, an unknown key, a wrong type or a bad value; the message names the key and its line.</exception>
        public static LaptopBaseline Parse(string json, string source)
        {
            JObject root;
            try
            {
                root = JObject.Parse(json ?? string.Empty, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            }
            catch (JsonReaderException bad)
            {
                throw new FormatException($"{source}: line {bad.LineNumber.ToString(CultureInfo.InvariantCulture)}: not valid JSON ({bad.Message}).", bad);
            }

            return new Reader(source, null, ignoreCase: false).Baseline(root);
        }

        /// <summary>
        /// Reads a baseline from PowerShell data already turned into dictionaries, lists and plain
        /// values. Keys match in any case, as in PowerShell. <paramref name="lineOf"/> gives the
        /// line of a key by its path ("usbStorage.allowed[1].vendorId", lower case), or null.
        /// </summary>
        public static LaptopBaseline FromData(IDictionary<string, object> root, string source, Func<string, int?> lineOf)
        {
            JObject json = (JObject)Data(root ?? new Dictionary<string, object>());
            return new Reader(source, lineOf, ignoreCase: true).Baseline(json);
        }

        /// <summary>Checks a baseline built in code (-Baseline with an object) by the same value rules.</summary>
        /// <exception cref="FormatException">A bad value; the message names the property.</exception>
        public static LaptopBaseline Validate(LaptopBaseline baseline, string source)
        {
            if (baseline == null)
            {
                throw new ArgumentNullException(nameof(baseline));
            }

            JObject json = JObject.FromObject(baseline, JsonSerializer.Create(new JsonSerializerSettings { ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver(), NullValueHandling = NullValueHandling.Ignore }));
            return new Reader(source, null, ignoreCase: false).Baseline(json);
        }

        /// <summary>Writes a baseline in the form <see cref="Parse"/> reads.</summary>
        public static string Write(LaptopBaseline baseline) =>
            JObject.FromObject(baseline, JsonSerializer.Create(new JsonSerializerSettings { ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver(), NullValueHandling = NullValueHandling.Ignore }))
                .ToString(Formatting.Indented) + "\n";

        private static JToken Data(object value)
        {
            switch (value)
            {
                case null: return JValue.CreateNull();
                case string text: return new JValue(text);
                case bool flag: return new JValue(flag);
                case int number: return new JValue(number);
                case long number: return new JValue(number);
                case double number: return new JValue(number);
                case decimal number: return new JValue(number);
                case IDictionary<string, object> table:
                    var item = new JObject();
                    foreach (KeyValuePair<string, object> entry in table)
                    {
                        item[entry.Key] = Data(entry.Value);
                    }

                    return item;
                case IEnumerable<object> list: return new JArray(list.Select(Data));
                default: return new JValue(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        private sealed class Reader
        {
            private readonly string source;
            private readonly Func<string, int?> lineOf;

            internal Reader(string source, Func<string, int?> lineOf, bool ignoreCase)
            {
                this.source = source;
                this.lineOf = lineOf;
                IgnoreCase = ignoreCase;
            }

            private bool IgnoreCase { get; }

            internal LaptopBaseline Baseline(JObject root)
            {
                Dictionary<string, JProperty> top = Keys(root, TopKeys, string.Empty, "the top level");
                var baseline = new LaptopBaseline();
                if (Get(top, "diskEncryption") is JProperty disk && Object(disk, "diskEncryption") is JObject diskObject)
                {
                    var keys = Keys(diskObject, DiskKeys, "diskEncryption.", "diskEncryption");
                    baseline.DiskEncryption = new DiskEncryptionRequirement
                    {
                        Required = Bool(Get(keys, "required"), "diskEncryption.required") ?? true,
                        LuksVersion = Checked(Int(Get(keys, "luksVersion"), "diskEncryption.luksVersion"), Get(keys, "luksVersion"), "diskEncryption.luksVersion", LaptopBaselineValues.CheckLuksVersion),
                        Cipher = Checked(Text(Get(keys, "cipher"), "diskEncryption.cipher"), Get(keys, "cipher"), "diskEncryption.cipher", LaptopBaselineValues.CheckCipher),
                    };
                }

                if (Get(top, "usbStorage") is JProperty usb && Object(usb, "usbStorage") is JObject usbObject)
                {
                    var keys = Keys(usbObject, UsbKeys, "usbStorage.", "usbStorage");
                    baseline.UsbStorage = new UsbStorageRequirement { Block = Bool(Get(keys, "block"), "usbStorage.block") ?? true };
                    if (Get(keys, "allowed") is JProperty allowed && allowed.Value.Type != JTokenType.Null)
                    {
                        int index = 0;
                        foreach (JToken item in Expect<JArray>(allowed.Value, allowed, "usbStorage.allowed", "a list of devices"))
                        {
                            index++;
                            string path = $"usbStorage.allowed[{index.ToString(CultureInfo.InvariantCulture)}]";
                            var deviceKeys = Keys(Expect<JObject>(item, item, path, "a device (vendorId, productId, serial, description)"), DeviceKeys, path + ".", path);
                            var device = new ApprovedUsbDevice
                            {
                                VendorId = Checked(Text(Get(deviceKeys, "vendorId"), path + ".vendorId"), Get(deviceKeys, "vendorId") ?? (JToken)item, path + ".vendorId", LaptopBaselineValues.CheckUsbId),
                                ProductId = Checked(Text(Get(deviceKeys, "productId"), path + ".productId"), Get(deviceKeys, "productId") ?? (JToken)item, path + ".productId", LaptopBaselineValues.CheckUsbId),
                                Serial = Checked(Text(Get(deviceKeys, "serial"), path + ".serial"), Get(deviceKeys, "serial"), path + ".serial", LaptopBaselineValues.CheckSerial),
                                Description = Text(Get(deviceKeys, "description"), path + ".description"),
                            };
                            device.VendorId = device.VendorId.ToLowerInvariant();
                            device.ProductId = device.ProductId.ToLowerInvariant();
                            baseline.UsbStorage.Allowed.Add(device);
                        }
                    }
                }

                if (Get(top, "vpnProfile") is JProperty vpn && Object(vpn, "vpnProfile") is JObject vpnObject)
                {
                    var keys = Keys(vpnObject, VpnKeys, "vpnProfile.", "vpnProfile");
                    baseline.VpnProfile = new VpnProfileRequirement
                    {
                        Name = Checked(Text(Get(keys, "name"), "vpnProfile.name"), Get(keys, "name") ?? (JToken)vpn, "vpnProfile.name", LaptopBaselineValues.CheckProfileName),
                        Gateway = Checked(Text(Get(keys, "gateway"), "vpnProfile.gateway"), Get(keys, "gateway") ?? (JToken)vpn, "vpnProfile.gateway", LaptopBaselineValues.CheckGateway),
                        Protocol = Checked(Text(Get(keys, "protocol"), "vpnProfile.protocol") ?? "anyconnect", Get(keys, "protocol"), "vpnProfile.protocol", LaptopBaselineValues.CheckProtocol),
                        ServerCertificatePin = Checked(Text(Get(keys, "serverCertificatePin"), "vpnProfile.serverCertificatePin"), Get(keys, "serverCertificatePin"), "vpnProfile.serverCertificatePin", LaptopBaselineValues.CheckPin),
                    };
                }

                if (Get(top, "hostFirewall") is JProperty firewall && Object(firewall, "hostFirewall") is JObject firewallObject)
                {
                    var keys = Keys(firewallObject, FirewallKeys, "hostFirewall.", "hostFirewall");
                    string network = Text(Get(keys, "managementNetwork"), "hostFirewall.managementNetwork");
                    baseline.HostFirewall = new HostFirewallRequirement
                    {
                        DefaultDenyInbound = Bool(Get(keys, "defaultDenyInbound"), "hostFirewall.defaultDenyInbound") ?? true,
                        ManagementNetwork = network == null ? null : Checked(network, Get(keys, "managementNetwork"), "hostFirewall.managementNetwork", LaptopBaselineValues.CheckNetwork),
                    };
                }

                if (Get(top, "automaticSecurityUpdates") is JProperty updates)
                {
                    baseline.AutomaticSecurityUpdates = Bool(updates, "automaticSecurityUpdates");
                }

                if (Get(top, "sshHardening") is JProperty ssh && Object(ssh, "sshHardening") is JObject sshObject)
                {
                    var keys = Keys(sshObject, SshKeys, "sshHardening.", "sshHardening");
                    baseline.SshHardening = new SshHardeningRequirement
                    {
                        NoPasswordLogin = Bool(Get(keys, "noPasswordLogin"), "sshHardening.noPasswordLogin") ?? true,
                        NoRootLogin = Bool(Get(keys, "noRootLogin"), "sshHardening.noRootLogin") ?? true,
                    };
                }

                if (Get(top, "screenLock") is JProperty screen && Object(screen, "screenLock") is JObject screenObject)
                {
                    var keys = Keys(screenObject, ScreenKeys, "screenLock.", "screenLock");
                    baseline.ScreenLock = new ScreenLockRequirement
                    {
                        Required = Bool(Get(keys, "required"), "screenLock.required") ?? true,
                        MaxIdleSeconds = Checked(Int(Get(keys, "maxIdleSeconds"), "screenLock.maxIdleSeconds"), Get(keys, "maxIdleSeconds"), "screenLock.maxIdleSeconds", LaptopBaselineValues.CheckIdleSeconds),
                    };
                }

                baseline.RequiredPackages = Packages(Get(top, "requiredPackages"), "requiredPackages");
                baseline.ForbiddenPackages = Packages(Get(top, "forbiddenPackages"), "forbiddenPackages");
                string both = baseline.RequiredPackages.Intersect(baseline.ForbiddenPackages, StringComparer.Ordinal).FirstOrDefault();
                if (both != null)
                {
                    throw Bad(Get(top, "forbiddenPackages"), "forbiddenPackages", $"'{both}' is both required and forbidden");
                }

                return baseline;
            }

            private IList<string> Packages(JProperty property, string path)
            {
                var names = new List<string>();
                if (property == null || property.Value.Type == JTokenType.Null)
                {
                    return names;
                }

                IEnumerable<JToken> items = property.Value.Type == JTokenType.String ? new[] { property.Value } : Expect<JArray>(property.Value, property, path, "a list of package names");
                int index = 0;
                foreach (JToken item in items)
                {
                    index++;
                    string where = $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";
                    string name = Checked(Text(item, where), item, where, LaptopBaselineValues.CheckPackageName);
                    if (!names.Contains(name, StringComparer.Ordinal))
                    {
                        names.Add(name);
                    }
                }

                return names;
            }

            private Dictionary<string, JProperty> Keys(JObject item, string[] known, string prefix, string where)
            {
                var found = new Dictionary<string, JProperty>(StringComparer.Ordinal);
                foreach (JProperty property in item.Properties())
                {
                    StringComparison comparison = IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    string key = known.FirstOrDefault(k => string.Equals(k, property.Name, comparison));
                    if (key == null)
                    {
                        throw new FormatException($"{At(property, prefix + property.Name)}unknown key \"{property.Name}\" in {where}; valid keys are {string.Join(", ", known)}{(IgnoreCase ? string.Empty : " (case-sensitive)")}.");
                    }

                    if (found.ContainsKey(key))
                    {
                        throw new FormatException($"{At(property, prefix + property.Name)}\"{property.Name}\" appears twice in {where}.");
                    }

                    found[key] = property;
                }

                return found;
            }

            private static JProperty Get(Dictionary<string, JProperty> keys, string key) => keys.TryGetValue(key, out JProperty property) ? property : null;

            private JObject Object(JProperty property, string path) =>
                property.Value.Type == JTokenType.Null ? null : Expect<JObject>(property.Value, property, path, "an object (a hashtable in .psd1)");

            private TToken Expect<TToken>(JToken token, JToken at, string path, string what)
                where TToken : JToken
            {
                if (token is TToken typed)
                {
                    return typed;
                }

                throw new FormatException($"{At(at, path)}{path} must be {what}, not {Describe(token)}.");
            }

            private bool? Bool(JProperty property, string path)
            {
                if (property == null || property.Value.Type == JTokenType.Null)
                {
                    return null;
                }

                if (property.Value.Type != JTokenType.Boolean)
                {
                    throw new FormatException($"{At(property, path)}{path} must be true or false ($true or $false in .psd1), not {Describe(property.Value)}.");
                }

                return (bool)property.Value;
            }

            private int? Int(JProperty property, string path)
            {
                if (property == null || property.Value.Type == JTokenType.Null)
                {
                    return null;
                }

                if (property.Value.Type != JTokenType.Integer)
                {
                    throw new FormatException($"{At(property, path)}{path} must be a whole number, not {Describe(property.Value)}.");
                }

                long value = (long)property.Value;
                if (value > int.MaxValue || value < int.MinValue)
                {
                    throw new FormatException($"{At(property, path)}{path} is out of range ({value.ToString(CultureInfo.InvariantCulture)}).");
                }

                return (int)value;
            }

            private string Text(JToken token, string path)
            {
                JToken value = token is JProperty property ? property.Value : token;
                if (value == null || value.Type == JTokenType.Null)
                {
                    return null;
                }

                if (value.Type != JTokenType.String)
                {
                    throw new FormatException($"{At(token, path)}{path} must be a string, not {Describe(value)}.");
                }

                return (string)value;
            }

            private T Checked<T>(T value, JToken at, string path, Func<T, string> rule)
            {
                string problem = rule(value);
                if (problem != null)
                {
                    throw Bad(at, path, problem);
                }

                return value;
            }

            private FormatException Bad(JToken at, string path, string problem) => new FormatException($"{At(at, path)}{path}: {problem}.");

            private static string Describe(JToken token) => token.Type == JTokenType.Object ? "an object" : token.Type == JTokenType.Array ? "a list" : token.ToString(Formatting.None);

            private string At(JToken token, string path)
            {
                var info = (IJsonLineInfo)token;
                int? line = info != null && info.HasLineInfo() ? info.LineNumber : (int?)null;
                if (line == null && lineOf != null && path != null)
                {
                    line = lineOf(path.ToLowerInvariant());
                }

                string where = line == null ? string.Empty : $"line {line.Value.ToString(CultureInfo.InvariantCulture)}: ";
                return string.IsNullOrEmpty(source) ? where : $"{source}: {where}";
            }
        }
    }
}
