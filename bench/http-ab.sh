#!/usr/bin/env bash
# In-process A/B of the HTTP client against a baseline checkout (bench/http-ab.ts), against nginx
# on core 0 with the generator on core 1, as bench/http-vs-wrk.sh does.
# usage: bench/http-ab.sh <baseline-dir>   env: CONNS="50 1000" PAIRS=40 BURST_MS=500 PORT=18081
# A baseline: mkdir /tmp/base && git archive <commit> src | tar -x -C /tmp/base
# H2=1: HTTP/2 over TLS (nginx's `ssl http2` listener on PORT+1, a certificate made here) and h2c
# (PORT+2), both sides' clients with http2 (bench/http-ab.ts HTTP2=), instead of HTTP/1.1.
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
if [ -n "${H2:-}" ]; then
  mkdir -p bench/out/nginx-ab
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
    -keyout bench/out/nginx-ab/key.pem -out bench/out/nginx-ab/cert.pem 2>/dev/null
  start_nginx bench/out/nginx-ab "$PORT" "listen 127.0.0.1:$((PORT + 1)) ssl http2; listen 127.0.0.1:$((PORT + 2)) http2;
    ssl_certificate $PWD/bench/out/nginx-ab/cert.pem; ssl_certificate_key $PWD/bench/out/nginx-ab/key.pem;"
else
  start_nginx bench/out/nginx-ab "$PORT"
fi
trap 'kill "$NGINX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
for conns in $CONNS; do
  if [ -n "${H2:-}" ]; then
    echo "HTTP/2 over TLS"
    HTTP2=1 taskset -c 1 ./node_modules/.bin/bun bench/http-ab.ts "$BASELINE" "https://127.0.0.1:$((PORT + 1))/" "$conns" "$PAIRS" "$BURST_MS"
    echo "h2c"
    HTTP2=h2c taskset -c 1 ./node_modules/.bin/bun bench/http-ab.ts "$BASELINE" "http://127.0.0.1:$((PORT + 2))/" "$conns" "$PAIRS" "$BURST_MS"
  else
    taskset -c 1 ./node_modules/.bin/bun bench/http-ab.ts "$BASELINE" "http://127.0.0.1:$PORT/" "$conns" "$PAIRS" "$BURST_MS"
  fi
done
