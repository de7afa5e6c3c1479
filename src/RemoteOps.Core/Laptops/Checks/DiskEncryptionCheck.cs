using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// Root and swap on LUKS. Which device holds root and swap comes from the running system
    /// (lsblk's inverse tree of the root and swap devices, as JSON: a "crypt" layer anywhere below
    /// them, as with LVM on LUKS) or, failing that, from /etc/fstab naming /dev/mapper/NAME; NAME
    /// must be an entry of /etc/crypttab whose backing device carries a LUKS header (cryptsetup
    /// luksDump reads it), of the version and cipher the baseline asks for. Swap with a random
    /// key each boot (crypttab's "swap" option with /dev/urandom) counts as encrypted; it has no
    /// header, so none is read. Never repaired: encrypting a disk in place is a reimage.
    /// </summary>
    public sealed class DiskEncryptionCheck : ILaptopCheck
    {
        /// <inheritdoc />
        public string Id => "DiskEncryption";

        /// <inheritdoc />
        public string Title => "Root and swap are LUKS-encrypted";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.DiskEncryption != null && baseline.DiskEncryption.Required;

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline)
        {
            DiskEncryptionRequirement wanted = baseline.DiskEncryption;
            string version = wanted.LuksVersion == null ? "LUKS" : "LUKS" + wanted.LuksVersion;
            return $"root and swap on {version}" + (wanted.Cipher == null ? string.Empty : $" with cipher {wanted.Cipher}");
        }

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            DiskEncryptionRequirement wanted = baseline.DiskEncryption;
            if (evidence.Lines("luks").Contains("nocryptsetup"))
            {
                return LaptopCheckVerdict.Error("cryptsetup is not installed", "cryptsetup is needed to read the LUKS headers; install cryptsetup-bin on the laptop.");
            }

            var crypttab = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (string line in evidence.Lines("crypttab"))
            {
                string[] fields = Fields(line);
                if (fields.Length >= 2 && !crypttab.ContainsKey(fields[0]))
                {
                    crypttab[fields[0]] = fields;
                }
            }

            var headers = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (string line in evidence.Lines("luks"))
            {
                string[] fields = line.Split('\t');
                if (fields.Length >= 3)
                {
                    headers[fields[1]] = fields;
                }
            }

            List<string[]> fstab = evidence.Lines("fstab").Select(Fields).Where(f => f.Length >= 3).ToList();
            var found = new List<string>();
            var problems = new List<string>();

            LiveCryptLayers(evidence.Lines("block-stacks"), out string liveRootCrypt, out List<string> swapCrypts, out List<string> plainSwaps);
            string[] root = fstab.FirstOrDefault(f => f[1] == "/");
            string rootCrypt = liveRootCrypt ?? MapperName(root?[0]);
            if (root == null && rootCrypt == null)
            {
                problems.Add("no root file system in /etc/fstab");
            }
            else
            {
                Judge("root", root?[0] ?? "(running root)", rootCrypt, crypttab, headers, wanted, found, problems, allowRandomKey: false);
            }

            // A swap in use that has no crypt layer under it writes memory to the disk in clear,
            // whether /etc/fstab lists it or not (swapon by hand, a systemd swap unit).
            foreach (string device in plainSwaps)
            {
                problems.Add($"swap: {device} is in use (/proc/swaps) and is not on an encrypted device");
            }

            // What is running wins over /etc/fstab; fstab decides only when nothing is.
            List<string[]> swaps = fstab.Where(f => f[2] == "swap").ToList();
            if (swapCrypts.Count > 0)
            {
                foreach (string name in swapCrypts)
                {
                    Judge("swap", name, name, crypttab, headers, wanted, found, problems, allowRandomKey: true);
                }
            }
            else if (plainSwaps.Count == 0 && swaps.Count > 0)
            {
                foreach (string[] swap in swaps)
                {
                    Judge("swap", swap[0], MapperName(swap[0]), crypttab, headers, wanted, found, problems, allowRandomKey: true);
                }
            }
            else if (plainSwaps.Count == 0)
            {
                found.Add("swap: none");
            }

            string text = string.Join("; ", problems.Concat(found));
            return problems.Count == 0 ? LaptopCheckVerdict.Compliant(text) : LaptopCheckVerdict.NonCompliant(text, "Encrypting a disk in place is not done remotely: reimage the laptop.");
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence) => null;

        private static void Judge(string role, string device, string cryptName, Dictionary<string, string[]> crypttab, Dictionary<string, string[]> headers,
            DiskEncryptionRequirement wanted, List<string> found, List<string> problems, bool allowRandomKey)
        {
            if (cryptName == null || !crypttab.TryGetValue(cryptName, out string[] entry))
            {
                problems.Add($"{role}: {device} is not on a device listed in /etc/crypttab");
                return;
            }

            string key = entry.Length > 2 ? entry[2] : "none";
            string options = entry.Length > 3 ? entry[3] : string.Empty;
            if (allowRandomKey && (key == "/dev/urandom" || key == "/dev/random") && options.Split(',').Contains("swap"))
            {
                found.Add($"{role}: {device} -> crypttab {cryptName}, plain dm-crypt with a random key each boot");
                return;
            }

            if (!headers.TryGetValue(cryptName, out string[] header))
            {
                problems.Add($"{role}: crypttab {cryptName} ({entry[1]}) was not read");
                return;
            }

            switch (header[0])
            {
                case "missing":
                    problems.Add($"{role}: crypttab {cryptName} names {header[2]}, which does not exist");
                    return;
                case "notluks":
                    problems.Add($"{role}: crypttab {cryptName} -> {header[2]} has no LUKS header (cryptsetup luksDump)");
                    return;
                case "randomkey":
                    problems.Add($"{role}: crypttab {cryptName} -> {header[2]} is plain dm-crypt with a random key each boot, not LUKS");
                    return;
            }

            string version = header.Length > 3 ? header[3] : string.Empty;
            string cipher = header.Length > 4 ? header[4] : string.Empty;
            string what = $"{role}: {device} -> crypttab {cryptName} -> {header[2]}: LUKS{version} {cipher}".TrimEnd();
            if (wanted.LuksVersion != null && version != wanted.LuksVersion.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                problems.Add($"{what} (LUKS{wanted.LuksVersion} required)");
            }
            else if (wanted.Cipher != null && !string.Equals(cipher, wanted.Cipher, StringComparison.Ordinal))
            {
                problems.Add($"{what} (cipher {wanted.Cipher} required)");
            }
            else
            {
                found.Add(what);
            }
        }

        private static string[] Fields(string line) => line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);

        private static string MapperName(string spec) =>
            spec != null && spec.StartsWith("/dev/mapper/", StringComparison.Ordinal) ? spec.Substring("/dev/mapper/".Length) : null;

        // The section names the devices given to lsblk ("root DEV", "swap DEV"), then lsblk's JSON
        // with one inverse tree per device, in lsblk's own order: a tree whose device is mounted
        // as [SWAP] is a swap device's, the other one root's. The first crypt layer under root
        // holds it; every crypt layer under a swap device counts. Output that is not what lsblk
        // writes leaves them all empty, and /etc/fstab decides. A swap device with no crypt layer
        // under it is named in plainSwaps.
        private static void LiveCryptLayers(IReadOnlyList<string> lines, out string rootCrypt, out List<string> swapCrypts, out List<string> plainSwaps)
        {
            rootCrypt = null;
            swapCrypts = new List<string>();
            plainSwaps = new List<string>();
            var roles = new List<string>();
            var json = new StringBuilder();
            foreach (string line in lines)
            {
                if (line.StartsWith("root ", StringComparison.Ordinal) || line.StartsWith("swap ", StringComparison.Ordinal))
                {
                    roles.Add(line.Substring(0, 4));
                }
                else
                {
                    json.Append(line).Append('\n');
                }
            }

            JArray trees;
            try
            {
                trees = roles.Count == 0 ? null : JObject.Parse(json.ToString())["blockdevices"] as JArray;
            }
            catch (JsonException)
            {
                return;
            }

            if (trees == null)
            {
                return;
            }

            foreach (JToken tree in trees)
            {
                bool swap = !roles.Contains("root") || (roles.Contains("swap") && (string)tree["mountpoint"] == "[SWAP]");
                List<string> crypts = CryptNames(tree).Distinct().ToList();
                if (!swap)
                {
                    rootCrypt = rootCrypt ?? crypts.FirstOrDefault();
                    continue;
                }

                if (crypts.Count == 0)
                {
                    // zram is compressed memory, never written to a disk: nothing to encrypt.
                    string device = (string)tree["name"] ?? "(unnamed device)";
                    if (!device.StartsWith("zram", StringComparison.Ordinal))
                    {
                        plainSwaps.Add(device);
                    }

                    continue;
                }

                foreach (string crypt in crypts)
                {
                    if (!swapCrypts.Contains(crypt))
                    {
                        swapCrypts.Add(crypt);
                    }
                }
            }
        }

        private static IEnumerable<string> CryptNames(JToken device)
        {
            if (device is JObject node)
            {
                if ((string)node["type"] == "crypt" && node["name"] != null)
                {
                    yield return (string)node["name"];
                }

                if (node["children"] is JArray children)
                {
                    foreach (string name in children.SelectMany(CryptNames))
                    {
                        yield return name;
                    }
                }
            }
        }
    }
}
