#!/usr/bin/env bash
# lab/lab.sh - the RemoteOps SSH lab: real OpenSSH servers, each in its own network
# namespace with its own host key and an isolated overlay root (see lab/README.md and
# "A lab host's isolated root" in DESIGN.md).
#
#   lab.sh up         --name NAME --hosts N [--subnet K] --dir DIR
#   lab.sh down       --name NAME [--dir DIR]
#   lab.sh exec       --name NAME --host I [--dir DIR] -- CMD...
#   lab.sh stop-sshd  --name NAME --host I [--dir DIR]
#   lab.sh start-sshd --name NAME --host I [--dir DIR]
#
# Network safety: every address the lab uses is inside 198.18.K.0/24 (K = --subnet), on a
# bridge in the root namespace and veths into namespaces this script creates.  While any
# lab is up, an "unreachable 198.18.0.0/15" route makes sure that a packet for a lab
# address that has no host never leaves the machine by the default route.
#
# Must run as root (network namespaces, mounts).
set -euo pipefail
shopt -s nullglob

PROG=lab.sh
SELF=$(readlink -f -- "${BASH_SOURCE[0]}")
# Marks the lab's bridges (in their ifalias) and the lab's directories.
LAB_TAG=rolab-lab
LAB_USER=rolab
MAX_HOSTS=200
READY_TIMEOUT_S=30
GUARD_ROUTE=198.18.0.0/15
BRNF_KEYS=(bridge-nf-call-iptables bridge-nf-call-ip6tables bridge-nf-call-arptables)
SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

NAME=rolab
T0=0
HOSTS=
SUBNET=0
DIR=
HOST=
CMD=()

# LAB_VERBOSE=1 prints the time of each phase of up
phase() { [[ ${LAB_VERBOSE:-0} == 1 ]] && log "  $(elapsed "$T0") s: $*"; return 0; }

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

usage() {
  cat <<'EOF'
usage:
  lab.sh up         --name NAME --hosts N [--subnet K] --dir DIR
  lab.sh down       --name NAME [--dir DIR]
  lab.sh exec       --name NAME --host I [--dir DIR] -- CMD...
  lab.sh stop-sshd  --name NAME --host I [--dir DIR]
  lab.sh start-sshd --name NAME --host I [--dir DIR]

NAME  lab prefix, 1-8 of [a-z0-9] (default rolab)
N     number of hosts, 1-200; host i gets 198.18.K.(10+i)
K     third octet of the lab subnet 198.18.K.0/24, 0-255 (default 0)
DIR   lab directory: keys, inventory.json, known_hosts, hosts.csv, logs
      (down, exec, stop-sshd and start-sshd find it on the lab's bridge if omitted)

exec runs CMD as root in host I's isolated root (its network, mount and UTS namespaces,
chrooted), e.g.  lab.sh exec --name rolab --host 3 -- touch /etc/rolab-slow
stop-sshd kills host I's sshd and sessions (connections are then refused); start-sshd
starts it again.  LAB_VERBOSE=1 shows the phases of up and traces each host's setup
into DIR/hosts/I/host.log.
EOF
}

# ---------------------------------------------------------------------------- helpers

now() { printf '%s' "${EPOCHREALTIME/[.,]/}"; }          # microseconds
elapsed() { local us=$(( $(now) - $1 )); printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000)); }

