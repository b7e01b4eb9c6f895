#!/usr/bin/env bash
# feeder().next() per task vs without, requests per CPU-second in one run (bench/data/feeder-ab.ts),
# against nginx on core 0 with the generator on core 1, as bench/http-ab.sh does.
# usage: bench/data/feeder-ab.sh   env: USERS="50 1000" PAIRS=30 BURST_MS=500 ORDER=unique PORT=18082
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${USERS:-"50 1000"}
PAIRS=${PAIRS:-30}
BURST_MS=${BURST_MS:-500}
ORDER=${ORDER:-unique}
PORT=${PORT:-18082}
command -v nginx >/dev/null || { apt-get update && apt-get install -y nginx; }
# shellcheck source=bench/lib/nginx.sh
source bench/lib/nginx.sh
start_nginx bench/out/nginx-feeder "$PORT"
trap 'kill "$NGINX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
for users in $USERS; do
  taskset -c 1 ./node_modules/.bin/bun bench/data/feeder-ab.ts "http://127.0.0.1:$PORT/" "$users" "$PAIRS" "$BURST_MS" "$ORDER"
done
