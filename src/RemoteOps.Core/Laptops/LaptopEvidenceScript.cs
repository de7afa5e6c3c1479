using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// The one read-only script that gathers every piece of evidence on a laptop, in one SSH
    /// round trip, run as root (cryptsetup, nft and sshd -T need it). It prints sections marked
    /// "@@ro-laptop:NAME" that <see cref="LaptopEvidence"/> reads back. Secrets never leave the
    /// laptop: of a NetworkManager profile only the keys the VPN check needs are printed (of its
    /// secrets only the accepted server certificate), and of a LUKS header only its version and
    /// cipher.
    /// </summary>
    /// <remarks>
    /// Starting a process is what a laptop pays most for (fork and exec dwarf reading a file), so
    /// files are read with the shell's own read, case and parameter expansion, never cat, grep,
    /// sed or awk; a tool's output that needs filtering is captured once and filtered the same
    /// way; each tool runs at most once (cryptsetup once per LUKS device in /etc/crypttab), and
    /// only for the checks the baseline asks for. What is left is one process per tool whose
    /// answer cannot be read from a file: cryptsetup luksDump, lsblk (only when root or swap is a
    /// block device), nft, apt-config, sshd -T and dpkg-query: the shell and five tools on a laptop with one
    /// LUKS device and the whole baseline, where the first version started 25 processes. POSIX sh only
    /// (dash on Debian).
    /// </remarks>
    public static class LaptopEvidenceScript
    {
        /// <summary>The marker that starts a section.</summary>
        public const string Marker = "@@ro-laptop:";

        /// <summary>The package that does the automatic updates.</summary>
        public const string AutomaticSecurityUpdatesPackage = "unattended-upgrades";

        /// <summary>
        /// The two APT::Periodic settings, in the order they are reported, each with the name
        /// apt-config shell gives it in the apt-config section (the script asks for them by these).
        /// </summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> AptPeriodicNames = new[]
        {
            new KeyValuePair<string, string>("UpdatePackageLists", "APT::Periodic::Update-Package-Lists"),
            new KeyValuePair<string, string>("UnattendedUpgrade", "APT::Periodic::Unattended-Upgrade"),
        };

        // nocomment prints a file's lines but blank ones and comments, without a process (read
        // trims the blanks around a line, which no check minds).
        private const string Common = @"export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
nl='
'
ifs=$IFS
s() { printf '\n@@ro-laptop:%s\n' ""$1""; }
have() { command -v ""$1"" >/dev/null 2>&1; }
nocomment() {
  [ -r ""$1"" ] || return 0
  while read -r l || [ -n ""$l"" ]; do
    case $l in ''|'#'*) ;; *) printf '%s\n' ""$l"" ;; esac
  done < ""$1""
}
s whoami
while read -r k v rest; do [ ""$k"" = Uid: ] && printf '%s\n' ""$v""; done < /proc/self/status
";

        // A random-key swap entry (crypttab's swap option with /dev/urandom) has no header to
        // read. The running root and swap devices come from /proc, and lsblk runs once for all
        // of them (JSON keeps each device's inverse tree apart; lsblk sorts the devices its own
        // way, and a swap device's tree says [SWAP]), only when one is a block device.
        private const string Disk = @"s fstab; nocomment /etc/fstab
s crypttab; nocomment /etc/crypttab
s luks
if ! have cryptsetup; then echo 'nocryptsetup'
elif [ -r /etc/crypttab ]; then
  while read -r name dev key opts rest || [ -n ""$name"" ]; do
    case $name in ''|'#'*) continue ;; esac
    case $dev in
      UUID=*) path=/dev/disk/by-uuid/${dev#UUID=} ;;
      PARTUUID=*) path=/dev/disk/by-partuuid/${dev#PARTUUID=} ;;
      LABEL=*) path=/dev/disk/by-label/${dev#LABEL=} ;;
      *) path=$dev ;;
    esac
    if [ ! -e ""$path"" ]; then printf 'missing\t%s\t%s\n' ""$name"" ""$path""; continue; fi
    case $key in /dev/urandom|/dev/random)
      case ,$opts, in *,swap,*) printf 'randomkey\t%s\t%s\n' ""$name"" ""$path""; continue ;; esac ;;
    esac
    if dump=$(cryptsetup luksDump -- ""$path"" 2>/dev/null </dev/null); then
      v= c= cn=
      set -f; IFS=$nl
      for l in $dump; do
        IFS=$ifs; set -- $l
        case $l in
          Version:*) v=$2 ;;
          'Cipher name:'*) cn=$3 ;;
          'Cipher mode:'*) c=$cn-$3 ;;
          [[:space:]]*) [ ""$1"" = cipher: ] && [ -z ""$c"" ] && c=$2 ;;
        esac
      done
      IFS=$ifs; set +f
      printf 'luks\t%s\t%s\t%s\t%s\n' ""$name"" ""$path"" ""$v"" ""$c""
    else printf 'notluks\t%s\t%s\n' ""$name"" ""$path""; fi
  done < /etc/crypttab