# A process that exists and is not a zombie (a zombie has released its sockets,
# mounts and namespaces; pid 1 here reaps orphans only now and then).
alive() {
  local pid=$1 stat
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

read_pid() { # FILE -> pid on stdout, or fail
  local p
  { read -r p <"$1"; } 2>/dev/null || return 1
  [[ $p =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$p"
}

netns_inode() { # NS -> inode of /run/netns/NS
  stat -L -c %i -- "/run/netns/$1" 2>/dev/null
}

pid_netns_inode() { # PID -> inode of its network namespace
  local l
  l=$(readlink "/proc/$1/ns/net" 2>/dev/null) || return 1
  l=${l#net:[}
  printf '%s' "${l%]}"
}

rand_secret() { # 24 characters of [A-Za-z0-9]
  local s=
  while ((${#s} < 24)); do
    s+=$(head -c 48 /dev/urandom | base64 -w0 | tr -d '+/=')
  done
  printf '%s' "${s:0:24}"
}

json_str() { # JSON string literal (callers never pass control characters)
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

require_root() { ((EUID == 0)) || die "must run as root (network namespaces and mounts)"; }

require_tools() {
  local t missing=()
  [[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or later is needed"
  for t in ip nsenter unshare chroot mount umount setsid ssh-keygen flock timeout xargs \
           stat cp /usr/sbin/sshd; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  ((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (apt-get install iproute2 util-linux openssh-server openssh-client)"
  grep -qw overlay /proc/filesystems || die "the kernel has no overlay filesystem"
}

validate_name() {
  [[ $NAME =~ ^[a-z0-9]{1,8}$ ]] || die "--name must be 1-8 characters of [a-z0-9] (got '$NAME')"
}

validate_host_index() {
  if ! [[ $HOST =~ ^[1-9][0-9]{0,2}$ ]] || ((HOST > MAX_HOSTS)); then
    die "--host must be 1..$MAX_HOSTS (got '$HOST')"
  fi
}

abs_dir() { # make DIR absolute and check it is usable in JSON, the ifalias and mount options
  DIR=$(realpath -m -- "$1")
  # (overlay options, fstab fields, JSON and the bridge's ifalias stay simple)
  [[ $DIR != *[[:cntrl:][:space:],:\|\"\\]* ]] || die "--dir must not contain whitespace, control characters or any of , : | \" \\"
  ((${#DIR} <= 200)) || die "--dir path is too long (max 200 characters)"
  [[ $DIR != / ]] || die "--dir must not be /"
}

# The lab's bridge carries the lab's state in its ifalias (see shared_state_acquire):
#   rolab-lab|dir=DIR|brnf=VALUES-TO-RESTORE|route=0/1|netns=none/dir/mount
bridge_of() { printf '%sbr' "$1"; }

bridge_alias() { # NAME -> alias of its bridge (empty if none)
  local f
  f="/sys/class/net/$(bridge_of "$1")/ifalias"
  if [[ -r $f ]]; then cat -- "$f" 2>/dev/null || true; fi
}

alias_field() { # ALIAS KEY -> value
  local a="|$1|" k=$2 v
  [[ $a == *"|$k="* ]] || return 1
  v=${a#*"|$k="}
  printf '%s' "${v%%|*}"
}

dir_of_lab() { # NAME -> DIR recorded on its bridge, or empty
  alias_field "$(bridge_alias "$1")" dir 2>/dev/null || true
}

resolve_dir() { # for exec/stop-sshd/start-sshd: --dir or the one recorded on the bridge
  if [[ -n $DIR ]]; then
    abs_dir "$DIR"
  else
    DIR=$(dir_of_lab "$NAME")
    [[ -n $DIR ]] || die "lab '$NAME' is not up (no bridge $(bridge_of "$NAME")); pass --dir"
  fi
  [[ -f $DIR/.$LAB_TAG && $(<"$DIR/.$LAB_TAG") == "$NAME" ]] || die "$DIR is not the directory of lab '$NAME'"
}

other_lab_aliases() { # aliases of the bridges of every other lab that is up
  local br a
  for br in /sys/class/net/*/bridge; do
    br=${br%/bridge}
    [[ ${br##*/} == "$(bridge_of "$NAME")" ]] && continue
    a=$(cat -- "$br/ifalias" 2>/dev/null || true)
    [[ $a == "$LAB_TAG|"* ]] && printf '%s\n' "$a"
  done
  return 0
}

# ------------------------------------------------------------- shared host state (locked)
# Three things are shared between labs and restored when the last lab goes down:
#  - bridge netfilter: if br_netfilter is loaded, bridged lab traffic would go through the
#    root namespace's iptables; it is switched off while a lab is up and restored after;
#  - the guard route "unreachable 198.18.0.0/15" (added only if not already present);
#  - /run/netns, which "ip netns add" creates and bind-mounts on itself: unmounted (and
#    removed) again if it was not there before and is empty.
# Every lab records the values to restore on its bridge; a lab that comes up while another
# is up inherits them.  The lock is this script file itself (no extra files anywhere).

with_lock() { ( flock -w 60 9 || die "could not take the lab lock"; "$@" ) 9<"$SELF"; }

is_mountpoint() { awk -v m="$1" '$5 == m {f=1} END {exit !f}' /proc/self/mountinfo; }

netns_dir_state() { # none | dir | mount
  if is_mountpoint /run/netns; then echo mount; elif [[ -d /run/netns ]]; then echo dir; else echo none; fi
}

shared_state_acquire() { # NETNS-STATE-BEFORE -> records state on the bridge alias, applies it
  local netns=$1 others first brnf='' route=0 k vals='' br
  br=$(bridge_of "$NAME")
  others=$(other_lab_aliases)
  if [[ -n $others ]]; then
    first=${others%%$'\n'*}
    brnf=$(alias_field "$first" brnf || true)
    route=$(alias_field "$first" route || echo 0)
    netns=$(alias_field "$first" netns || echo mount)
  else
    if [[ -e /proc/sys/net/bridge/${BRNF_KEYS[0]} ]]; then
      for k in "${BRNF_KEYS[@]}"; do vals+=$(cat "/proc/sys/net/bridge/$k" 2>/dev/null || echo 0); done
      brnf=$vals
    fi
    if ! ip -4 route show table main exact "$GUARD_ROUTE" type unreachable | grep -q .; then
      if ip route add unreachable "$GUARD_ROUTE" metric 4242 2>/dev/null; then route=1; fi
    fi
  fi
  printf '%s|dir=%s|brnf=%s|route=%s|netns=%s' "$LAB_TAG" "$DIR" "$brnf" "$route" "$netns" \
    >"/sys/class/net/$br/ifalias"
  if [[ -e /proc/sys/net/bridge/${BRNF_KEYS[0]} ]]; then
    for k in "${BRNF_KEYS[@]}"; do echo 0 >"/proc/sys/net/bridge/$k" 2>/dev/null || true; done
  fi
}

shared_state_release() { # ALIAS-of-the-lab-that-went-down
  local a=$1 brnf route netns i
  [[ $a == "$LAB_TAG|"* ]] || return 0
  [[ -z $(other_lab_aliases) ]] || return 0
  brnf=$(alias_field "$a" brnf || true)
  route=$(alias_field "$a" route || echo 0)
  netns=$(alias_field "$a" netns || echo mount)
  if [[ $brnf =~ ^[01]{3}$ && -e /proc/sys/net/bridge/${BRNF_KEYS[0]} ]]; then
    for i in 0 1 2; do echo "${brnf:i:1}" >"/proc/sys/net/bridge/${BRNF_KEYS[i]}" 2>/dev/null || true; done
  fi
  if [[ $route == 1 ]]; then
    ip route del unreachable "$GUARD_ROUTE" metric 4242 2>/dev/null || true
  fi
  if [[ $netns != mount && -d /run/netns && -z $(ls -A /run/netns 2>/dev/null) ]]; then
    while is_mountpoint /run/netns; do umount /run/netns 2>/dev/null || break; done
    if [[ $netns == none ]]; then rmdir /run/netns 2>/dev/null || true; fi
  fi
}

# ---------------------------------------------------------------------------------- down

lab_netns() { # NAME -> the lab's namespaces
  local f
  for f in /run/netns/"$1"-*; do
    f=${f##*/}
    [[ $f =~ ^$1-[0-9]+$ ]] && printf '%s\n' "$f"
  done
  return 0
}

lab_links() { # NAME -> the lab's root-side veths
  local f
  for f in /sys/class/net/"$1"-*; do
    f=${f##*/}
    [[ $f =~ ^$1-[0-9]+$ ]] && printf '%s\n' "$f"
  done
  return 0
}

# Every process in one of the lab's network namespaces (sshd, holders, sessions, anything a
# test started with exec), plus recorded pids that still live in a recorded namespace.
lab_pids() { # NAME DIR...
  local name=$1 ns ino p l d f want
  shift
  declare -A inos=()
  while read -r ns; do
    ino=$(netns_inode "$ns") && inos[$ino]=1
  done < <(lab_netns "$name")
  for d in "$@"; do
    [[ -n $d && -d $d/hosts ]] || continue
    for f in "$d"/hosts/*/netns.ino; do
      ino=$(<"$f") && [[ -n $ino ]] && inos[$ino]=1
    done
  done
  ((${#inos[@]})) || return 0
  while read -r p l; do
    p=${p#/proc/}
    p=${p%%/*}
    want=${l#net:[}
    want=${want%]}
    [[ -n $want && -n ${inos[$want]:-} && $p != "$$" && $p != "$BASHPID" ]] && printf '%s\n' "$p"
  done < <(find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%p %l\n' 2>/dev/null)
  return 0
}

kill_and_wait() { # SECONDS PID... ; TERM, wait, then KILL
  local secs=$1 p deadline left
  shift
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$(($(now) + secs * 1000000))
  while :; do
    left=()
    for p in "$@"; do alive "$p" && left+=("$p"); done
    ((${#left[@]})) || return 0
    if (($(now) > deadline)); then
      kill -KILL "${left[@]}" 2>/dev/null || true
      sleep 0.2
      for p in "${left[@]}"; do alive "$p" && log "warning: process $p survived SIGKILL"; done
      return 0
    fi
    sleep 0.05
  done
}

clean_dir_files() { # DIR [force]: remove what up made, only in this lab's directory
  local d=$1 force=${2:-0} m owner=''
  [[ -n $d && -d $d && -f $d/.$LAB_TAG ]] || return 0
  owner=$(<"$d/.$LAB_TAG")
  [[ $owner == "$NAME" || $force == 1 ]] || return 0
  # Nothing of the lab is mounted in the root namespace under DIR, but be sure.
  while read -r m; do
    if [[ $m == "$d"/* ]]; then umount -l -- "$m" 2>/dev/null || true; fi
  done < <(awk '{print $5}' /proc/self/mountinfo)
  # (ocserv and ocserv.json: what lab/ocserv.sh up keeps in the lab's directory; laptops and
  # .laptops.lock: what lab/laptops.sh plant keeps there)
  rm -rf -- "$d/hosts" "$d/run" "$d/template" "$d/keys" "$d/inventory.json" "$d/hosts.csv" \
    "$d/known_hosts" "$d/ocserv" "$d/ocserv.json" "$d/laptops" "$d/.laptops.lock" "$d/.$LAB_TAG"
  rmdir -- "$d" 2>/dev/null || true
}

down_impl() { # uses NAME, DIR (may be empty)
  local br alias_now dir_alias batch ns l deadline remains='' f p
  local -a pids dirs
  br=$(bridge_of "$NAME")
  alias_now=$(bridge_alias "$NAME")
  dir_alias=$(alias_field "$alias_now" dir 2>/dev/null || true)
  dirs=()
  [[ -n $DIR ]] && dirs+=("$DIR")
  [[ -n $dir_alias && $dir_alias != "$DIR" ]] && dirs+=("$dir_alias")

  # 1. processes: everything in the lab's network namespaces; the holders last, so that
  #    they reap their sshd (see host_init)
  local -A holders=()
  for l in "${dirs[@]}"; do
    for f in "$l"/hosts/*/holder.pid; do
      p=$(read_pid "$f") && holders[$p]=1
    done
  done
  local -a first=() last=()
  mapfile -t pids < <(lab_pids "$NAME" "${dirs[@]}")
  for p in "${pids[@]}"; do
    if [[ -n ${holders[$p]:-} ]]; then last+=("$p"); else first+=("$p"); fi
  done
  kill_and_wait 3 "${first[@]}"
  kill_and_wait 3 "${last[@]}"
  # a launcher caught between fork and nsenter: one more sweep
  mapfile -t pids < <(lab_pids "$NAME" "${dirs[@]}")
  kill_and_wait 2 "${pids[@]}"
  # (the hosts' mounts lived only in their private mount namespaces, which are gone now)

  # 2. namespaces, veths, bridge
  batch=
  while read -r ns; do [[ -n $ns ]] && batch+="netns del $ns"$'\n'; done < <(lab_netns "$NAME")
  [[ -e /sys/class/net/$br ]] && batch+="link del $br"$'\n'
  if [[ -n $batch ]]; then
    ip -force -batch - <<<"$batch" >/dev/null 2>&1 || true
  fi
  # veths disappear with their namespace asynchronously; delete what is left after a while
  deadline=$(($(now) + 5000000))
  while [[ -n $(lab_links "$NAME") ]] && (($(now) < deadline)); do sleep 0.05; done
  batch=
  while read -r l; do [[ -n $l ]] && batch+="link del $l"$'\n'; done < <(lab_links "$NAME")
  if [[ -n $batch ]]; then ip -force -batch - <<<"$batch" >/dev/null 2>&1 || true; fi

  # 3. shared settings, if this was the last lab
  with_lock shared_state_release "$alias_now"

  # 4. files
  for l in "${dirs[@]}"; do clean_dir_files "$l"; done

  # 5. report what could not be removed
  [[ -n $(lab_netns "$NAME") ]] && remains+=" namespaces"
  [[ -n $(lab_links "$NAME") || -e /sys/class/net/$br ]] && remains+=" links"
  [[ -n $(lab_pids "$NAME" "${dirs[@]}") ]] && remains+=" processes"
  [[ -z $remains ]] || { log "warning: lab '$NAME': could not remove:$remains"; return 1; }
  return 0
}

cmd_down() {
  require_root
  validate_name
  [[ -z $DIR ]] || abs_dir "$DIR"
  local t0
  t0=$(now)
  local rc=0
  down_impl || rc=$?
  log "lab '$NAME' down in $(elapsed "$t0") s"
  return "$rc"
}

# ------------------------------------------------------------------------------ template
# Runs in a private mount namespace (root network namespace).  Builds the layer that every
# host's overlay starts from: the lab user, its keys, sudo, the sshd configuration, and
# whiteouts for the build machine's own host keys.  It is made on a tmpfs overlay over /
# and copied to DIR/template; nothing touches the build machine's /etc.
template_init() { # DIR (secrets in the environment)
  local dir=$1 t m
  t=$dir/run/template
  m=$t/merged
  mkdir -p -- "$t"
  mount -t tmpfs -o mode=0755,size=64m "$LAB_TAG-template" "$t"
  mkdir -- "$t/upper" "$t/work" "$m"
  mount -t overlay -o "lowerdir=/,upperdir=$t/upper,workdir=$t/work" "$LAB_TAG-template" "$m"
  mount --bind /proc "$m/proc"
  mount --bind /dev "$m/dev"
  mount -t tmpfs -o mode=0755,size=16m tmpfs "$m/run"
  mount -t tmpfs -o mode=1777,size=16m tmpfs "$m/tmp"
  mkdir -m 0755 -- "$m/run/sshd"

  cat >"$m/etc/ssh/sshd_config" <<'EOF'
# sshd configuration of a RemoteOps lab host (generated by lab/lab.sh; lab only).
# ListenAddress (the host's lab address) is appended per host.
# Connection and channel limits (MaxSessions, MaxStartups) stay at OpenSSH's defaults, as on
# the servers users manage: tests must meet the limits those servers enforce. Set here is only
# what a lab host needs: its address and port, its own host key, the logins the tests use.
Port 22
AddressFamily inet
HostKey /etc/ssh/ssh_host_ed25519_key
# The lab's choice of key exchange: curve25519 is the cheapest key exchange for the
# server (no large-modulus DH, no post-quantum hybrid), and one 2-core machine answers the
# handshakes of up to 200 hosts at once in fan-out tests and benchmarks.
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication yes
UsePAM yes
PermitRootLogin prohibit-password
LogLevel ERROR
PidFile /run/sshd.pid
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
EOF

  ROLAB_USER=$LAB_USER chroot "$m" /bin/bash -s <<'EOS'
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if ! id -u "$ROLAB_USER" >/dev/null 2>&1; then
  useradd --create-home --no-log-init --user-group --shell /bin/bash \
    --comment 'RemoteOps lab user' "$ROLAB_USER"
fi
usermod --shell /bin/bash --home "/home/$ROLAB_USER" "$ROLAB_USER"
printf '%s:%s\n' "$ROLAB_USER" "$ROLAB_PASSWORD" | chpasswd
install -d -m 0755 -o "$ROLAB_USER" -g "$ROLAB_USER" "/home/$ROLAB_USER"
install -d -m 0700 -o "$ROLAB_USER" -g "$ROLAB_USER" "/home/$ROLAB_USER/.ssh"
printf '%s\n' "$ROLAB_AUTHORIZED_KEYS" >"/home/$ROLAB_USER/.ssh/authorized_keys"
chown "$ROLAB_USER:$ROLAB_USER" "/home/$ROLAB_USER/.ssh/authorized_keys"
chmod 0600 "/home/$ROLAB_USER/.ssh/authorized_keys"
install -d -m 0755 /etc/sudoers.d
printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$ROLAB_USER" >"/etc/sudoers.d/$ROLAB_USER"
chmod 0440 "/etc/sudoers.d/$ROLAB_USER"
if command -v visudo >/dev/null; then visudo -cqf "/etc/sudoers.d/$ROLAB_USER"; fi
# the build machine's own host keys are not the lab hosts' keys: hide them (whiteouts);
# the host's own key files are placeholders here, filled in per host
rm -f /etc/ssh/ssh_host_*
: >/etc/ssh/ssh_host_ed25519_key.pub
(umask 077 && : >/etc/ssh/ssh_host_ed25519_key)
ssh-keygen -q -t ed25519 -N '' -f /tmp/probe_key
# OpenSSH >= 9.8 penalises sources with many failed logins; the lab's clients all come
# from the bridge address and fail on purpose in tests, so switch it off where it exists.
if /usr/sbin/sshd -t -f /etc/ssh/sshd_config -h /tmp/probe_key -o PerSourcePenalties=no 2>/dev/null; then
  printf '%s\n' '# Tests fail logins on purpose from one source address (the bridge).' \
    'PerSourcePenalties no' >>/etc/ssh/sshd_config
fi
/usr/sbin/sshd -t -f /etc/ssh/sshd_config -h /tmp/probe_key
EOS
  # the layer: what the overlay wrote (/run and /tmp were separate tmpfs mounts)
  # DIR/template is what each host copies onto its tmpfs: upper (the layer), work, merged
  mkdir -p -- "$dir/template/upper" "$dir/template/work" "$dir/template/merged"
  cp -a -- "$t/upper/." "$dir/template/upper/"
  [[ -f $dir/template/upper/etc/ssh/sshd_config ]] || die "template: no sshd_config"
}

# ---------------------------------------------------------------------------- host init
# Runs as: setsid nsenter --net=/run/netns/NAME-I unshare -m -u --propagation private
# lab.sh _host-init ...  It configures the namespace's interfaces, builds the host's
# isolated root and starts sshd chrooted into it; then it stays as the host's holder:
#  - it keeps the private mount namespace alive (for exec, and after stop-sshd);
#  - it is sshd's parent and reaps it at once (pid 1 of some sandboxes reaps orphans only
#    every few seconds, which would leave "<defunct>" sshd entries behind);
#  - SIGUSR1 starts sshd again (start-sshd); SIGTERM stops sshd and the holder.
host_init() { # DIR NAME K I
  local dir=$1 name=$2 k=$3 i=$4 addr hn root m hd content
  addr=198.18.$k.$((10 + i))
  hn=$name-$i
  hd=$dir/hosts/$i
  root=$dir/run/$i
  m=$root/merged
  printf '%s\n' "$$" >"$hd/holder.pid"
  # The host outlives the command that brought the lab up: a descriptor inherited from it
  # (the lab lock that 'flock' holds on fd 3, say) would stay open for as long as the lab runs
  # and keep every other lab waiting. bash reads this script from a high descriptor, so only
  # the low ones a caller hands down are closed.
  exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
  if [[ ${LAB_VERBOSE:-0} == 1 ]]; then PS4='+ ${EPOCHREALTIME} ' && set -x; fi

  echo 1 >/proc/sys/net/ipv6/conf/eth0/disable_ipv6
  ip -batch - <<EOF
link set lo up
addr add $addr/24 dev eth0
link set eth0 up
EOF
  printf '%s\n' "$hn" >/proc/sys/kernel/hostname

  mount -t tmpfs -o mode=0755,size=512m "$LAB_TAG-$hn" "$root"
  cp -a -- "$dir/template/." "$root/"
  # per-host files, written into the upper layer before it is mounted
  content=$(<"$dir/template/upper/etc/ssh/sshd_config")
  printf '%s\nListenAddress %s:22\n' "$content" "$addr" >"$root/upper/etc/ssh/sshd_config"
  content=$(</etc/hosts)
  printf '%s\n%s\t%s\n' "$content" "$addr" "$hn" >"$root/upper/etc/hosts"
  printf '%s\n' "$hn" >"$root/upper/etc/hostname"
  content=$(<"$hd/ssh_host_ed25519_key.pub")
  printf '%s\n' "$content" >"$root/upper/etc/ssh/ssh_host_ed25519_key.pub"
  content=$(<"$hd/ssh_host_ed25519_key")
  (umask 077 && printf '%s\n' "$content" >"$root/upper/etc/ssh/ssh_host_ed25519_key")

  # The host's root, in order (one mount(8) for all: this runs up to 200 times in a row).
  # The overlay's lower layer is / (the build machine, read-only in effect), its upper and
  # work directories are on the tmpfs above.  /run/sshd (sshd's privilege separation
  # directory: empty, root's, not writable) is a tiny read-only tmpfs.
  printf '%s\n' \
    "$LAB_TAG-$hn $m overlay lowerdir=/,upperdir=$root/upper,workdir=$root/work 0 0" \
    "/proc $m/proc none bind 0 0" \
    "$LAB_TAG-$hn $m/sys sysfs defaults 0 0" \
    "/dev $m/dev none bind 0 0" \
    "devpts $m/dev/pts devpts newinstance,ptmxmode=0666,mode=0620,gid=5 0 0" \
    "$m/dev/pts/ptmx $m/dev/ptmx none bind 0 0" \
    "tmpfs $m/dev/shm tmpfs mode=1777,size=64m 0 0" \
    "tmpfs $m/run tmpfs mode=0755,size=64m 0 0" \
    "tmpfs $m/run/sshd tmpfs X-mount.mkdir=0755,mode=0755,size=16k,ro 0 0" \
    "tmpfs $m/tmp tmpfs mode=1777,size=256m 0 0" >"$root/fstab"
  mount --all --fstab "$root/fstab"
  # the other labs' namespace handles are none of this host's business
  umount -l /run/netns 2>/dev/null || true

  HOLDER_ROOT=$m
  HOLDER_DIR=$hd
  trap holder_start_sshd USR1
  trap holder_stop TERM INT HUP
  holder_start_sshd
  sleep infinity &
  HOLDER_SLEEP=$!
  while :; do
    wait || true # returns when a trapped signal came in, or when every child is gone
    alive "$HOLDER_SLEEP" || { sleep infinity & HOLDER_SLEEP=$!; }
  done
}

holder_start_sshd() {
  local sp
  if sp=$(read_pid "$HOLDER_DIR/sshd.pid") && alive "$sp"; then return 0; fi
  chroot "$HOLDER_ROOT" /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config </dev/null &
  printf '%s\n' "$!" >"$HOLDER_DIR/sshd.pid"
}

holder_stop() {
  trap - TERM INT HUP USR1
  local sp
  sp=$(read_pid "$HOLDER_DIR/sshd.pid") || sp=
  kill -TERM ${sp:+"$sp"} "$HOLDER_SLEEP" 2>/dev/null || true
  wait || true
  exit 0
}

# ------------------------------------------------------------------------------------ up

cleanup_failed_up() {
  local rc=$?
  trap - EXIT INT TERM
  ((UP_DONE)) && exit "$rc"
  ((rc != 0)) || rc=1
  log "up failed; removing what was made"
  down_impl || true
  exit "$rc"
}

show_host_log() { # I
  local f=$DIR/hosts/$1/host.log
  [[ -s $f ]] && sed 's/^/    | /' -- "$f" | tail -n 20 >&2
  return 0
}

cmd_up() {
  require_root
  require_tools
  validate_name
  if ! [[ $HOSTS =~ ^[1-9][0-9]{0,2}$ ]] || ((HOSTS > MAX_HOSTS)); then
    die "--hosts must be 1..$MAX_HOSTS (got '$HOSTS')"
  fi
  if ! [[ $SUBNET =~ ^[0-9]{1,3}$ ]] || ((SUBNET > 255)); then
    die "--subnet must be 0..255 (got '$SUBNET')"
  fi
  [[ -n $DIR ]] || die "--dir is required for up"
  abs_dir "$DIR"
  local t0 br prefix i addr key type fpr line ok
  local -a hpids=() addrs=()
  t0=$(now)
  T0=$t0
  br=$(bridge_of "$NAME")
  prefix=198.18.$SUBNET

  phase "start"
  # leftovers of a crashed run of the same lab
  down_impl >/dev/null 2>&1 || down_impl || die "could not clean up leftovers of lab '$NAME'"
  line=$(ip -o -4 addr show to "$prefix.0/24" 2>/dev/null || true)
  [[ -z $line ]] || die "subnet $prefix.0/24 is already in use: ${line%%\\*}"
  if [[ -e $DIR && ! -d $DIR ]]; then die "$DIR exists and is not a directory"; fi
  if [[ -f $DIR/.$LAB_TAG ]]; then
    line=$(<"$DIR/.$LAB_TAG")
    if [[ $line != "$NAME" ]]; then
      [[ ! $line =~ ^[a-z0-9]{1,8}$ || $(dir_of_lab "$line") != "$DIR" ]] || die "$DIR is the directory of lab '$line', which is up"
      clean_dir_files "$DIR" 1 # a stale directory of another lab
    fi
  elif [[ -d $DIR && -n $(ls -A -- "$DIR") ]]; then
    die "$DIR exists, is not empty and is not a lab directory"
  fi

  UP_DONE=0
  trap cleanup_failed_up EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  mkdir -p -- "$DIR"
  printf '%s\n' "$NAME" >"$DIR/.$LAB_TAG"
  mkdir -m 0700 -- "$DIR/keys"
  mkdir -p -- "$DIR/hosts" "$DIR/run"

  phase "stale lab removed"
  # secrets and the lab's client keys
  local password rsa_pp rsa_job
  password=$(rand_secret)
  rsa_pp=$(rand_secret)
  ssh-keygen -q -t rsa -b 3072 -N "$rsa_pp" -C "$LAB_TAG $NAME rsa" -f "$DIR/keys/id_rsa" &
  rsa_job=$!
  ssh-keygen -q -t ed25519 -N '' -C "$LAB_TAG $NAME ed25519" -f "$DIR/keys/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C "$LAB_TAG $NAME unauthorized" -f "$DIR/keys/id_other_ed25519"

  phase "client keys"
  # host keys, in parallel
  local -a mk=()
  for ((i = 1; i <= HOSTS; i++)); do mk+=("$DIR/hosts/$i" "$DIR/run/$i"); done
  mkdir -p -- "${mk[@]}"
  for ((i = 1; i <= HOSTS; i++)); do printf '%s\0' "$DIR/hosts/$i/ssh_host_ed25519_key"; done |
    xargs -0 -n 1 -P 4 ssh-keygen -q -t ed25519 -N '' -C "$LAB_TAG $NAME host" -f

  phase "host keys"
  # network: bridge in the root namespace, one namespace + veth per host
  local batch netns_before
  batch="link add $br address 02:52:4f:4c:$(printf '%02x' "$SUBNET"):01 type bridge stp_state 0 forward_delay 0 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0"$'\n'
  for ((i = 1; i <= HOSTS; i++)); do
    batch+="netns add $NAME-$i"$'\n'
    batch+="link add $NAME-$i type veth peer name eth0 netns $NAME-$i"$'\n'
  done
  netns_before=$(netns_dir_state)
  ip -batch - <<<"$batch" || die "could not create the lab's namespaces and links"
  with_lock shared_state_acquire "$netns_before"
  echo 1 >"/proc/sys/net/ipv6/conf/$br/disable_ipv6"
  batch="addr add $prefix.1/24 dev $br"$'\n'"link set $br up"$'\n'
  for ((i = 1; i <= HOSTS; i++)); do
    echo 1 >"/proc/sys/net/ipv6/conf/$NAME-$i/disable_ipv6"
    batch+="link set $NAME-$i master $br up"$'\n'
  done
  ip -batch - <<<"$batch" || die "could not configure the lab's links"
  for ((i = 1; i <= HOSTS; i++)); do
    netns_inode "$NAME-$i" >"$DIR/hosts/$i/netns.ino"
  done

  phase "network"
  # the shared layer
  wait "$rsa_job" || die "RSA key generation failed"
  local auth
  auth=$(cat -- "$DIR/keys/id_ed25519.pub" "$DIR/keys/id_rsa.pub")
  ROLAB_PASSWORD=$password ROLAB_AUTHORIZED_KEYS=$auth \
    unshare -m --propagation private -- "$SELF" _template-init "$DIR" </dev/null >"$DIR/run/template.log" 2>&1 ||
    { sed 's/^/    | /' -- "$DIR/run/template.log" >&2; die "could not build the host template"; }

  phase "template"
  # hosts
  for ((i = 1; i <= HOSTS; i++)); do
    setsid nsenter --net="/run/netns/$NAME-$i" -- \
      unshare -m -u --propagation private -- "$SELF" _host-init "$DIR" "$NAME" "$SUBNET" "$i" \
      </dev/null >>"$DIR/hosts/$i/host.log" 2>&1 &
    hpids[i]=$!
    disown "$!" # a host outlives up; bash must not report it when down kills it
    addrs[i]=$prefix.$((10 + i))
  done

  phase "hosts launched"
  # wait until every sshd listens (it writes its PidFile after binding)
  local deadline pending=() sp pf
  deadline=$(($(now) + READY_TIMEOUT_S * 1000000))
  for ((i = 1; i <= HOSTS; i++)); do pending+=("$i"); done
  while ((${#pending[@]})); do
    local still=()
    for i in "${pending[@]}"; do
      if ! alive "${hpids[i]}"; then
        show_host_log "$i"
        die "host $i ($NAME-$i): setup failed (log above)"
      fi
      if sp=$(read_pid "$DIR/hosts/$i/sshd.pid"); then
        if ! alive "$sp"; then
          show_host_log "$i"
          die "host $i ($NAME-$i): sshd exited (log above)"
        fi
        if pf=$(read_pid "/proc/$sp/root/run/sshd.pid") && [[ $pf == "$sp" ]]; then
          continue
        fi
      fi
      still+=("$i")
    done
    pending=("${still[@]}")
    ((${#pending[@]})) || break
    if (($(now) > deadline)); then
      show_host_log "${pending[0]}"
      die "${#pending[@]} host(s) not ready after ${READY_TIMEOUT_S} s (first: $NAME-${pending[0]})"
    fi
    sleep 0.05
  done
  phase "all sshd listening"
  # and accept TCP connections from the root namespace: connect, read sshd's banner, send
  # one back (so that sshd does not log a failed identification exchange) and close
  # shellcheck disable=SC2016 # the inner script expands its own arguments
  local probe='for a in "$@"; do
    exec 3<>"/dev/tcp/$a/22" || exit 1
    read -r -t 5 -u 3 banner && [[ $banner == SSH-* ]] || exit 1
    printf "SSH-2.0-rolab-lab-probe\r\n" >&3 2>/dev/null || true
    exec 3>&-
  done'
  local -a probes=()
  local c chunk=$(((HOSTS + 3) / 4))
  for ((c = 1; c <= HOSTS; c += chunk)); do
    timeout 20 bash -c "$probe" _ "${addrs[@]:c:chunk}" 2>/dev/null &
    probes+=("$!")
  done
  ok=1
  for c in "${probes[@]}"; do wait "$c" || ok=0; done
  if ((!ok)); then
    for ((i = 1; i <= HOSTS; i++)); do
      timeout 6 bash -c "$probe" _ "${addrs[i]}" 2>/dev/null ||
        die "host $i (${addrs[i]}): port 22 does not answer with an SSH banner"
    done
  fi

  phase "all sshd answer"
  # known_hosts, fingerprints, inventory
  : >"$DIR/known_hosts.tmp"
  for ((i = 1; i <= HOSTS; i++)); do
    read -r type key _ <"$DIR/hosts/$i/ssh_host_ed25519_key.pub"
    printf '%s %s %s\n' "${addrs[i]}" "$type" "$key" >>"$DIR/known_hosts.tmp"
  done
  mv -f -- "$DIR/known_hosts.tmp" "$DIR/known_hosts"
  declare -A fp=()
  while read -r _ fpr addr _; do fp[$addr]=$fpr; done < <(ssh-keygen -l -E sha256 -f "$DIR/known_hosts")

  {
    printf 'ComputerName,Port\n'
    for ((i = 1; i <= HOSTS; i++)); do printf '%s,22\n' "${addrs[i]}"; done
  } >"$DIR/hosts.csv"

  {
    printf '{\n'
    printf '  "name": %s,\n' "$(json_str "$NAME")"
    printf '  "subnet": %s,\n' "$(json_str "$prefix.0/24")"
    printf '  "bridge": %s,\n' "$(json_str "$br")"
    printf '  "bridgeAddress": %s,\n' "$(json_str "$prefix.1")"
    printf '  "dir": %s,\n' "$(json_str "$DIR")"
    printf '  "user": %s,\n' "$(json_str "$LAB_USER")"
    printf '  "password": %s,\n' "$(json_str "$password")"
    printf '  "rsaKeyPassphrase": %s,\n' "$(json_str "$rsa_pp")"
    printf '  "keys": {\n'
    printf '    "ed25519": %s,\n' "$(json_str "$DIR/keys/id_ed25519")"
    printf '    "rsa": %s,\n' "$(json_str "$DIR/keys/id_rsa")"
    printf '    "unauthorized": %s\n' "$(json_str "$DIR/keys/id_other_ed25519")"
    printf '  },\n'
    printf '  "knownHosts": %s,\n' "$(json_str "$DIR/known_hosts")"
    printf '  "hostsCsv": %s,\n' "$(json_str "$DIR/hosts.csv")"
    printf '  "hosts": [\n'
    local sep=,
    for ((i = 1; i <= HOSTS; i++)); do
      [[ -n ${fp[${addrs[i]}]:-} ]] || die "no fingerprint for ${addrs[i]}"
      ((i < HOSTS)) || sep=
      printf '    {"index": %d, "name": %s, "address": %s, "port": 22, "fingerprint": %s, "hostKeyType": "ssh-ed25519"}%s\n' \
        "$i" "$(json_str "$NAME-$i")" "$(json_str "${addrs[i]}")" "$(json_str "${fp[${addrs[i]}]}")" "$sep"
    done
    printf '  ]\n}\n'
  } >"$DIR/inventory.json.tmp"
  chmod 0600 "$DIR/inventory.json.tmp"
  mv -f -- "$DIR/inventory.json.tmp" "$DIR/inventory.json"

  UP_DONE=1
  trap - EXIT INT TERM
  log "lab '$NAME' up: $HOSTS host(s) in $prefix.0/24 in $(elapsed "$t0") s"
  printf '%s\n' "$DIR/inventory.json"
}

# ------------------------------------------------------------------ per-host commands

host_merged() { printf '%s/run/%s/merged' "$DIR" "$HOST"; } # the host's root, in its mount ns

host_holder() { # -> pid of host HOST's holder (checked)
  local hp ino
  hp=$(read_pid "$DIR/hosts/$HOST/holder.pid") || die "host $HOST of lab '$NAME' does not exist"
  ino=$(<"$DIR/hosts/$HOST/netns.ino")
  if ! alive "$hp" || [[ $(pid_netns_inode "$hp") != "$ino" ]]; then
    die "host $HOST of lab '$NAME' is gone (its holder process is not running)"
  fi
  printf '%s' "$hp"
}

cmd_exec() {
  require_root
  validate_name
  validate_host_index
  resolve_dir
  ((${#CMD[@]})) || die "exec needs a command after --"
  local hp
  hp=$(host_holder)
  exec nsenter -t "$hp" -m -n -u -- chroot "$(host_merged)" /usr/bin/env -i PATH="$SAFE_PATH" \
    HOME=/root LANG=C.UTF-8 USER=root LOGNAME=root "${CMD[@]}"
}

cmd_stop_sshd() {
  require_root
  validate_name
  validate_host_index
  resolve_dir
  local hp ino p l ppid
  local -a pids=()
  hp=$(host_holder)
  ino=$(<"$DIR/hosts/$HOST/netns.ino")
  # sshd and its sessions: every process of the host but the holder and its sleep
  while read -r p l; do
    p=${p#/proc/}
    p=${p%%/*}
    [[ $l == "net:[$ino]" && $p != "$hp" ]] || continue
    ppid=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
    if [[ $ppid == "$hp" && $(cat "/proc/$p/comm" 2>/dev/null) == sleep ]]; then continue; fi
    pids+=("$p")
  done < <(find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%p %l\n' 2>/dev/null)
  kill_and_wait 3 "${pids[@]}"
  log "host $HOST of lab '$NAME': sshd stopped"
}

cmd_start_sshd() {
  require_root
  validate_name
  validate_host_index
  resolve_dir
  local hp sp pf deadline
  hp=$(host_holder)
  if sp=$(read_pid "$DIR/hosts/$HOST/sshd.pid") && alive "$sp"; then
    log "host $HOST of lab '$NAME': sshd already running"
    return 0
  fi
  rm -f -- "$DIR/hosts/$HOST/sshd.pid"
  kill -USR1 "$hp"
  deadline=$(($(now) + 10000000))
  while :; do
    if sp=$(read_pid "$DIR/hosts/$HOST/sshd.pid"); then
      alive "$sp" || die "host $HOST: sshd exited: $(tail -n 5 -- "$DIR/hosts/$HOST/host.log")"
      pf=$(read_pid "/proc/$sp/root/run/sshd.pid") && [[ $pf == "$sp" ]] && break
    fi
    (($(now) < deadline)) || die "host $HOST: sshd not ready after 10 s"
    sleep 0.05
  done
  log "host $HOST of lab '$NAME': sshd started"
}

# ---------------------------------------------------------------------------------- main

parse_args() {
  while (($#)); do
    case $1 in
      --name) NAME=${2?--name needs a value}; shift 2 ;;
      --hosts) HOSTS=${2?--hosts needs a value}; shift 2 ;;
      --subnet) SUBNET=${2?--subnet needs a value}; shift 2 ;;
      --dir) DIR=${2?--dir needs a value}; shift 2 ;;
      --host) HOST=${2?--host needs a value}; shift 2 ;;
      --) shift; CMD=("$@"); return 0 ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
}

main() {
  (($#)) || { usage >&2; exit 2; }
  local verb=$1
  shift
  case $verb in
    _template-init) template_init "$@"; return ;;
    _host-init) host_init "$@"; return ;;
    -h | --help | help) usage; return 0 ;;
  esac
  parse_args "$@"
  case $verb in
    up) cmd_up ;;
    down) cmd_down ;;
    exec) cmd_exec ;;
    stop-sshd) cmd_stop_sshd ;;
    start-sshd) cmd_start_sshd ;;
    *) usage >&2; die "unknown command '$verb'" ;;
  esac
}

main "$@"
