#!/usr/bin/env bash
# shellcheck disable=SC2015 # "A && B || die" is meant: die when any step of A && B fails
# lab/ocserv.sh - a real ocserv (OpenConnect VPN server) on a RemoteOps lab host, and real
# openconnect clients on other lab hosts (see "ocserv" in lab/README.md).
#
#   ocserv.sh up             --name NAME --host I [--max-clients M] [--max-same-clients S] [--cert-days D] [--dir DIR]
#   ocserv.sh down           --name NAME [--dir DIR]
#   ocserv.sh client-auth    --name NAME --host J --server I --user U [--dir DIR]  (password on stdin)
#   ocserv.sh client-connect --name NAME --host J --server I --user U [--dir DIR]  (password on stdin)
#   ocserv.sh client-stop    --name NAME --host J [--dir DIR]
#   ocserv.sh occtl          --name NAME --host I [--dir DIR] -- ARGS...
#
# The lab (lab.sh up) must be up.  DIR holds the server's state (ocserv.json, and ocserv/
# with the lab CA, the server's certificate and key, logs and pids); it defaults to the
# lab's directory, where lab.sh down removes it.
#
# Network safety: ocserv listens only on the server host's lab address, inside that host's
# network namespace.  openconnect runs only inside a client host's network namespace (via
# lab.sh exec, which enters the host's namespaces and chroot), never in the root namespace.
# The VPN address pool is 198.19.K.0/24 (inside 198.18.0.0/15); the server pushes that one
# route, never a default route and no DNS, and the client's script accepts only routes
# inside 198.18.0.0/15.  lab.sh down kills ocserv and the clients (they live in the lab's
# network namespaces), and their tun devices go with them.
#
# Must run as root.
set -euo pipefail
shopt -s nullglob

