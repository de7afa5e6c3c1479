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
    /// laptop: of a NetworkManager profile only the keys the VPN check needs are printed, and
    /// of a LUKS header only its version and cipher.
    /// </summary>
    public static class LaptopEvidenceScript
    {
        /// <summary>The marker that starts a section.</summary>
        public const string Marker = "@@ro-laptop:";

        private const string Script = @"export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
s() { printf '\n@@ro-laptop:%s\n' ""$1""; }
have() { command -v ""$1"" >/dev/null 2>&1; }
s whoami; id -u
s fstab; [ -r /etc/fstab ] && grep -v '^[[:space:]]*#' /etc/fstab
s crypttab; [ -r /etc/crypttab ] && grep -v '^[[:space:]]*#' /etc/crypttab
s luks
if ! have cryptsetup; then echo 'nocryptsetup'
elif [ -r /etc/crypttab ]; then
  grep -v '^[[:space:]]*#' /etc/crypttab | while read -r name dev rest; do
    [ -n ""$name"" ] || continue
    case $dev in
      UUID=*) path=/dev/disk/by-uuid/${dev#UUID=} ;;
      PARTUUID=*) path=/dev/disk/by-partuuid/${dev#PARTUUID=} ;;
      LABEL=*) path=/dev/disk/by-label/${dev#LABEL=} ;;
      *) path=$dev ;;
    esac
    if [ ! -e ""$path"" ]; then printf 'missing\t%s\t%s\n' ""$name"" ""$path""; continue; fi
    if cryptsetup isLuks -- ""$path"" 2>/dev/null; then
      cryptsetup luksDump -- ""$path"" 2>/dev/null | awk -v n=""$name"" -v p=""$path"" '
        /^Version:/ { v = $2 }
        /^Cipher name:/ { cn = $3 }
        /^Cipher mode:/ { c = cn ""-"" $3 }
        /^[ \t]+cipher:/ && c == """" { c = $2 }
        END { printf ""luks\t%s\t%s\t%s\t%s\n"", n, p, v, c }'
    else printf 'notluks\t%s\t%s\n' ""$name"" ""$path""; fi
  done
fi
s root-stack; have findmnt && have lsblk && src=$(findmnt -nro SOURCE / 2>/dev/null) && lsblk -rnso NAME,TYPE -- ""$src"" 2>/dev/null
s swap-stack
if have swapon && have lsblk; then swapon --noheadings --show=NAME 2>/dev/null | while read -r d; do lsblk -rnso NAME,TYPE -- ""$d"" 2>/dev/null; done; fi
s usbguard; have usbguard && echo installed
s usbguard-rules; [ -r /etc/usbguard/rules.conf ] && grep -v '^[[:space:]]*#' /etc/usbguard/rules.conf
s modprobe; cat /etc/modprobe.d/*.conf /lib/modprobe.d/*.conf /usr/lib/modprobe.d/*.conf 2>/dev/null | grep -E '^[[:space:]]*(blacklist|install)[[:space:]]+usb[-_]storage([[:space:]]|$)'
s usb-storage-loaded; [ -d /sys/module/usb_storage ] && echo loaded
s nm-connections
for f in /etc/NetworkManager/system-connections/*; do
  [ -f ""$f"" ] || continue
  printf 'file=%s\n' ""${f##*/}""
  awk '/^\[/ { sec = $0; next }
    sec == ""[connection]"" && /^(id|type)=/ { print ""connection."" $0 }
    sec == ""[vpn]"" && /^(service-type|gateway|protocol|servercert)=/ { print ""vpn."" $0 }' ""$f""
done
s nft; if have nft; then nft list ruleset 2>&1; else echo nonft; fi
s apt-config; if have apt-config; then apt-config dump 2>/dev/null | grep -E '^APT::Periodic::(Update-Package-Lists|Unattended-Upgrade) '; else echo noapt; fi
s sshd
if have sshd; then sshd -T 2>/dev/null | grep -E '^(passwordauthentication|permitrootlogin|kbdinteractiveauthentication) ' || echo 'sshd-T-failed'; else echo 'nosshd'; fi
s dconf-profile; [ -r /etc/dconf/profile/user ] && cat /etc/dconf/profile/user
s dconf-keyfiles
for f in /etc/dconf/db/*.d/*; do
  [ -f ""$f"" ] || continue
  d=${f%/*}; printf 'file=%s/%s\n' ""${d##*/}"" ""${f##*/}""
  grep -v '^[[:space:]]*#' ""$f""
done
s dconf-locks
for f in /etc/dconf/db/*.d/locks/*; do
  [ -f ""$f"" ] || continue
  d=${f%/locks/*}; printf 'locks=%s\n' ""${d##*/}""
  grep -v '^[[:space:]]*#' ""$f""
done
s packages
have dpkg-query || echo nodpkg
";

        /// <summary>The script for a baseline: the fixed part, and a dpkg-query for the packages it names.</summary>
        public static string For(LaptopBaseline baseline)
        {
            var text = new StringBuilder(Script);
            List<string> packages = PackagesToQuery(baseline);
            if (packages.Count > 0)
            {
                // Names were validated as Debian package names; quoted all the same.
                text.Append("dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' -- ")
                    .Append(string.Join(" ", packages.Select(PosixShell.Quote)))
                    .Append(" 2>/dev/null\n");
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

        /// <summary>The package that does the automatic updates.</summary>
        public const string AutomaticSecurityUpdatesPackage = "unattended-upgrades";
    }
}
