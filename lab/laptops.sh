#!/usr/bin/env bash
# lab/laptops.sh - turns RemoteOps lab hosts (lab.sh) into Linux laptops for the compliance
# tests: compliant or not with the lab baseline (tests/pester/laptop-baseline.lab.json).
#
#   laptops.sh plant --name NAME --hosts LIST --flavour compliant|noncompliant --mgmt CIDR [--repo] [--dir DIR] [--jobs J]
#
# LIST is host numbers and ranges ("1-10,15"). What a laptop gets, in its own isolated root
# and network namespace (nothing reaches the build machine's /etc or its firewall):
#  - disk: /etc/fstab puts / and swap on /dev/mapper/rolab_root and rolab_swap; /etc/crypttab
#    backs rolab_root by an image file that cryptsetup luksFormat makes a real LUKS2
#    (aes-xts-plain64) container on (compliant), or leaves without a header (noncompliant),
#    and rolab_swap by a random key each boot. There is no device-mapper in the lab, so nothing
#    is unlocked: the checks read crypttab and the header, as on a laptop.
#  - USB: "install usb-storage /bin/false" in /etc/modprobe.d (compliant) or nothing;
#  - VPN: a NetworkManager openconnect profile "Corp VPN" to vpn.corp.example with the pinned
#    certificate (certificate:HOST:PORT in [vpn-secrets]) (compliant) or to another gateway
#    without pin (noncompliant), each with a VPN password and cookie in [vpn-secrets] that must
#    never show in any output;
#  - firewall: an nftables input chain with policy drop and SSH from --mgmt (compliant), or
#    no ruleset;
#  - /etc/apt/apt.conf.d/20auto-upgrades with "1" or "0" (unattended-upgrades is installed on
#    the build machine, so in every lab root);
#  - sshd_config hardened (no passwords, no root) and sshd reloaded (compliant), or the lab's;
#  - dconf: screen lock on after 300 s, locked (compliant), or no system database;
#  - dpkg: two small packages built here with dpkg-deb and installed with the real dpkg into the
#    laptop's own database: rolab-required-agent (compliant) or rolab-forbidden-tool
#    (noncompliant); with --repo also a local apt repository with both
#    (file:/var/lib/rolab-laptop/repo, trusted) so that a repair's apt-get install works offline.
#
# Must run as root; the lab must be up.
set -euo pipefail

PROG=laptops.sh
SELF=$(readlink -f -- "${BASH_SOURCE[0]}")
LAB=$(dirname -- "$SELF")/lab.sh
NAME=rolab
DIR=
LIST=
FLAVOUR=
MGMT=
JOBS=4
REPO=0

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

usage() { sed -n '4,5p' "$SELF" | sed 's/^# *//'; }

# ------------------------------------------------------------------ the packages (built once)
build_payload() { # DIR/laptops/payload/repo: the two .debs and the repository's index
  local out=$DIR/laptops/payload p d
  [[ -f $out/repo/Packages ]] && return 0
  mkdir -p -- "$out/repo"
  for p in rolab-required-agent rolab-forbidden-tool; do
    d=$DIR/laptops/build/$p
    mkdir -p -- "$d/DEBIAN" "$d/usr/share/doc/$p"
    printf 'Package: %s\nVersion: 1.0\nArchitecture: all\nMaintainer: RemoteOps lab <lab@example.invalid>\nDescription: RemoteOps lab package %s\n A package built by lab/laptops.sh for the laptop compliance tests.\n' "$p" "$p" >"$d/DEBIAN/control"
    printf '%s\n' "$p: installed by lab/laptops.sh" >"$d/usr/share/doc/$p/README"
    dpkg-deb --root-owner-group -Zgzip --build "$d" "$out/repo/${p}_1.0_all.deb" >/dev/null
  done
  (cd "$out/repo" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages.tmp && mv Packages.tmp Packages)
}

# ---------------------------------------------------------------- what runs inside a laptop
read -r -d '' PLANT <<'EOS' || true
set -eu
flavour=$1 mgmt=$2 repo=$3
L=/var/lib/rolab-laptop
mkdir -p "$L"
tar -C "$L" -xf -
ok() { [ "$flavour" = compliant ]; }

