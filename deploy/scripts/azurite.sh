#!/usr/bin/env bash
# Starts Azurite (blob, queue, table) on 127.0.0.1 from the repo's pinned npm package (tools/azurite) and waits until
# all three ports answer. Installs the package with `npm ci` when tools/azurite/node_modules is missing.
#
#   deploy/scripts/azurite.sh [--blob-port P] [--queue-port P] [--table-port P] [--location DIR] [--pid-file FILE]
#                             [--log FILE] [--foreground]
#   deploy/scripts/azurite.sh --install
#
# Default: in memory (--inMemoryPersistence) on 10000-10002, in the background; prints the PID and the connection
# string. --location DIR keeps the data on disk instead. --foreground runs azurite in this shell (for a terminal or a
# container entry point). --install only installs the package when it is missing: CI, the host and the test fixture
# (through src/PGenRM.Hosting.Azurite/AzuriteProcess.cs) call this, so the install command lives here alone, and
# tools/azurite/package-lock.json pins every version. Stop a background instance with `kill $(cat PIDFILE)`; stop
# silos first (a silo whose storage vanished hangs in shutdown, see shared/docs/notes/orleans-platform.md §8.12).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pkg="$root/tools/azurite"
blob_port=10000 queue_port=10001 table_port=10002
location='' pid_file='' log_file='' foreground=false install_only=false

while [ $# -gt 0 ]; do
  case "$1" in
    --blob-port) blob_port=$2; shift 2 ;;
    --queue-port) queue_port=$2; shift 2 ;;
    --table-port) table_port=$2; shift 2 ;;
    --location) location=$2; shift 2 ;;
    --pid-file) pid_file=$2; shift 2 ;;
    --log) log_file=$2; shift 2 ;;
    --foreground) foreground=true; shift ;;
    --install) install_only=true; shift ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "azurite.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# Installed means complete: npm links .bin/azurite before it has written every file and writes its hidden lock file
# (node_modules/.package-lock.json) last, so a start seen between the two runs a half-written package.
installed() { [ -x "$pkg/node_modules/.bin/azurite" ] && [ -f "$pkg/node_modules/.package-lock.json" ]; }

# One install at a time: parallel test collections (and test projects) start Azurite together, and a second `npm ci`
# deletes node_modules under the first. The lock is on package.json (no lock file to ignore); the check runs again
# under it.
if ! installed && command -v flock >/dev/null 2>&1; then
  exec 9<"$pkg/package.json"
  flock 9
fi

if ! installed; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "azurite.sh: Azurite is not installed in $pkg and npm is missing; install Node.js 20+ with npm" \
      "(Debian: apt-get install nodejs npm)" >&2
    exit 1
  fi
  echo "azurite.sh: installing the pinned Azurite (npm ci in tools/azurite)" >&2
  # The lock file pins every package; engine warnings (azurite wants node >= 22) are expected on node 20 and harmless.
  (cd "$pkg" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

if ! installed; then
  echo "azurite.sh: npm ci finished but $pkg/node_modules/.bin/azurite or .package-lock.json is missing" >&2
  exit 1
fi

$install_only && exit 0

args=(--silent --disableTelemetry --skipApiVersionCheck --loose
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1
  --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port")
if [ -n "$location" ]; then
  mkdir -p "$location"
  args+=(--location "$location")
else
  args+=(--inMemoryPersistence)
fi

if $foreground; then
  exec "$pkg/node_modules/.bin/azurite" "${args[@]}"
fi

"$pkg/node_modules/.bin/azurite" "${args[@]}" >"${log_file:-/dev/null}" 2>&1 &
pid=$!
[ -n "$pid_file" ] && echo "$pid" >"$pid_file"

for port in "$blob_port" "$queue_port" "$table_port"; do
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue 2
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "azurite.sh: azurite exited before port $port answered${log_file:+ (log: $log_file)}" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "azurite.sh: port $port did not answer within 30 s; stopping azurite (pid $pid)" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
done

key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
echo "azurite pid $pid"
echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
