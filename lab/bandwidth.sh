#!/usr/bin/env bash
# lab/bandwidth.sh - turns a RemoteOps lab host into a gateway between a client network and a
# server network, each a network namespace of its own, and measures TCP throughput through it
# with iperf3 (see "bandwidth" in lab/README.md).
#
#   bandwidth.sh up      --name NAME --host G
#   bandwidth.sh measure --name NAME --port P [--port P2 ...] [--seconds S]
#   bandwidth.sh down    --name NAME [--host G]
#
# The lab (lab.sh up) must be up; host G keeps its sshd and is managed over SSH as usual.
# up creates the namespaces NAME-bwc (client, 198.19.244.2/24) and NAME-bws (server,
# 198.19.245.2/24), links each to host G by a veth pair (G is 198.19.244.1 on NAME-bc and
# 198.19.245.1 on NAME-bs, the interface towards the server, whose egress is what a shaping
# policy on G limits) and turns on IPv4 forwarding inside G only.
# measure starts one iperf3 server per port in the server namespace, runs one iperf3 client per
# port from the client namespace at the same time (client to server, S seconds, default 4, the
# first second left out as TCP slow start), prints "PORT BITS_PER_SECOND" per port (what the
# server received), and kills the servers whatever happened.
#
# Network safety: every address is inside 198.18.0.0/15 and lives only in namespaces this
# script or lab.sh created; nothing is added to the root namespace. down kills every process in
# the two namespaces and deletes them (their veths go with them); lab.sh down removes host G.
#
# Must run as root.
set -euo pipefail

PROG=bandwidth.sh
NAME=rolab
HOST=
PORTS=()
SECONDS_RUN=4
CLIENT_NET=198.19.244
SERVER_NET=198.19.245

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

usage() {
  sed -n '6,8p' "${BASH_SOURCE[0]}" | sed 's/^# *//'
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
  local ns l
  for ns in "$NAME-bwc" "$NAME-bws"; do
    kill_ns "$ns"
    if ns_exists "$ns"; then ip netns del "$ns" || log "could not delete namespace $ns"; fi
  done
  # the gateway's ends of the veths vanish with their peers; a half-made link may not
  for l in "$NAME-bc" "$NAME-bs" "$NAME-bcp" "$NAME-bsp"; do
    ip link del "$l" 2>/dev/null || true
    [[ -n $HOST ]] && ns_exists "$NAME-$HOST" && ip -n "$NAME-$HOST" link del "$l" 2>/dev/null || true
  done
  log "bandwidth networks of lab '$NAME' down"
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
  local side=$1 net=$2 ns=$3 gw="$NAME-$HOST"
  ip link add "$NAME-b${side}" type veth peer name "$NAME-b${side}p"
  ip link set "$NAME-b${side}" netns "$gw"
  ip link set "$NAME-b${side}p" netns "$ns"
  ip -n "$gw" addr add "$net.1/24" dev "$NAME-b${side}"
  ip -n "$gw" link set "$NAME-b${side}" up
  ip -n "$ns" addr add "$net.2/24" dev "$NAME-b${side}p"
  ip -n "$ns" link set "$NAME-b${side}p" up
  ip -n "$ns" link set lo up
}

cmd_up() {
  check_name
  [[ $HOST =~ ^[1-9][0-9]{0,2}$ ]] || die "--host must be a lab host number (got '$HOST')"
  ns_exists "$NAME-$HOST" || die "lab '$NAME' has no host $HOST (start it with lab.sh up)"
  command -v iperf3 >/dev/null || die "iperf3 is not installed (apt-get install -y iperf3)"
  command -v tc >/dev/null || die "tc is not installed (apt-get install -y iproute2)"
  cmd_down >/dev/null 2>&1
  trap up_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  ip netns add "$NAME-bwc"
  ip netns add "$NAME-bws"
  link_side c "$CLIENT_NET" "$NAME-bwc"
  link_side s "$SERVER_NET" "$NAME-bws"
  ip -n "$NAME-bwc" route add "$SERVER_NET.0/24" via "$CLIENT_NET.1"
  ip -n "$NAME-bws" route add "$CLIENT_NET.0/24" via "$SERVER_NET.1"
  ip netns exec "$NAME-$HOST" sysctl -q -w net.ipv4.ip_forward=1
  UP_DONE=1
  trap - EXIT INT TERM
  log "host $HOST routes $CLIENT_NET.0/24 (namespace $NAME-bwc) <-> $SERVER_NET.0/24 (namespace $NAME-bws); shape egress on $NAME-bs"
}

SERVER_PIDS=()
MEASURE_DIR=
stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.2
  for pid in "${SERVER_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  SERVER_PIDS=()
}

cmd_measure() {
  check_name
  ((${#PORTS[@]})) || die "measure needs at least one --port"
  [[ $SECONDS_RUN =~ ^[1-9][0-9]?$ ]] || die "--seconds must be 1-99"
  ns_exists "$NAME-bwc" || die "the bandwidth networks of lab '$NAME' are not up"
  local p
  MEASURE_DIR=$(mktemp -d)
  local tmp=$MEASURE_DIR
  trap 'stop_servers; rm -rf "$MEASURE_DIR"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  for p in "${PORTS[@]}"; do
    [[ $p =~ ^[0-9]{1,5}$ ]] || die "--port must be a port number (got '$p')"
    ip netns exec "$NAME-bws" iperf3 -s -1 -B "$SERVER_NET.2" -p "$p" >/dev/null 2>&1 &
    SERVER_PIDS+=($!)
  done
  local deadline=$((SECONDS + 10)) ok
  while :; do
    ok=1
    for p in "${PORTS[@]}"; do
      ip netns exec "$NAME-bws" ss -Hltn "sport = :$p" | grep -q . || ok=0
    done
    ((ok)) && break
    ((SECONDS < deadline)) || die "the iperf3 servers did not start"
    sleep 0.1
  done
  local clients=()
  for p in "${PORTS[@]}"; do
    ip netns exec "$NAME-bwc" timeout $((SECONDS_RUN + 15)) iperf3 -c "$SERVER_NET.2" -p "$p" -t "$SECONDS_RUN" -O 1 -J >"$tmp/$p.json" 2>"$tmp/$p.err" &
    clients+=($!)
  done
  local rc=0 c
  for c in "${clients[@]}"; do wait "$c" || rc=1; done
  for p in "${PORTS[@]}"; do
    python3 -c 'import json,sys; print(sys.argv[2], int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' "$tmp/$p.json" "$p" ||
      { log "iperf3 on port $p failed: $(cat "$tmp/$p.err" "$tmp/$p.json" 2>/dev/null | head -c 400)"; rc=1; }
  done
  return $rc
}

parse_args() {
  while (($#)); do
    case $1 in
      --name) NAME=${2?--name needs a value}; shift 2 ;;
      --host) HOST=${2?--host needs a value}; shift 2 ;;
      --port) PORTS+=("${2?--port needs a value}"); shift 2 ;;
      --seconds) SECONDS_RUN=${2?--seconds needs a value}; shift 2 ;;
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
    measure) cmd_measure ;;
    *) usage >&2; die "unknown command '$verb'" ;;
  esac
}

main "$@"