# disk: an image file, with a LUKS2 header or without one
rm -f "$L/root.img"; truncate -s 4M "$L/root.img"; truncate -s 1M "$L/swap.img"
if ok; then
  head -c 32 /dev/urandom | cryptsetup luksFormat --batch-mode --type luks2 --cipher aes-xts-plain64 --key-size 512 \
    --luks2-metadata-size 16k --luks2-keyslots-size 256k --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file - "$L/root.img" >/dev/null 2>&1
fi
printf '%s\n' '# lab laptop (lab/laptops.sh)' "rolab_root $L/root.img none luks,discard" \
  "rolab_swap $L/swap.img /dev/urandom swap,cipher=aes-xts-plain64,size=256" >/etc/crypttab
printf '%s\n' '# lab laptop (lab/laptops.sh)' '/dev/mapper/rolab_root / ext4 errors=remount-ro 0 1' \
  '/dev/mapper/rolab_swap none swap sw 0 0' >/etc/fstab

# USB mass storage
mkdir -p /etc/modprobe.d; rm -f /etc/modprobe.d/rolab-usb-storage.conf /etc/modprobe.d/remoteops-usb-storage.conf
if ok; then printf '%s\n' 'install usb-storage /bin/false' >/etc/modprobe.d/rolab-usb-storage.conf; fi

