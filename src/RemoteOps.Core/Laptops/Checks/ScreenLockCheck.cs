using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// GNOME's screen lock as system defaults in dconf: the system databases the "user" profile
    /// names (/etc/dconf/profile/user, "system-db:NAME") set org/gnome/desktop/screensaver
    /// lock-enabled=true and org/gnome/desktop/session idle-delay between 1 and the baseline's
    /// maximum, and lock both keys (/etc/dconf/db/NAME.d/locks) so that users cannot undo them.
    /// The evidence is the databases' keyfiles (the compiled database is their image after
    /// 'dconf update'). The repair writes the keyfile and the locks into the "local" database,
    /// adds it to the profile and runs 'dconf update' where dconf is installed.
    /// </summary>
    public sealed class ScreenLockCheck : ILaptopCheck
    {
        private const string LockKey = "/org/gnome/desktop/screensaver/lock-enabled";
        private const string IdleKey = "/org/gnome/desktop/session/idle-delay";
        private const int DefaultIdleSeconds = 300;

        /// <inheritdoc />
        public string Id => "ScreenLock";

        /// <inheritdoc />
        public string Title => "The screen locks when idle";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.ScreenLock != null && baseline.ScreenLock.Required;

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline) =>
            "dconf system defaults, locked: lock-enabled true, idle-delay " + (baseline.ScreenLock.MaxIdleSeconds == null ? "above 0" : $"1 to {baseline.ScreenLock.MaxIdleSeconds} s");

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            List<string> databases = evidence.Lines("dconf-profile").Select(l => l.Trim())
                .Where(l => l.StartsWith("system-db:", StringComparison.Ordinal)).Select(l => l.Substring("system-db:".Length)).ToList();
            if (databases.Count == 0)
            {
                return LaptopCheckVerdict.NonCompliant("/etc/dconf/profile/user names no system database (system-db:NAME): no system defaults apply");
            }

            string lockEnabled = null, idleDelay = null, lockDb = null, idleDb = null;
            foreach (string db in databases)
            {
                Dictionary<string, string> values = Values(evidence, db);
                if (lockEnabled == null && values.TryGetValue(LockKey, out string l))
                {
                    lockEnabled = l;
                    lockDb = db;
                }

                if (idleDelay == null && values.TryGetValue(IdleKey, out string i))
                {
                    idleDelay = i;
                    idleDb = db;
                }
            }

            HashSet<string> locks = Locks(evidence, lockDb, idleDb);
            int? seconds = Seconds(idleDelay);
            string text = $"system-db {string.Join(", ", databases)}: lock-enabled {lockEnabled ?? "(not set)"}{(locks.Contains(LockKey) ? " (locked)" : lockEnabled == null ? string.Empty : " (not locked)")}, "
                + $"idle-delay {idleDelay ?? "(not set)"}{(locks.Contains(IdleKey) ? " (locked)" : idleDelay == null ? string.Empty : " (not locked)")}";
            int? max = baseline.ScreenLock.MaxIdleSeconds;
            bool ok = lockEnabled == "true" && seconds > 0 && (max == null || seconds <= max) && locks.Contains(LockKey) && locks.Contains(IdleKey);
            return ok ? LaptopCheckVerdict.Compliant(text) : LaptopCheckVerdict.NonCompliant(text);
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            int idle = baseline.ScreenLock.MaxIdleSeconds ?? DefaultIdleSeconds;
            string seconds = idle.ToString(CultureInfo.InvariantCulture);
            return new LaptopRepairStep(
                $"write /etc/dconf/db/local.d/00-remoteops-screenlock (lock-enabled true, idle-delay {seconds} s) and its locks, name system-db:local in /etc/dconf/profile/user, run dconf update",
                "umask 022\nmkdir -p /etc/dconf/profile /etc/dconf/db/local.d/locks\n"
                + "if [ ! -s /etc/dconf/profile/user ]; then printf '%s\\n' 'user-db:user' 'system-db:local' > /etc/dconf/profile/user;\n"
                + "elif ! grep -qx 'system-db:local' /etc/dconf/profile/user; then printf '%s\\n' 'system-db:local' >> /etc/dconf/profile/user; fi\n"
                + $"printf '%s\\n' '[org/gnome/desktop/screensaver]' 'lock-enabled=true' '' '[org/gnome/desktop/session]' 'idle-delay=uint32 {seconds}' > /etc/dconf/db/local.d/00-remoteops-screenlock\n"
                + $"printf '%s\\n' '{LockKey}' '{IdleKey}' > /etc/dconf/db/local.d/locks/remoteops-screenlock\n"
                + "if command -v dconf >/dev/null 2>&1; then dconf update || exit 1; fi\n");
        }

        private static Dictionary<string, string> Values(LaptopEvidence evidence, string db)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, List<string>> file in evidence.Files("dconf-keyfiles").Where(f => f.Key.StartsWith(db + ".d/", StringComparison.Ordinal)))
            {
                string section = null;
                foreach (string raw in file.Value)
                {
                    string line = raw.Trim();
                    if (line.StartsWith("[", StringComparison.Ordinal) && line.EndsWith("]", StringComparison.Ordinal))
                    {
                        section = "/" + line.Substring(1, line.Length - 2).Trim('/');
                    }
                    else if (section != null && line.IndexOf('=') > 0)
                    {
                        // Files are read in name order and a later file overrides an earlier one, as dconf update does.
                        values[section + "/" + line.Substring(0, line.IndexOf('=')).Trim()] = line.Substring(line.IndexOf('=') + 1).Trim();
                    }
                }
            }

            return values;
        }

        private static HashSet<string> Locks(LaptopEvidence evidence, params string[] databases)
        {
            var locks = new HashSet<string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, List<string>> file in evidence.Files("dconf-locks", "locks="))
            {
                string database = file.Key.EndsWith(".d", StringComparison.Ordinal) ? file.Key.Substring(0, file.Key.Length - 2) : file.Key;
                if (databases.Contains(database))
                {
                    foreach (string line in file.Value)
                    {
                        locks.Add(line.Trim());
                    }
                }
            }

            return locks;
        }

        private static int? Seconds(string value)
        {
            if (value == null)
            {
                return null;
            }

            string number = value.StartsWith("uint32 ", StringComparison.Ordinal) ? value.Substring(7) : value;
            return int.TryParse(number.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) ? seconds : (int?)null;
        }
    }
}