fi
s block-stacks
if have lsblk; then
  root=
  while read -r dev mnt rest; do [ ""$mnt"" = / ] && root=$dev; done < /proc/self/mounts
  set --
  if [ -b ""$root"" ]; then printf 'root %s\n' ""$root""; set -- ""$root""; fi
  if [ -r /proc/swaps ]; then
    while read -r dev rest; do
      if [ -b ""$dev"" ]; then printf 'swap %s\n' ""$dev""; set -- ""$@"" ""$dev""; fi
    done < /proc/swaps
  fi
  if [ $# -gt 0 ]; then lsblk -J -s -o NAME,TYPE,MOUNTPOINT -- ""$@"" 2>/dev/null; fi
fi
";

        private const string Usb = @"s usbguard; have usbguard && echo installed
s usbguard-rules; nocomment /etc/usbguard/rules.conf
s modprobe
for f in /etc/modprobe.d/*.conf /lib/modprobe.d/*.conf /usr/lib/modprobe.d/*.conf; do
  [ -r ""$f"" ] || continue
  while read -r l || [ -n ""$l"" ]; do
    set -f; set -- $l; set +f
    case $1 in blacklist|install) case $2 in usb-storage|usb_storage) printf '%s\n' ""$l"" ;; esac ;; esac
  done < ""$f""
done
s usb-storage-loaded; [ -d /sys/module/usb_storage ] && echo loaded
";

        // Of [vpn-secrets] only the certificate:HOST:PORT keys (the accepted server certificate,
        // not a secret) are printed; the password and the cookie never leave the laptop.
        private const string Vpn = @"s nm-connections
for f in /etc/NetworkManager/system-connections/*; do
  [ -f ""$f"" ] || continue
  printf 'file=%s\n' ""${f##*/}""
  sec=
  while IFS= read -r l || [ -n ""$l"" ]; do
    case $l in
      '['*) sec=$l ;;
      id=*|type=*) if [ ""$sec"" = '[connection]' ]; then printf 'connection.%s\n' ""$l""; fi ;;
      service-type=*|gateway=*|protocol=*) if [ ""$sec"" = '[vpn]' ]; then printf 'vpn.%s\n' ""$l""; fi ;;
      certificate:*=*) if [ ""$sec"" = '[vpn-secrets]' ]; then printf 'vpn-secrets.%s\n' ""$l""; fi ;;
    esac
  done < ""$f""
done
";

        private const string Firewall = @"s nft; if have nft; then nft list ruleset 2>&1; else echo nonft; fi
";

        // Given APT::Architectures, apt-config does not start dpkg to list them (the two
        // settings read do not depend on it).
        private static readonly string AptPeriodic = "s apt-config\nif have apt-config; then apt-config -o APT::Architectures=all shell "
            + string.Join(" ", AptPeriodicNames.Select(name => name.Key + " " + name.Value))
            + " 2>/dev/null; else echo noapt; fi\n";

        private const string Sshd = @"s sshd
if have sshd; then
  found=
  if out=$(sshd -T 2>/dev/null </dev/null); then
    set -f; IFS=$nl
    for l in $out; do
      case $l in 'passwordauthentication '*|'permitrootlogin '*|'kbdinteractiveauthentication '*) printf '%s\n' ""$l""; found=1 ;; esac
    done
    IFS=$ifs; set +f
  fi
  [ -n ""$found"" ] || echo 'sshd-T-failed'
else echo 'nosshd'; fi
";

        private const string ScreenLock = @"s dconf-profile; nocomment /etc/dconf/profile/user
s dconf-keyfiles
for f in /etc/dconf/db/*.d/*; do
  [ -f ""$f"" ] || continue
  d=${f%/*}; printf 'file=%s/%s\n' ""${d##*/}"" ""${f##*/}""
  nocomment ""$f""
done
s dconf-locks
for f in /etc/dconf/db/*.d/locks/*; do
  [ -f ""$f"" ] || continue
  d=${f%/locks/*}; printf 'locks=%s\n' ""${d##*/}""
  nocomment ""$f""
done
";

        /// <summary>The script for a baseline: the sections its checks read, and a dpkg-query for the packages it names.</summary>
        public static string For(LaptopBaseline baseline)
        {
            var text = new StringBuilder(Common);
            foreach (ILaptopCheck check in LaptopCheckRegistry.For(baseline))
            {
                if (SectionOf.TryGetValue(check.Id, out string section))
                {
                    text.Append(section);
                }
            }

            List<string> packages = PackagesToQuery(baseline);
            if (packages.Count > 0)
            {
                // Names were validated as Debian package names; quoted all the same.
                text.Append("s packages\nif have dpkg-query; then dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' -- ")
                    .Append(string.Join(" ", packages.Select(PosixShell.Quote)))
                    .Append(" 2>/dev/null; else echo nodpkg; fi\n");
            }

            text.Append("s end\n");
            return text.ToString();
        }

        /// <summary>The packages whose state the checks of <paramref name="baseline"/> need.</summary>
        public static List<string> PackagesToQuery(LaptopBaseline baseline)
        {
            var names = new List<string>();
            names.AddRange(baseline.RequiredPackages ?? new List<string>());
            names.AddRange(baseline.ForbiddenPackages ?? new List<string>());
            if (baseline.AutomaticSecurityUpdates == true)
            {
                names.Add(AutomaticSecurityUpdatesPackage);
            }

            return names.Distinct().ToList();
        }

        // A section costs the laptop only when a check of the baseline reads it.
        // The evidence each check reads, by check; the package checks share one dpkg-query (above).
        private static readonly Dictionary<string, string> SectionOf = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DiskEncryption"] = Disk,
            ["UsbStorage"] = Usb,
            ["VpnProfile"] = Vpn,
            ["HostFirewall"] = Firewall,
            ["AutomaticSecurityUpdates"] = AptPeriodic,
            ["SshHardening"] = Sshd,
            ["ScreenLock"] = ScreenLock,
        };
    }
}