# VPN profile (the password and cookie below are the lab's secrets that must never be read off the laptop)
d=/etc/NetworkManager/system-connections; mkdir -p "$d"; rm -f "$d"/*
# The accepted server certificate is kept among the secrets, as the openconnect plugin's auth dialog does.
if ok; then gw=vpn.corp.example; pin='certificate:vpn.corp.example:443=pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; else gw=vpn.old.example; pin=; fi
printf '%s\n' '[connection]' 'id=Corp VPN' 'uuid=6a1f0c55-0b43-4d51-9e1e-2f0a3b4c5d6e' 'type=vpn' '' '[vpn]' \
  "gateway=$gw" 'protocol=anyconnect' 'service-type=org.freedesktop.NetworkManager.openconnect' '' \
  '[vpn-secrets]' 'password=RolabVpnSecret-DoNotLeak' $pin 'cookie=RolabVpnCookie-DoNotLeak' >"$d/Corp VPN.nmconnection"
chmod 0600 "$d/Corp VPN.nmconnection"

# host firewall, in this laptop's own network namespace
nft flush ruleset
if ok; then
  nft -f - <<NFT
table inet rolab_fw {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iif "lo" accept
    ip saddr $mgmt tcp dport 22 accept
  }
}
NFT
fi

# automatic security updates
if ok; then v=1; else v=0; fi
printf 'APT::Periodic::Update-Package-Lists "%s";\nAPT::Periodic::Unattended-Upgrade "%s";\n' "$v" "$v" >/etc/apt/apt.conf.d/20auto-upgrades

# sshd
if ok; then
  f=/etc/ssh/sshd_config
  { printf '%s\n' '# lab laptop: hardened' 'PasswordAuthentication no' 'KbdInteractiveAuthentication no' 'PermitRootLogin no'; cat "$f"; } >"$f.new"
  mv -f "$f.new" "$f"
  /usr/sbin/sshd -t -f "$f"
  if [ -s /run/sshd.pid ]; then kill -HUP "$(cat /run/sshd.pid)"; fi
fi

# screen lock
rm -rf /etc/dconf; mkdir -p /etc/dconf
if ok; then
  mkdir -p /etc/dconf/profile /etc/dconf/db/local.d/locks
  printf '%s\n' 'user-db:user' 'system-db:local' >/etc/dconf/profile/user
  printf '%s\n' '[org/gnome/desktop/screensaver]' 'lock-enabled=true' '' '[org/gnome/desktop/session]' 'idle-delay=uint32 300' >/etc/dconf/db/local.d/00-screenlock
  printf '%s\n' /org/gnome/desktop/screensaver/lock-enabled /org/gnome/desktop/session/idle-delay >/etc/dconf/db/local.d/locks/screenlock
fi

# packages, with the real dpkg, and a local repository for apt-get
if ok; then p=rolab-required-agent; else p=rolab-forbidden-tool; fi
dpkg -i "$L/repo/${p}_1.0_all.deb" >/dev/null
if [ "$repo" = 1 ]; then
  printf 'deb [trusted=yes] file:%s/repo ./\n' "$L" >/etc/apt/sources.list.d/rolab-laptop.list
  apt-get update -qq -o Dir::Etc::sourcelist=sources.list.d/rolab-laptop.list -o Dir::Etc::sourceparts=- \
    -o APT::Get::List-Cleanup=0 >/dev/null
fi
EOS

plant_one() { # I
  tar -C "$DIR/laptops/payload" -cf - repo |
    bash "$LAB" exec --name "$NAME" --host "$1" --dir "$DIR" -- sh -c "$PLANT" plant "$FLAVOUR" "$MGMT" "$REPO" ||
    { printf '%s: host %s: planting failed\n' "$PROG" "$1" >&2; return 1; }
}

expand_list() { # "1-3,7" -> 1 2 3 7, one a line
  local part a b
  local -a parts
  IFS=, read -r -a parts <<<"$LIST"
  for part in "${parts[@]}"; do
    if [[ $part =~ ^([0-9]+)-([0-9]+)$ ]]; then
      a=${BASH_REMATCH[1]} b=${BASH_REMATCH[2]}
      ((a <= b)) || die "--hosts: bad range '$part'"
      seq "$a" "$b"
    elif [[ $part =~ ^[0-9]+$ ]]; then
      printf '%s\n' "$part"
    else
      die "--hosts must be numbers and ranges such as 1-10,15 (got '$LIST')"
    fi
  done
}

cmd_plant() {
  ((EUID == 0)) || die "must run as root"
  [[ $NAME =~ ^[a-z0-9]{1,8}$ ]] || die "--name must be 1-8 characters of [a-z0-9] (got '$NAME')"
  [[ $FLAVOUR == compliant || $FLAVOUR == noncompliant ]] || die "--flavour must be compliant or noncompliant (got '$FLAVOUR')"
  [[ $MGMT =~ ^198\.18\.[0-9]{1,3}\.0/24$ ]] || die "--mgmt must be a lab network 198.18.K.0/24 (got '$MGMT')"
  [[ $JOBS =~ ^[1-9][0-9]?$ ]] || die "--jobs must be 1-99"
  command -v dpkg-deb >/dev/null && command -v dpkg-scanpackages >/dev/null || die "dpkg-deb and dpkg-scanpackages are needed (apt-get install dpkg-dev)"
  command -v cryptsetup >/dev/null || die "cryptsetup is needed (apt-get install cryptsetup-bin)"
  if [[ -z $DIR ]]; then
    DIR=$(sed -n 's/.*|dir=\([^|]*\).*/\1/p' "/sys/class/net/${NAME}br/ifalias" 2>/dev/null || true)
    [[ -n $DIR ]] || die "lab '$NAME' is not up; pass --dir"
  fi
  local hosts
  hosts=$(expand_list)
  [[ -n $hosts ]] || die "--hosts is empty"
  (flock 9; build_payload) 9>"$DIR/.laptops.lock"
  export -f plant_one
  export PLANT LAB NAME DIR FLAVOUR MGMT PROG REPO
  xargs -P "$JOBS" -I{} bash -c 'plant_one "$1"' _ {} <<<"$hosts"
}

[[ $# -gt 0 ]] || { usage; exit 2; }
COMMAND=$1
shift
while (($#)); do
  case $1 in
    --name) NAME=${2:?}; shift 2 ;;
    --dir) DIR=${2:?}; shift 2 ;;
    --hosts) LIST=${2:?}; shift 2 ;;
    --flavour) FLAVOUR=${2:?}; shift 2 ;;
    --mgmt) MGMT=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    --repo) REPO=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1'" ;;
  esac
done
case $COMMAND in
  plant) cmd_plant ;;
  *) usage; exit 2 ;;
esac
