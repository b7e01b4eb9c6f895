#!/usr/bin/env bash
# HTTP/2 bench (issue 19.2), against one nginx on core 0 with the generators on core 1:
#  1. our HTTP/2 vs our HTTP/1.1, requests per CPU-second, bursts alternating in one process
#     (bench/h2-ab.ts): over TLS (h2 by ALPN vs HTTP/1.1 over TLS) and cleartext (h2c vs HTTP/1.1),
#     50 users with one call in flight each, and 1 user with 100 streams in flight;
#  2. h2load (nghttp2) at 1 connection x 100 streams vs our client with 1 user x 100 calls in flight.
# usage: bench/h2.sh   env: PAIRS=20 BURST_MS=400 PORT=18091 (and PORT+1..+3) H2LOAD_N=100000
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-20}
BURST_MS=${BURST_MS:-400}
PORT=${PORT:-18091}
TLS_H2=$((PORT + 1)) TLS_H1=$((PORT + 2)) H2C=$((PORT + 3))
H2LOAD_N=${H2LOAD_N:-100000}
scripts/lib/nginx.sh >/dev/null
run=bench/out/nginx-h2
mkdir -p "$run"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$run/key.pem" -out "$run/cert.pem" 2>/dev/null
# shellcheck source=bench/lib/nginx.sh
source bench/lib/nginx.sh
start_nginx "$run" "$PORT" "listen 127.0.0.1:$TLS_H2 ssl http2; listen 127.0.0.1:$TLS_H1 ssl; listen 127.0.0.1:$H2C http2;
    ssl_certificate $PWD/$run/cert.pem; ssl_certificate_key $PWD/$run/key.pem; http2_max_concurrent_streams 1000;"
trap 'kill "$NGINX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$TLS_H2") 2>/dev/null && break; sleep 0.05; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
bun=./node_modules/.bin/bun
for shape in "50 1" "1 100"; do
  read -r users per <<<"$shape"
  taskset -c 1 $bun bench/h2-ab.ts "https://127.0.0.1:$TLS_H2" "https://127.0.0.1:$TLS_H1" true "$users" "$per" "$PAIRS" "$BURST_MS"
  taskset -c 1 $bun bench/h2-ab.ts "http://127.0.0.1:$H2C" "http://127.0.0.1:$PORT" h2c "$users" "$per" "$PAIRS" "$BURST_MS"
done
# h2load's requests per CPU-second: its user and system seconds from bash's `time`.
for url in "https://127.0.0.1:$TLS_H2/" "http://127.0.0.1:$H2C/"; do
  out=$( { TIMEFORMAT='%U %S'; time taskset -c 1 h2load -n "$H2LOAD_N" -c 1 -m 100 "$url" >"$run/h2load.out" 2>&1; } 2>&1 )
  read -r user sys <<<"$out"
  done_n=$(grep -Eo '[0-9]+ succeeded' "$run/h2load.out" | grep -Eo '[0-9]+')
  echo "{\"h2load\":\"$url\",\"connections\":1,\"streams\":100,\"requests\":$done_n,\"reqPerCpuS\":$(awk -v n="$done_n" -v u="$user" -v s="$sys" 'BEGIN{printf "%d", n/(u+s)}')}"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
