#!/usr/bin/env bash
# CPU profiles of bench/h2-profile.ts (one side of bench/h2.sh alone) against the same nginx:
# h2c and h2 over TLS, and HTTP/1.1 for comparison, 50 users x 1 call; Bun's --cpu-prof-md
# writes each profile to bench/out/h2-profile/ (the hottest functions, self and total time).
# usage: bench/h2-profile.sh   env: SECONDS_EACH=5 PORT=18191 USERS=50 PER_USER=1
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-5}
PORT=${PORT:-18191}
USERS=${USERS:-50}
PER_USER=${PER_USER:-1}
TLS_H2=$((PORT + 1)) TLS_H1=$((PORT + 2)) H2C=$((PORT + 3))
scripts/lib/nginx.sh >/dev/null
run=bench/out/nginx-h2-profile
out=bench/out/h2-profile
mkdir -p "$run" "$out"
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
for side in "h2c http://127.0.0.1:$H2C" "h1 http://127.0.0.1:$PORT" "h2-tls https://127.0.0.1:$TLS_H2" "h1-tls https://127.0.0.1:$TLS_H1"; do
  read -r name url <<<"$side"
  mode=false
  case $name in h2c) mode=h2c ;; h2-tls) mode=true ;; esac
  taskset -c 1 $bun --cpu-prof-md --cpu-prof-dir="$out" --cpu-prof-name="$name.md" bench/h2-profile.ts "$url" "$mode" "$USERS" "$PER_USER" "$SECONDS_EACH"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