PROG=ocserv.sh
SELF=$(readlink -f -- "${BASH_SOURCE[0]}")
LAB=${SELF%/*}/lab.sh
LAB_TAG=rolab-lab
READY_TIMEOUT_S=15
CLIENT_TIMEOUT_S=60
# paths inside the hosts
H_CONF=/etc/ocserv/ocserv.conf
H_PASSWD=/etc/ocserv/ocpasswd
H_CERT=/etc/ocserv/server-cert.pem
H_KEY=/etc/ocserv/server-key.pem
H_OCCTL_SOCKET=/run/occtl.socket # occtl's built-in default (/var/run/occtl.socket; /var/run -> /run)
H_WORKER_SOCKET=/run/ocserv.socket
H_CLIENT_DIR=/etc/rolab-vpn

NAME=rolab
HOST=
SERVER=
USERNAME=
MAX_CLIENTS=16
MAX_SAME_CLIENTS=4
CERT_DAYS=30
DIR=
LABDIR=
SD=
RUN_USER=ocserv
RUN_GROUP=ocserv
CMD=()

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

usage() {
  cat <<'EOF'
usage:
  ocserv.sh up             --name NAME --host I [--max-clients M] [--max-same-clients S] [--cert-days D] [--dir DIR]
  ocserv.sh down           --name NAME [--dir DIR]
  ocserv.sh client-auth    --name NAME --host J --server I --user U [--dir DIR]   (password on stdin)
  ocserv.sh client-connect --name NAME --host J --server I --user U [--dir DIR]   (password on stdin)
  ocserv.sh client-stop    --name NAME --host J [--dir DIR]
  ocserv.sh occtl          --name NAME --host I [--dir DIR] -- ARGS...

up turns host I of lab NAME (already up with lab.sh) into an ocserv VPN appliance on
198.18.K.(10+I):443 (TCP and UDP), with a certificate from a lab CA, plain password auth
from /etc/ocserv/ocpasswd (empty at first), VPN pool 198.19.K.0/24 and max-clients M
(default 16), max-same-clients S (sessions per user, default 4) and a server certificate
valid for D days (default 30; 1 to test certificate-expiry warnings).  It writes
DIR/ocserv.json and prints its path.
client-auth runs openconnect --authenticate in host J against the server; exit status 0
only if the login succeeded.  client-connect starts a connected openconnect session in
host J (interface vpnJ) and prints the client's pid; client-stop ends it.
occtl runs occtl on the server host with its socket.  down stops the clients and the
server and removes DIR's ocserv files (lab.sh down also kills all of them).
DIR defaults to the lab's directory.
EOF
}

# ---------------------------------------------------------------------------- helpers

now() { printf '%s' "${EPOCHREALTIME/[.,]/}"; }
elapsed() { local us=$(( $(now) - $1 )); printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000)); }

alive() { # PID -> exists and is not a zombie
  local pid=$1 stat
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

read_pid() { local p; { read -r p <"$1"; } 2>/dev/null || return 1; [[ $p =~ ^[0-9]+$ ]] || return 1; printf '%s' "$p"; }

pid_netns_inode() { local l; l=$(readlink "/proc/$1/ns/net" 2>/dev/null) || return 1; l=${l#net:[}; printf '%s' "${l%]}"; }

json_str() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

kill_and_wait() { # SECONDS PID... ; TERM, wait, then KILL
  local secs=$1 p deadline
  local -a left
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
      return 0
    fi
    sleep 0.05
  done
}

require_root() { ((EUID == 0)) || die "must run as root"; }

require_tools() { # what ocserv.sh and the hosts (whose root is the build machine's /) need
  local t missing=()
  [[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or later is needed"
  [[ -x $LAB ]] || die "lab.sh not found next to $SELF"
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  ((${#missing[@]} == 0)) ||
    die "not installed: ${missing[*]} (apt-get install -y ocserv openconnect openssl)"
}

validate_index() { # VALUE OPTION
  [[ $1 =~ ^[1-9][0-9]{0,2}$ ]] && (($1 <= 200)) || die "$2 must be 1..200 (got '$1')"
}

validate_user() {
  [[ -n $USERNAME ]] || die "--user is required"
  # ocpasswd's file is user:group:hash, and the name goes into argv of openconnect
  [[ $USERNAME =~ ^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}$ ]] ||
    die "--user must be 1-64 characters of [A-Za-z0-9._@-], not starting with . - or @"
}

# The lab's directory, as lab.sh records it in the ifalias of the lab's bridge.
resolve_lab() { # [lenient]: for down, a lab that is not up leaves LABDIR empty
  [[ $NAME =~ ^[a-z0-9]{1,8}$ ]] || die "--name must be 1-8 characters of [a-z0-9] (got '$NAME')"
  local a
  a=$(cat -- "/sys/class/net/${NAME}br/ifalias" 2>/dev/null || true)
  if [[ $a == "$LAB_TAG|"* && $a == *"|dir="* ]]; then
    a=${a#*|dir=}
    LABDIR=${a%%|*}
    [[ -f $LABDIR/inventory.json ]] || die "lab '$NAME' has no inventory ($LABDIR/inventory.json)"
  elif [[ ${1:-} == lenient ]]; then
    LABDIR=
  else
    die "lab '$NAME' is not up (start it with lab.sh up)"
  fi
  if [[ -n $DIR ]]; then
    DIR=$(realpath -m -- "$DIR")
    [[ $DIR != *[[:cntrl:],\"\\]* ]] || die "--dir must not contain control characters or any of , \" \\"
  else
    DIR=$LABDIR
  fi
  SD=${DIR:+$DIR/ocserv}
}

host_address() { # I -> its address from inventory.json
  local line re="\"index\": $1, \"name\": \"[^\"]*\", \"address\": \"([0-9.]+)\""
  while IFS= read -r line; do
    if [[ $line =~ $re ]]; then printf '%s' "${BASH_REMATCH[1]}"; return 0; fi
  done <"$LABDIR/inventory.json"
  die "lab '$NAME' has no host $1"
}

host_netns_inode() { # I -> inode of its network namespace (as lab.sh recorded it)
  local ino
  ino=$(cat -- "$LABDIR/hosts/$1/netns.ino" 2>/dev/null) || die "lab '$NAME' has no host $1"
  [[ $ino =~ ^[0-9]+$ ]] || die "lab '$NAME': host $1 has no network namespace record"
  # belt and braces: a lab host is never the build machine's own network namespace
  [[ $ino != "$(pid_netns_inode "$$")" ]] || die "host $1's network namespace is the root namespace"
  printf '%s' "$ino"
}

host_ns() { # I -> inode of host I's network namespace, or nothing (lab or host gone)
  local ino
  [[ -n $LABDIR ]] || return 1
  ino=$(cat -- "$LABDIR/hosts/$1/netns.ino" 2>/dev/null) && [[ $ino =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$ino"
}

recorded_pid() { # FILE INODE -> the pid in FILE if it is alive in that network namespace
  local p
  p=$(read_pid "$1") && alive "$p" && [[ $(pid_netns_inode "$p") == "$2" ]] && printf '%s' "$p"
}

ns_pids() { # INODE COMM-REGEX -> pids in that network namespace whose comm matches
  local ino=$1 re=$2 p l comm
  while read -r p l; do
    [[ $l == "net:[$ino]" ]] || continue
    p=${p#/proc/}
    p=${p%%/*}
    comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    [[ $comm =~ $re ]] && alive "$p" && printf '%s\n' "$p"
  done < <(find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%p %l\n' 2>/dev/null)
  return 0
}

hexec() { # I CMD... : run CMD as root in lab host I (stdin passes through)
  local i=$1
  shift
  "$LAB" exec --name "$NAME" --host "$i" --dir "$LABDIR" -- "$@"
}

json_field() { # FILE KEY -> value of a "KEY": value line (as this script writes them)
  local line re="^ *\"$2\": \"?([^\",]*)\"?,?$"
  while IFS= read -r line; do
    if [[ $line =~ $re ]]; then printf '%s' "${BASH_REMATCH[1]}"; return 0; fi
  done <"$1"
  return 1
}

load_server() { # -> SRV_HOST SRV_ADDR SRV_PIN SRV_CA (checks --server and that ocserv runs)
  local f=$DIR/ocserv.json p
  [[ -f $f ]] || die "no ocserv is up for lab '$NAME' in $DIR (run: ocserv.sh up --name $NAME --host I)"
  SRV_HOST=$(json_field "$f" host) && SRV_ADDR=$(json_field "$f" address) &&
    SRV_PIN=$(json_field "$f" serverCertificateSha256Pin) && SRV_CA=$(json_field "$f" caCertificate) ||
    die "$f is incomplete"
  if [[ -n $SERVER && $SERVER != "$SRV_HOST" ]]; then
    die "the ocserv of $DIR runs on host $SRV_HOST, not host $SERVER"
  fi
  p=$(host_ns "$SRV_HOST") && recorded_pid "$SD/ocserv.pid" "$p" >/dev/null ||
    die "ocserv on host $SRV_HOST is not running (see $SD/ocserv.log)"
}

# --------------------------------------------------------------------------------- server

write_config() { # FILE ADDR K
  cat >"$1" <<EOF
# ocserv configuration of a RemoteOps lab VPN appliance (generated by lab/ocserv.sh; lab only).
auth = "plain[passwd=$H_PASSWD]"
listen-host = $2
tcp-port = 443
udp-port = 443
run-as-user = $RUN_USER
run-as-group = $RUN_GROUP
socket-file = $H_WORKER_SOCKET
occtl-socket-file = $H_OCCTL_SOCKET
use-occtl = true
pid-file = /run/ocserv.pid
server-cert = $H_CERT
server-key = $H_KEY
isolate-workers = true
max-clients = $MAX_CLIENTS
max-same-clients = $MAX_SAME_CLIENTS
# lab: no connection rate limit (fan-out tests connect many clients at once) and no IP
# bans (tests fail logins on purpose from the same lab addresses)
rate-limit-ms = 0
max-ban-score = 0
server-stats-reset-time = 604800
keepalive = 32400
dpd = 90
mobile-dpd = 1800
switch-to-tcp-timeout = 25
try-mtu-discovery = false
tls-priorities = "NORMAL:%SERVER_PRECEDENCE:%COMPAT:-VERS-SSL3.0:-VERS-TLS1.0:-VERS-TLS1.1:-VERS-TLS1.3"
auth-timeout = 240
min-reauth-time = 300
cookie-timeout = 300
deny-roaming = false
rekey-time = 172800
rekey-method = ssl
log-level = 1
device = vpns
predictable-ips = true
# the pool is inside 198.18.0.0/15; only this route is pushed (no default route, no DNS)
ipv4-network = 198.19.$3.0
ipv4-netmask = 255.255.255.0
route = 198.19.$3.0/255.255.255.0
ping-leases = false
cisco-client-compat = true
dtls-legacy = true
EOF
}

make_certs() { # ADDR: lab CA and server certificate in $SD
  local addr=$1
  (
    umask 077
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
      -subj "/O=RemoteOps lab/CN=RemoteOps lab CA $NAME" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout "$SD/ca.key" -out "$SD/ca.pem"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -subj "/O=RemoteOps lab/CN=$addr" -keyout "$SD/server.key" -out "$SD/server.csr"
    printf '%s\n' "subjectAltName=IP:$addr" "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$SD/server.ext"
    openssl x509 -req -in "$SD/server.csr" -CA "$SD/ca.pem" -CAkey "$SD/ca.key" \
      -set_serial "0x$(openssl rand -hex 8)" -days "$CERT_DAYS" -extfile "$SD/server.ext" -out "$SD/server.pem"
  ) >"$SD/openssl.log" 2>&1 || { sed 's/^/    | /' "$SD/openssl.log" >&2; die "could not make the lab CA and server certificate"; }
  chmod 0644 "$SD/ca.pem" "$SD/server.pem"
  rm -f -- "$SD/server.csr" "$SD/server.ext" "$SD/openssl.log"
}

stop_clients() { # every client recorded in $SD/clients
  local f j
  for f in "$SD"/clients/*.pid; do
    j=${f##*/}
    j=${j%.pid}
    [[ $j =~ ^[0-9]+$ ]] && { stop_client "$j" || true; }
  done
  return 0
}

