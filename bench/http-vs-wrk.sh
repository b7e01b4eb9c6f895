#!/usr/bin/env bash
# Our HTTP client vs wrk (and Bun's fetch, for reference) against nginx on loopback, one core
# each: nginx pinned to core 0, the load generator to core 1. Throughput is requests per
# CPU-second of the generator, not wall time: getrusage of the load window for the Bun drivers
# (process.cpuUsage; Bun's ~0.1 s start-up is a one-off a load test does not pay per request),
# getrusage of the whole process for wrk (/usr/bin/time). Both figures are kept in the raw TSV.
# Rounds are interleaved and the table shows medians, because a shared machine is noisy.
# A/B: BASELINE=<dir> adds the generator "baseline", the client of another checkout (e.g.
# `git archive <commit> src bench | tar -x -C <dir>`), run interleaved with "client".
# "raw" is the runtime's floor (Bun.connect writing a fixed GET on every chunk: no parser, no promise).
# usage: bench/http-vs-wrk.sh   env: DURATION=10 ROUNDS=3 CONNS="50 1000" PORT=18080 GENERATORS="wrk client fetch" BASELINE=
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-"50 1000"}
PORT=${PORT:-18080}
GENERATORS=${GENERATORS:-"wrk client fetch"}
BASELINE=${BASELINE:-}
[ -z "$BASELINE" ] || [ -f "$BASELINE/bench/http-load.ts" ] || { echo "error: BASELINE=$BASELINE has no bench/http-load.ts" >&2; exit 2; }
BUN=./node_modules/.bin/bun
OUT=bench/out
RUN=$OUT/nginx
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$OUT/http-vs-wrk-$STAMP.tsv

command -v nginx >/dev/null && command -v wrk >/dev/null || { apt-get update && apt-get install -y nginx wrk; }
# shellcheck source=bench/lib/nginx.sh
source bench/lib/nginx.sh
start_nginx "$RUN" "$PORT"
NGINX=$NGINX_PID
trap 'kill "$NGINX" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
URL="http://127.0.0.1:$PORT/"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# run <generator> <connections>: prints "generator conns requests wall_s cpu_s" to the results.
run() {
  local gen=$1 conns=$2 log="$OUT/last-$1-$2.log" cpu="$OUT/last-$1-$2.cpu" requests wall window
  case $gen in
    wrk) /usr/bin/time -f '%U %S' -o "$cpu" taskset -c 1 wrk -t1 -c"$conns" -d"${DURATION}s" "$URL" > "$log" 2>&1
         requests=$(awk '/requests in/ {print $1}' "$log")
         wall=$(awk '/requests in/ {sub(/s,$/, "", $4); print $4}' "$log") ;;
    client|fetch|raw|baseline)
         local script=bench/http-load.ts mode=$gen
         [ "$gen" = baseline ] && { script=$BASELINE/bench/http-load.ts; mode=client; }
         /usr/bin/time -f '%U %S' -o "$cpu" taskset -c 1 "$BUN" "$script" "$mode" "$URL" "$conns" "$DURATION" > "$log" 2>&1
         requests=$(grep -o '"requests":[0-9]*' "$log" | cut -d: -f2)
         wall=$(grep -o '"wallSec":[0-9.]*' "$log" | cut -d: -f2)
         window=$(grep -o '"cpuSec":[0-9.]*' "$log" | cut -d: -f2) ;;
  esac
  local total; total=$(awk '{print $1 + $2}' "$cpu")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$gen" "$conns" "${requests:-0}" "${wall:-0}" "${window:-$total}" "$total" | tee -a "$RESULTS"
}

printf 'generator\tconns\trequests\twall_s\tcpu_s\tprocess_cpu_s\n' > "$RESULTS"
for conns in $CONNS; do
  for _ in $(seq "$ROUNDS"); do for gen in $GENERATORS; do run "$gen" "$conns"; done; done
done

TABLE=$OUT/http-vs-wrk-$STAMP.md
{
  echo "nginx: 1 worker pinned to core 0; generator pinned to core 1; ${DURATION}s per run, $ROUNDS rounds interleaved;"
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average before: $LOAD; $(date -u)"
  echo
  "$BUN" bench/table.ts "$RESULTS"
} > "$TABLE"
echo
cat "$TABLE"
echo "raw: $RESULTS  table: $TABLE"
