#!/usr/bin/env bash
# Our HTTP client vs wrk (and Bun's fetch, for reference) against nginx on loopback, one core
# each: nginx pinned to core 0, the load generator to core 1. Throughput is requests per
# CPU-second of the generator (getrusage via /usr/bin/time, startup included), not wall time.
# usage: bench/http-vs-wrk.sh            env: DURATION=10 CONNS="50 1000" PORT=18080 GENERATORS="wrk client fetch"
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNS=${CONNS:-"50 1000"}
PORT=${PORT:-18080}
GENERATORS=${GENERATORS:-"wrk client fetch"}
BUN=./node_modules/.bin/bun
OUT=bench/out
RUN=$OUT/nginx
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$OUT/http-vs-wrk-$STAMP.tsv

command -v nginx >/dev/null && command -v wrk >/dev/null || { apt-get update && apt-get install -y nginx wrk; }
mkdir -p "$RUN/logs" "$RUN/html"
printf 'hello from nginx, a small static body for the load generators.\n' > "$RUN/html/index.html"
cat > "$RUN/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile 16384;
error_log $PWD/$RUN/logs/error.log warn;
pid $PWD/$RUN/nginx.pid;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$PORT backlog=4096;
    root $PWD/$RUN/html;
    location / { index index.html; }
  }
}
CONF
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # 1000 connections need ~2000 descriptors
taskset -c 0 nginx -p "$PWD/$RUN" -c "$PWD/$RUN/nginx.conf" -g 'daemon off;' &
NGINX=$!
trap 'kill "$NGINX" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
URL="http://127.0.0.1:$PORT/"

# run <generator> <connections>: prints "generator conns requests wall_s cpu_s" to the results.
run() {
  local gen=$1 conns=$2 log="$OUT/last-$1-$2.log" cpu="$OUT/last-$1-$2.cpu" requests wall
  case $gen in
    wrk) /usr/bin/time -f '%U %S' -o "$cpu" taskset -c 1 wrk -t1 -c"$conns" -d"${DURATION}s" "$URL" > "$log" 2>&1
         requests=$(awk '/requests in/ {print $1}' "$log")
         wall=$(awk '/requests in/ {sub(/s,$/, "", $4); print $4}' "$log") ;;
    client|fetch)
         /usr/bin/time -f '%U %S' -o "$cpu" taskset -c 1 "$BUN" bench/http-load.ts "$gen" "$URL" "$conns" "$DURATION" > "$log" 2>&1
         requests=$(grep -o '"requests":[0-9]*' "$log" | cut -d: -f2)
         wall=$(grep -o '"wallSec":[0-9.]*' "$log" | cut -d: -f2) ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\n' "$gen" "$conns" "${requests:-0}" "${wall:-0}" "$(awk '{print $1 + $2}' "$cpu")" | tee -a "$RESULTS"
}

printf 'generator\tconns\trequests\twall_s\tcpu_s\n' > "$RESULTS"
for conns in $CONNS; do for gen in $GENERATORS; do run "$gen" "$conns"; done; done

# The table: requests per generator CPU-second and its ratio to wrk at the same connection count.
TABLE=$OUT/http-vs-wrk-$STAMP.md
awk -F'\t' 'NR > 1 { key = $2; rps = $3 / $4; rcpu = ($5 > 0 ? $3 / $5 : 0); row[NR] = $0; r[NR] = rcpu; w[NR] = rps
                     if ($1 == "wrk") base[key] = rcpu; n = NR }
  END { printf "| generator | conns | requests | req/s (wall) | CPU s | req/CPU-s | x wrk |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for (i = 2; i <= n; i++) { split(row[i], f, "\t")
          printf "| %s | %s | %d | %.0f | %.2f | %.0f | %s |\n", f[1], f[2], f[3], w[i], f[5], r[i],
                 (base[f[2]] > 0 ? sprintf("%.2f", r[i] / base[f[2]]) : "-") } }' "$RESULTS" > "$TABLE"
echo
echo "nginx: 1 worker on core 0; generators on core 1; ${DURATION}s each; $(nproc) cores; $(date -u)"
cat "$TABLE"
echo "raw: $RESULTS  table: $TABLE"