stop_server() { # the recorded ocserv and any ocserv in host $1's network namespace
  local i=$1 ino p
  local -a pids=()
  # (a recorded pid counts only while it lives in the host's namespace: pids are reused)
  if [[ -n $i ]] && ino=$(host_ns "$i"); then
    if p=$(recorded_pid "$SD/ocserv.pid" "$ino"); then pids+=("$p"); fi
    mapfile -t -O "${#pids[@]}" pids < <(ns_pids "$ino" '^ocserv')
  fi
  kill_and_wait 5 "${pids[@]}"
  rm -f -- "$SD/ocserv.pid"
}

UP_PID=
UP_DONE=0
up_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  ((UP_DONE)) && exit "$rc"
  ((rc != 0)) || rc=1
  if [[ -n $UP_PID ]]; then kill_and_wait 3 "$UP_PID"; fi
  stop_server "$HOST" >/dev/null 2>&1 || true
  rm -f -- "$DIR/ocserv.json"
  exit "$rc"
}

cmd_up() {
  require_root
  require_tools ocserv occtl ocpasswd openssl
  validate_index "$HOST" --host
  [[ $MAX_CLIENTS =~ ^[0-9]{1,5}$ ]] || die "--max-clients must be 0..99999 (0: no limit; got '$MAX_CLIENTS')"
  MAX_CLIENTS=$((10#$MAX_CLIENTS))
  [[ $MAX_SAME_CLIENTS =~ ^[0-9]{1,5}$ ]] || die "--max-same-clients must be 0..99999 (0: no limit; got '$MAX_SAME_CLIENTS')"
  MAX_SAME_CLIENTS=$((10#$MAX_SAME_CLIENTS))
  [[ $CERT_DAYS =~ ^[0-9]{1,2}$ ]] && ((10#$CERT_DAYS >= 1 && 10#$CERT_DAYS <= 30)) || die "--cert-days must be 1..30 (got '$CERT_DAYS')"
  CERT_DAYS=$((10#$CERT_DAYS))
  resolve_lab
  local t0 addr k old p f ok pin thumb status='' deadline
  t0=$(now)
  addr=$(host_address "$HOST")
  k=${addr#198.18.}
  k=${k%%.*}
  host_netns_inode "$HOST" >/dev/null
  hexec "$HOST" true </dev/null || die "host $HOST of lab '$NAME' does not answer"
  if id -u ocserv >/dev/null 2>&1 && getent group ocserv >/dev/null 2>&1; then
    RUN_USER=ocserv RUN_GROUP=ocserv
  else
    RUN_USER=nobody RUN_GROUP=nogroup
  fi

  # one server per DIR: a server recorded on another host is not ours to replace
  if [[ -f $DIR/ocserv.json ]] && old=$(json_field "$DIR/ocserv.json" host) && [[ $old != "$HOST" ]] &&
    p=$(host_ns "$old") && recorded_pid "$SD/ocserv.pid" "$p" >/dev/null; then
    die "an ocserv of $DIR runs on host $old; stop it first (ocserv.sh down) or use another --dir"
  fi
  mkdir -p -- "$DIR"
  install -d -m 0700 -- "$SD" "$SD/clients"
  # a restart: the old clients and server go first
  stop_clients
  stop_server "$HOST"
  rm -f -- "$DIR/ocserv.json"

  trap up_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  make_certs "$addr"
  # the files of the host's /etc/ocserv, staged here and unpacked in the host (its overlay)
  rm -rf -- "$SD/stage"
  install -d -m 0755 -- "$SD/stage/etc/ocserv"
  write_config "$SD/stage$H_CONF" "$addr" "$k"
  cp -- "$SD/server.pem" "$SD/stage$H_CERT"
  (umask 077 && cp -- "$SD/server.key" "$SD/stage$H_KEY" && : >"$SD/stage$H_PASSWD")
  chmod 0644 "$SD/stage$H_CONF" "$SD/stage$H_CERT"
  cp -- "$SD/stage$H_CONF" "$SD/ocserv.conf"
  # (tun devices of this namespace get no IPv6, as the lab's interfaces)
  tar -C "$SD/stage/etc/ocserv" --owner=0 --group=0 -cf - . |
    hexec "$HOST" sh -c 'mkdir -p /etc/ocserv && rm -f /etc/ocserv/ocpasswd.tmp && tar -C /etc/ocserv -xpf - &&
      echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' ||
    die "could not write /etc/ocserv in host $HOST"
  rm -rf -- "$SD/stage"
  if ! hexec "$HOST" ocserv -t -c "$H_CONF" </dev/null >"$SD/ocserv.log" 2>&1; then
    sed 's/^/    | /' "$SD/ocserv.log" >&2
    die "ocserv rejects its configuration (above)"
  fi

  # start: lab.sh exec execs into nsenter, chroot, env and ocserv, so $! is ocserv-main
  setsid "$LAB" exec --name "$NAME" --host "$HOST" --dir "$LABDIR" -- \
    ocserv -f -c "$H_CONF" </dev/null >>"$SD/ocserv.log" 2>&1 &
  UP_PID=$!
  disown "$UP_PID"
  printf '%s\n' "$UP_PID" >"$SD/ocserv.pid"

  deadline=$(($(now) + READY_TIMEOUT_S * 1000000))
  ok=0
  while (($(now) < deadline)); do
    alive "$UP_PID" || break
    if status=$(hexec "$HOST" occtl -s "$H_OCCTL_SOCKET" --json show status </dev/null 2>/dev/null) &&
      [[ $status == *'"Status":  "online"'* ]]; then
      ok=1
      break
    fi
    sleep 0.1
  done
  if ((!ok)); then
    sed 's/^/    | /' "$SD/ocserv.log" | tail -n 30 >&2
    if alive "$UP_PID"; then
      die "ocserv on host $HOST did not answer occtl within $READY_TIMEOUT_S s (log above: $SD/ocserv.log)"
    fi
    die "ocserv on host $HOST exited (log above: $SD/ocserv.log)"
  fi
  [[ $(pid_netns_inode "$UP_PID") == "$(host_netns_inode "$HOST")" ]] ||
    die "ocserv (pid $UP_PID) is not in host $HOST's network namespace"

  pin=$(openssl x509 -in "$SD/server.pem" -noout -pubkey | openssl pkey -pubin -outform DER |
    openssl dgst -sha256 -binary | base64 -w0)
  thumb=$(openssl x509 -in "$SD/server.pem" -noout -fingerprint -sha256)
  thumb=${thumb#*=}
  thumb=${thumb//:/}
  [[ -n $pin && $thumb =~ ^[0-9A-F]{64}$ ]] || die "could not compute the certificate's hashes"

  f=$DIR/ocserv.json
  {
    printf '{\n'
    printf '  "lab": %s,\n' "$(json_str "$NAME")"
    printf '  "host": %d,\n' "$HOST"
    printf '  "hostName": %s,\n' "$(json_str "$NAME-$HOST")"
    printf '  "address": %s,\n' "$(json_str "$addr")"
    printf '  "port": 443,\n'
    printf '  "url": %s,\n' "$(json_str "https://$addr/")"
    printf '  "caCertificate": %s,\n' "$(json_str "$SD/ca.pem")"
    printf '  "serverCertificate": %s,\n' "$(json_str "$SD/server.pem")"
    printf '  "serverCertificateSha256Pin": %s,\n' "$(json_str "pin-sha256:$pin")"
    printf '  "serverCertificateSha256": %s,\n' "$(json_str "$thumb")"
    printf '  "occtlSocket": %s,\n' "$(json_str "$H_OCCTL_SOCKET")"
    printf '  "ocpasswd": %s,\n' "$(json_str "$H_PASSWD")"
    printf '  "config": %s,\n' "$(json_str "$H_CONF")"
    printf '  "ipv4Network": %s,\n' "$(json_str "198.19.$k.0/24")"
    printf '  "maxClients": %d,\n' "$MAX_CLIENTS"
    printf '  "maxSameClients": %d,\n' "$MAX_SAME_CLIENTS"
    printf '  "certificateDays": %d,\n' "$CERT_DAYS"
    printf '  "pid": %d,\n' "$UP_PID"
    printf '  "log": %s\n' "$(json_str "$SD/ocserv.log")"
    printf '}\n'
  } >"$f.tmp"
  mv -f -- "$f.tmp" "$f"
  UP_DONE=1
  trap - EXIT INT TERM
  log "ocserv up on host $HOST ($addr:443, pid $UP_PID) in $(elapsed "$t0") s"
  printf '%s\n' "$f"
}

cmd_down() {
  require_root
  resolve_lab lenient
  if [[ -z $DIR ]]; then
    log "lab '$NAME' is not up; nothing to stop (pass --dir to remove a separate ocserv directory)"
    return 0
  fi
  local h=
  [[ -f $DIR/ocserv.json ]] && h=$(json_field "$DIR/ocserv.json" host || true)
  if [[ -d $SD && -n $LABDIR ]]; then
    stop_clients
    stop_server "$h"
  fi
  rm -rf -- "$SD" "$DIR/ocserv.json"
  [[ $DIR == "$LABDIR" ]] || rmdir -- "$DIR" 2>/dev/null || true
  log "ocserv of lab '$NAME' down"
}

cmd_occtl() {
  require_root
  require_tools occtl
  validate_index "$HOST" --host
  ((${#CMD[@]})) || die "occtl needs its arguments after -- (occtl alone would be interactive)"
  resolve_lab
  exec "$LAB" exec --name "$NAME" --host "$HOST" --dir "$LABDIR" -- occtl -s "$H_OCCTL_SOCKET" "${CMD[@]}"
}

# -------------------------------------------------------------------------------- clients

# The client side's script (openconnect --script): it only brings the tun device up with
# its address and adds the routes that the server pushes, if they are inside
# 198.18.0.0/15.  No default route, no DNS, nothing else.
client_script() {
  cat <<'EOF'
#!/bin/sh
# rolab vpnc-script (lab/ocserv.sh): tun up, address, routes inside 198.18.0.0/15 only.
in_lab() { case $1 in 198.18.*.*|198.19.*.*) return 0 ;; *) return 1 ;; esac; }
case $reason in
  connect)
    in_lab "$INTERNAL_IP4_ADDRESS" || { echo "rolab vpnc-script: address $INTERNAL_IP4_ADDRESS is outside 198.18.0.0/15" >&2; exit 1; }
    ip link set dev "$TUNDEV" up mtu "${INTERNAL_IP4_MTU:-1400}" || exit 1
    ip addr add "$INTERNAL_IP4_ADDRESS/32" dev "$TUNDEV" || exit 1
    i=0
    while [ "$i" -lt "${CISCO_SPLIT_INC:-0}" ]; do
      eval "a=\${CISCO_SPLIT_INC_${i}_ADDR:-} l=\${CISCO_SPLIT_INC_${i}_MASKLEN:-}"
      case $l in ''|*[!0-9]*) l=0 ;; esac
      if in_lab "$a" && [ "$l" -ge 15 ] && [ "$l" -le 32 ]; then
        ip route replace "$a/$l" dev "$TUNDEV"
      else
        echo "rolab vpnc-script: ignored route $a/$l" >&2
      fi
      i=$((i + 1))
    done
    ;;
  disconnect)
    ip link set dev "$TUNDEV" down 2>/dev/null
    ;;
esac
exit 0
EOF
}

prepare_client() { # J : CA (and the script) into host J; sets CLIENT_ARGS
  local j=$1
  host_netns_inode "$j" >/dev/null
  [[ $j != "$SRV_HOST" ]] || die "the client host must not be the server host ($j)"
  install -d -m 0700 -- "$SD/clients"
  hexec "$j" sh -c "mkdir -p $H_CLIENT_DIR && cat >$H_CLIENT_DIR/ca.pem" <"$SRV_CA" &&
    client_script | hexec "$j" sh -c "cat >$H_CLIENT_DIR/vpnc-script && chmod 0755 $H_CLIENT_DIR/vpnc-script" ||
    die "could not write $H_CLIENT_DIR in host $j"
  CLIENT_ARGS=(--non-inter --user "$USERNAME" --passwd-on-stdin
    --servercert "$SRV_PIN" --cafile "$H_CLIENT_DIR/ca.pem" "https://$SRV_ADDR/")
}

cmd_client_auth() {
  require_root
  require_tools openconnect
  validate_index "$HOST" --host
  validate_index "$SERVER" --server
  validate_user
  resolve_lab
  load_server
  prepare_client "$HOST" </dev/null
  local rc=0 errlog=$SD/clients/$HOST-auth.log
  # stdout (COOKIE=..., the session cookie) is a secret: it goes nowhere
  timeout "$CLIENT_TIMEOUT_S" "$LAB" exec --name "$NAME" --host "$HOST" --dir "$LABDIR" -- \
    openconnect --authenticate "${CLIENT_ARGS[@]}" >/dev/null 2>"$errlog" || rc=$?
  if ((rc == 0)); then
    log "user '$USERNAME' authenticated from host $HOST to $SRV_ADDR"
    return 0
  fi
  grep -v -e '^Password:' -e '^\*\*\*$' -- "$errlog" | tail -n 4 | sed 's/^/    | /' >&2 || true
  ((rc == 124)) && die "openconnect --authenticate timed out after $CLIENT_TIMEOUT_S s"
  log "user '$USERNAME' NOT authenticated from host $HOST to $SRV_ADDR (openconnect exit $rc)"
  exit 1
}

server_sees() { # ADDR USER -> 0 if occtl lists USER connected from ADDR
  local out addr=$1 user=$2
  out=$(hexec "$SRV_HOST" occtl -s "$H_OCCTL_SOCKET" --json show users </dev/null 2>/dev/null) || return 1
  awk -v addr="$addr" -v user="$user" '
    function val(s) { sub(/^[^:]*:[ \t]*"/, "", s); sub(/",?[ \t]*$/, "", s); return s }
    /^[ \t]*\{/ { u = ""; r = ""; st = "" }
    /^[ \t]*"Username":/ { u = val($0) }
    /^[ \t]*"Remote IP":/ { r = val($0) }
    /^[ \t]*"State":/ { st = val($0) }
    /^[ \t]*\}/ { if (u == user && r == addr && st == "connected") found = 1 }
    END { exit !found }' <<<"$out"
}

CONNECT_HOST=
CONNECT_DONE=0
connect_cleanup() { # a failed client-connect leaves no client behind
  local rc=$?
  trap - EXIT INT TERM
  ((CONNECT_DONE)) && exit "$rc"
  ((rc != 0)) || rc=1
  [[ -z $CONNECT_HOST ]] || stop_client "$CONNECT_HOST" >/dev/null 2>&1 || true
  exit "$rc"
}

cmd_client_connect() {
  require_root
  require_tools openconnect
  validate_index "$HOST" --host
  validate_index "$SERVER" --server
  validate_user
  resolve_lab
  load_server
  local j=$HOST rc=0 p ino caddr deadline clog=$SD/clients/$HOST.log pidf
  ino=$(host_netns_inode "$j")
  if p=$(recorded_pid "$SD/clients/$j.pid" "$ino"); then
    die "host $j already has a VPN client (pid $p); run ocserv.sh client-stop --name $NAME --host $j first"
  fi
  [[ -z $(ns_pids "$ino" '^openconnect$') ]] ||
    die "host $j already runs openconnect; run ocserv.sh client-stop --name $NAME --host $j first"
  CONNECT_HOST=$j
  trap connect_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  prepare_client "$j" </dev/null
  # the tun device: the host's /dev is the build machine's /dev (bind mount)
  if ! hexec "$j" test -c /dev/net/tun </dev/null; then
    log "host $j: no /dev/net/tun; creating it"
    hexec "$j" sh -c 'mkdir -p /dev/net && mknod -m 0600 /dev/net/tun c 10 200' </dev/null ||
      die "host $j has no /dev/net/tun and it could not be created (is the tun module loaded?)"
  fi
  hexec "$j" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' </dev/null || true
  caddr=$(host_address "$j")
  pidf=/run/openconnect-vpn$j.pid
  hexec "$j" rm -f "$pidf" </dev/null
  rm -f -- "$SD/clients/$j.pid"
  : >"$clog"
  # openconnect --background returns once the tunnel is up (after the script ran) and
  # leaves the session's process behind, in host J's namespaces, logging to clog
  timeout "$CLIENT_TIMEOUT_S" setsid -w "$LAB" exec --name "$NAME" --host "$j" --dir "$LABDIR" -- \
    openconnect --background --pid-file="$pidf" --interface "vpn$j" \
    --script "$H_CLIENT_DIR/vpnc-script" "${CLIENT_ARGS[@]}" >>"$clog" 2>&1 || rc=$?
  if ((rc != 0)); then
    grep -v -e '^Password:' -e '^\*\*\*$' -- "$clog" | tail -n 6 | sed 's/^/    | /' >&2 || true
    ((rc == 124)) && die "openconnect did not connect within $CLIENT_TIMEOUT_S s"
    die "openconnect from host $j as '$USERNAME' failed (exit $rc; log: $clog)"
  fi
  p=$(hexec "$j" cat "$pidf" </dev/null 2>/dev/null) && [[ $p =~ ^[0-9]+$ ]] && alive "$p" ||
    die "openconnect in host $j exited after connecting (log: $clog)"
  [[ $(pid_netns_inode "$p") == "$ino" ]] ||
    { kill -KILL "$p" 2>/dev/null; die "openconnect (pid $p) is not in host $j's network namespace"; }
  printf '%s\n' "$p" >"$SD/clients/$j.pid"

  deadline=$(($(now) + READY_TIMEOUT_S * 1000000))
  until server_sees "$caddr" "$USERNAME"; do
    if ! alive "$p" || (($(now) > deadline)); then
      tail -n 6 -- "$clog" | sed 's/^/    | /' >&2
      die "the server does not list '$USERNAME' from $caddr as connected"
    fi
    sleep 0.1
  done
  CONNECT_DONE=1
  trap - EXIT INT TERM
  log "host $j connected to $SRV_ADDR as '$USERNAME' (interface vpn$j, pid $p)"
  printf '%s\n' "$p"
}

stop_client() { # J: the recorded client, and any openconnect in host J's namespace
  local j=$1 p ino
  local -a pids=()
  if ino=$(host_ns "$j"); then
    if p=$(recorded_pid "$SD/clients/$j.pid" "$ino"); then pids+=("$p"); fi
    mapfile -t -O "${#pids[@]}" pids < <(ns_pids "$ino" '^openconnect$')
  fi
  # SIGTERM: openconnect says BYE to the server, runs the script's disconnect and exits
  kill_and_wait 5 "${pids[@]}"
  rm -f -- "$SD/clients/$j.pid"
  ((${#pids[@]})) && return 0 || return 1
}

cmd_client_stop() {
  require_root
  validate_index "$HOST" --host
  resolve_lab
  if stop_client "$HOST"; then
    log "host $HOST: VPN client stopped"
  else
    log "host $HOST: no VPN client was running"
  fi
}

# ---------------------------------------------------------------------------------- main

parse_args() {
  while (($#)); do
    case $1 in
      --name) NAME=${2?--name needs a value}; shift 2 ;;
      --host) HOST=${2?--host needs a value}; shift 2 ;;
      --server) SERVER=${2?--server needs a value}; shift 2 ;;
      --user) USERNAME=${2?--user needs a value}; shift 2 ;;
      --max-clients) MAX_CLIENTS=${2?--max-clients needs a value}; shift 2 ;;
      --max-same-clients) MAX_SAME_CLIENTS=${2?--max-same-clients needs a value}; shift 2 ;;
      --cert-days) CERT_DAYS=${2?--cert-days needs a value}; shift 2 ;;
      --dir) DIR=${2?--dir needs a value}; shift 2 ;;
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
  case $verb in -h | --help | help) usage; return 0 ;; esac
  parse_args "$@"
  case $verb in
    up) cmd_up ;;
    down) cmd_down ;;
    client-auth) cmd_client_auth ;;
    client-connect) cmd_client_connect ;;
    client-stop) cmd_client_stop ;;
    occtl) cmd_occtl ;;
    *) usage >&2; die "unknown command '$verb'" ;;
  esac
}

main "$@"
