#!/usr/bin/env bash
# A local multi-silo PGenRM cluster on loopback: one Azurite (in memory, free ports) holding the Orleans membership
# table (PGenRM:Clustering=AzureTable) and the grain state, and N hosts (silo + HTTP API each) on free ports.
#
#   deploy/scripts/local-cluster.sh start [-n N] [--dir DIR] [--timeout SECONDS]
#   deploy/scripts/local-cluster.sh stop [--dir DIR]
#
# start: starts Azurite, then host 1 (which creates the demo tenant), then hosts 2..N, and waits until every host's
#   /health/ready answers (at most --timeout seconds, default 240). It writes DIR/cluster.env (shell variables:
#   AZURITE_PID, STORAGE, ADMIN_KEY, DEMO_KEY, HOST_URLS, HOST_PIDS) and prints the URLs and keys. N defaults to 3,
#   DIR to .pgenrm/local-cluster. The host is the Release build (dotnet build -c Release; or PGENRM_HOST_DLL).
# stop: SIGTERM to the hosts (each leaves the membership table and deactivates its grains), then Azurite, in that
#   order (a silo whose storage vanished hangs in shutdown). Logs stay in DIR/host-*.log and DIR/azurite.log.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
host_dll=${PGENRM_HOST_DLL:-$root/src/PGenRM.Host/bin/Release/net10.0/linux-x64/PGenRM.Host.dll}
command=${1:-}
[ $# -gt 0 ] && shift
n=3 dir=.pgenrm/local-cluster timeout=240
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "local-cluster.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

stop_cluster() {
  [ -f "$dir/cluster.env" ] || { echo "local-cluster.sh: no cluster in $dir" >&2; return 1; }
  # shellcheck disable=SC1091
  source "$dir/cluster.env"
  local pid
  for pid in ${HOST_PIDS:-}; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in ${HOST_PIDS:-}; do
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || continue 2; sleep 0.1; done
    echo "local-cluster.sh: host $pid did not stop within 60 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -n "${AZURITE_PID:-}" ] && kill -TERM "$AZURITE_PID" 2>/dev/null || true
  rm -f "$dir/cluster.env"
  echo "local-cluster: stopped ${HOST_PIDS:-} and azurite ${AZURITE_PID:-}"
}

case "$command" in
  stop) stop_cluster; exit $? ;;
  start) ;;
  *) echo "usage: local-cluster.sh start [-n N] [--dir DIR] [--timeout S] | stop [--dir DIR]" >&2; exit 2 ;;
esac

[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "local-cluster.sh: -n must be a positive number, got '$n'" >&2; exit 2; }
[ -f "$host_dll" ] || { echo "local-cluster.sh: the host is not built: $host_dll (dotnet build src/PGenRM.Host -c Release)" >&2; exit 1; }
[ -f "$dir/cluster.env" ] && { echo "local-cluster.sh: a cluster is already recorded in $dir/cluster.env; stop it first" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

out=$("$root/deploy/scripts/azurite.sh" --blob-port "$(free_port)" --queue-port "$(free_port)" --table-port "$(free_port)" \
  --pid-file "$dir/azurite.pid" --log "$dir/azurite.log")
storage=$(printf '%s\n' "$out" | grep '^DefaultEndpointsProtocol=')
azurite_pid=$(cat "$dir/azurite.pid")
admin_key="admin.local-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
urls=() pids=()

record() {
  {
    printf 'AZURITE_PID=%q\nSTORAGE=%q\nADMIN_KEY=%q\nDEMO_KEY=%q\n' "$azurite_pid" "$storage" "$admin_key" "${demo_key:-}"
    printf 'HOST_URLS=%q\nHOST_PIDS=%q\n' "${urls[*]}" "${pids[*]}"
  } >"$dir/cluster.env"
}
fail() { echo "local-cluster.sh: $1" >&2; record; stop_cluster >&2 || true; exit 1; }
record

start_host() { # start_host I: host I in the background; the demo tenant only on the first
  local i=$1 http
  http=$(free_port)
  (cd "$dir" && exec dotnet "$host_dll" --urls "http://127.0.0.1:$http" \
    --PGenRM:Clustering=AzureTable "--PGenRM:StorageConnectionString=$storage" "--PGenRM:AdminKey=$admin_key" \
    --PGenRM:AdvertisedAddress=127.0.0.1 "--PGenRM:SiloPort=$(free_port)" "--PGenRM:GatewayPort=$(free_port)" \
    "--PGenRM:DataDirectory=$dir/host-$i" "--PGenRM:DemoTenant=$([ "$i" -eq 1 ] && echo demo)" \
    >"$dir/host-$i.log" 2>&1) &
  pids+=($!)
  urls+=("http://127.0.0.1:$http")
  record
}

wait_ready() { # wait_ready I: until host I answers /health/ready and has printed its listening line
  local i=$1 deadline=$((SECONDS + timeout))
  until curl -sf -o /dev/null "${urls[$((i - 1))]}/health/ready" && grep -q "PGenRM listening on" "$dir/host-$i.log"; do
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || fail "host $i exited; see $dir/host-$i.log"
    [ "$SECONDS" -lt "$deadline" ] || fail "host $i was not ready within $timeout s; see $dir/host-$i.log"
    sleep 0.5
  done
}

start_host 1
wait_ready 1
demo_key=$(sed -n "s/.*demo tenant 'demo' created; its API key[^:]*: \([^ ]*\)$/\1/p" "$dir/host-1.log" | head -n 1)
for i in $(seq 2 "$n"); do start_host "$i"; done
for i in $(seq 2 "$n"); do wait_ready "$i"; done
record

echo "local-cluster: $n hosts on one Azurite ($dir)"
for i in $(seq 1 "$n"); do echo "  host $i: ${urls[$((i - 1))]} (pid ${pids[$((i - 1))]})"; done
echo "  admin key: $admin_key"
echo "  demo key:  $demo_key"
echo "  stop:      deploy/scripts/local-cluster.sh stop --dir $dir"
