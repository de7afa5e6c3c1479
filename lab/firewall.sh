#!/usr/bin/env bash
# lab/firewall.sh - turns a RemoteOps lab host into a routing firewall between a client network
# and a server network, each a network namespace of its own (see "firewall" in lab/README.md).
#
#   firewall.sh up     --name NAME --host F
#   firewall.sh probe  --name NAME --port P [--timeout S]
#   firewall.sh down   --name NAME
#
# The lab (lab.sh up) must be up; host F keeps its sshd and is managed over SSH as usual.
# up creates the namespaces NAME-fwc (client, 198.19.240.2/24) and NAME-fws (server,
# 198.19.241.2/24), links each to host F by a veth pair (F is 198.19.240.1 and 198.19.241.1),
# turns on IPv4 forwarding inside F only, and starts TCP listeners on the server's ports 443,
# 8080 and 8081 (python3, accept and close). probe connects from the client to the server's
# port P and prints one word: open (connected), refused (RST or ICMP unreachable, at once) or
# timeout (no answer within S seconds, default 3: a drop).
#
# Network safety: every address is inside 198.18.0.0/15 and lives only in namespaces this
# script or lab.sh created; nothing is added to the root namespace. down kills every process in
# the two namespaces and deletes them (their veths go with them); lab.sh down removes host F.
#
# Must run as root.
set -euo pipefail

PROG=firewall.sh
NAME=rolab
HOST=
PORT=
TIMEOUT_S=3
CLIENT_NET=198.19.240
SERVER_NET=198.19.241
PORTS=(443 8080 8081)

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

usage() {
  sed -n '4,7p' "${BASH_SOURCE[0]}" | sed 's/^# *//'
}

check_name() { [[ $NAME =~ ^[a-z0-9]{1,8}$ ]] || die "--name must be 1-8 characters of [a-z0-9] (got '$NAME')"; }

ns_exists() { [[ -e /run/netns/$1 ]]; }

kill_ns() { # NS: every process in it, TERM then KILL
  local ns=$1 i
  ns_exists "$ns" || return 0
  for i in 1 2 3 4 5 6 7 8 9 10; do
    mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null)
    ((${#pids[@]})) || return 0
    if ((i < 6)); then kill -TERM "${pids[@]}" 2>/dev/null || true; else kill -KILL "${pids[@]}" 2>/dev/null || true; fi
    sleep 0.2
  done
}

cmd_down() {
  check_name
  local ns
  for ns in "$NAME-fwc" "$NAME-fws"; do
    kill_ns "$ns"
    if ns_exists "$ns"; then ip netns del "$ns" || log "could not delete namespace $ns"; fi
  done
  # the firewall host's ends of the veths vanish with their peers; a half-made link may not
  for l in "$NAME-fc" "$NAME-fs" "$NAME-fcp" "$NAME-fsp"; do
    ip link del "$l" 2>/dev/null || true
    ns_exists "$NAME-$HOST" 2>/dev/null && ip -n "$NAME-$HOST" link del "$l" 2>/dev/null || true
  done
  log "firewall networks of lab '$NAME' down"
}

UP_DONE=0
up_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  ((UP_DONE)) && exit "$rc"
  cmd_down >/dev/null 2>&1 || true
  exit $((rc == 0 ? 1 : rc))
}

link_side() { # SIDE(c|s) NET NS
  local side=$1 net=$2 ns=$3 fw="$NAME-$HOST"
  ip link add "$NAME-f${side}" type veth peer name "$NAME-f${side}p"
  ip link set "$NAME-f${side}" netns "$fw"
  ip link set "$NAME-f${side}p" netns "$ns"
  ip -n "$fw" addr add "$net.1/24" dev "$NAME-f${side}"
  ip -n "$fw" link set "$NAME-f${side}" up
  ip -n "$ns" addr add "$net.2/24" dev "$NAME-f${side}p"
  ip -n "$ns" link set "$NAME-f${side}p" up
  ip -n "$ns" link set lo up
}

cmd_up() {
  check_name
  [[ $HOST =~ ^[1-9][0-9]{0,2}$ ]] || die "--host must be a lab host number (got '$HOST')"
  ns_exists "$NAME-$HOST" || die "lab '$NAME' has no host $HOST (start it with lab.sh up)"
  command -v python3 >/dev/null || die "python3 is not installed"
  command -v nft >/dev/null || die "nft is not installed (apt-get install -y nftables)"
  cmd_down >/dev/null 2>&1
  trap up_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  ip netns add "$NAME-fwc"
  ip netns add "$NAME-fws"
  link_side c "$CLIENT_NET" "$NAME-fwc"
  link_side s "$SERVER_NET" "$NAME-fws"
  ip -n "$NAME-fwc" route add "$SERVER_NET.0/24" via "$CLIENT_NET.1"
  ip -n "$NAME-fws" route add "$CLIENT_NET.0/24" via "$SERVER_NET.1"
  ip netns exec "$NAME-$HOST" sysctl -q -w net.ipv4.ip_forward=1
  local p
  for p in "${PORTS[@]}"; do
    setsid ip netns exec "$NAME-fws" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16)
while True:
    c, _ = s.accept(); c.close()' "$SERVER_NET.2" "$p" </dev/null >/dev/null 2>&1 &
    disown $!
  done
  # ready when every listener accepts, seen from inside the server namespace
  local deadline=$((SECONDS + 10)) ok
  while :; do
    ok=1
    for p in "${PORTS[@]}"; do
      ip netns exec "$NAME-fws" timeout 1 bash -c "exec 3<>/dev/tcp/$SERVER_NET.2/$p" 2>/dev/null || ok=0
    done
    ((ok)) && break
    ((SECONDS < deadline)) || die "the server's listeners did not start"
    sleep 0.1
  done
  UP_DONE=1
  trap - EXIT INT TERM
  log "host $HOST routes $CLIENT_NET.0/24 (namespace $NAME-fwc) <-> $SERVER_NET.0/24 (namespace $NAME-fws); listeners on ${PORTS[*]}"
}

cmd_probe() {
  check_name
  [[ $PORT =~ ^[0-9]{1,5}$ ]] || die "--port must be a port number"
  [[ $TIMEOUT_S =~ ^[0-9]{1,3}$ ]] || die "--timeout must be whole seconds"
  ns_exists "$NAME-fwc" || die "the firewall networks of lab '$NAME' are not up"
  local err rc=0
  err=$(ip netns exec "$NAME-fwc" timeout "$TIMEOUT_S" bash -c "exec 3<>/dev/tcp/$SERVER_NET.2/$PORT" 2>&1) || rc=$?
  if ((rc == 0)); then echo open
  elif ((rc == 124)); then echo timeout
  elif [[ $err == *"refused"* ]]; then echo refused
  else echo "error: $err"
  fi
}

parse_args() {
  while (($#)); do
    case $1 in
      --name) NAME=${2?--name needs a value}; shift 2 ;;
      --host) HOST=${2?--host needs a value}; shift 2 ;;
      --port) PORT=${2?--port needs a value}; shift 2 ;;
      --timeout) TIMEOUT_S=${2?--timeout needs a value}; shift 2 ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
}

main() {
  (($#)) || { usage >&2; exit 2; }
  local verb=$1
  shift
  parse_args "$@"
  ((EUID == 0)) || die "must run as root"
  case $verb in
    up) cmd_up ;;
    down) cmd_down ;;
    probe) cmd_probe ;;
    *) usage >&2; die "unknown command '$verb'" ;;
  esac
}

main "$@"
