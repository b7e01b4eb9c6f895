#!/usr/bin/env bash
# In-process A/B of the HTTP client against a baseline checkout (bench/http-ab.ts), against nginx
# on core 0 with the generator on core 1, as bench/http-vs-wrk.sh does.
# usage: bench/http-ab.sh <baseline-dir>   env: CONNS="50 1000" PAIRS=40 BURST_MS=500 PORT=18081
# A baseline: mkdir /tmp/base && git archive <commit> src | tar -x -C /tmp/base
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINE=${1:?usage: bench/http-ab.sh <baseline-dir>}
CONNS=${CONNS:-"50 1000"}
PAIRS=${PAIRS:-40}
BURST_MS=${BURST_MS:-500}
PORT=${PORT:-18081}
[ -f "$BASELINE/src/http/index.ts" ] || { echo "error: $BASELINE has no src/http/index.ts" >&2; exit 2; }
command -v nginx >/dev/null || { apt-get update && apt-get install -y nginx; }
# shellcheck source=bench/lib/nginx.sh
source bench/lib/nginx.sh
start_nginx bench/out/nginx-ab "$PORT"
trap 'kill "$NGINX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
for conns in $CONNS; do
  taskset -c 1 ./node_modules/.bin/bun bench/http-ab.ts "$BASELINE" "http://127.0.0.1:$PORT/" "$conns" "$PAIRS" "$BURST_MS"
done
