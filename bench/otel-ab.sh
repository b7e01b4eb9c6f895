#!/usr/bin/env bash
# --otel's cost standalone, side by side: the compiled bench worker (`run DefaultUser`, no master)
# on core 1 with --otel off, with --otel, and a baseline binary with --otel, interleaved round by
# round (the order rotating), against nginx and a real OpenTelemetry Collector (scripts/lib/otelcol.sh, debug exporter)
# on core 0. Requests are nginx's count over a 9 s window (4 s after start); CPU is the worker
# process's (every thread: Bun's HTTP client thread posts `fetch` spans) over the same window.
# usage: BASE_BIN=<binary> bench/otel-ab.sh   env: USERS=1000 ROUNDS=4 PORT=34391 OTEL_PORT=34394 NO_BUILD= TLS= SINK=
# SINK=1: a second nginx on core 0 answers every OTLP POST with an empty 200 instead of the collector.
# The worker encodes and posts every span as before; what goes is the collector's decoding on nginx's
# core (~12% of nginx's CPU at 1,000 users), which slows the target and so raises the worker's cost per
# request (fewer responses per wake-up) in the `on` runs only. Both figures are the worker's: with the
# collector, as a two-core machine runs them; with the sink, its own cost alone.
# TLS=1: the collector's receiver behind TLS (a self-signed certificate made here), the worker trusting
# it by OTEL_EXPORTER_OTLP_CERTIFICATE and exporting to https://.
# A baseline binary: git worktree add /tmp/base <commit>; (cd /tmp/base && ln -s <this>/node_modules
#   && ./node_modules/.bin/bun scripts/build.ts --tasks bench/workers/tasks --outfile /tmp/loadworker-base)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_BIN=${BASE_BIN:?set BASE_BIN to a bench worker built from the baseline commit (see the head of this file)}
USERS=${USERS:-1000}
ROUNDS=${ROUNDS:-4}
PORT=${PORT:-34391}
OTEL_PORT=${OTEL_PORT:-34394}
RUN=bench/out/otel-ab
BIN=./.build/loadworker-bench
[ -n "${NO_BUILD:-}" ] || ./node_modules/.bin/bun scripts/build.ts --tasks bench/workers/tasks --outfile "$BIN"
for port in "$PORT" "$OTEL_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "otel-ab.sh: port $port is in use; set PORT=/OTEL_PORT= to free ones" >&2; exit 2; fi
done
rm -rf "$RUN"
# shellcheck source=bench/lib/nginx.sh
source bench/lib/nginx.sh
start_nginx "$RUN" "$PORT" "location = /nginx_status { stub_status; }"
NGINX=$NGINX_PID
SCHEME=http
TLS_CONFIG=
if [ -n "${TLS:-}" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$RUN/otel-key.pem" -out "$RUN/otel-cert.pem" 2>/dev/null
  SCHEME=https
  TLS_CONFIG=", tls: {cert_file: \"$PWD/$RUN/otel-cert.pem\", key_file: \"$PWD/$RUN/otel-key.pem\"}"
  export OTEL_EXPORTER_OTLP_CERTIFICATE="$PWD/$RUN/otel-cert.pem"
fi
if [ -n "${SINK:-}" ]; then
  [ -z "${TLS:-}" ] || { echo "otel-ab.sh: SINK=1 is plain http; unset TLS" >&2; exit 2; }
  start_nginx "$RUN/sink" "$OTEL_PORT" "location /v1/ { client_max_body_size 64m; return 200; }"
  COLLECTOR=$NGINX_PID
else
  printf 'receivers: {otlp: {protocols: {http: {endpoint: "127.0.0.1:%s"%s}}}}\nexporters: {debug: {verbosity: basic}}\nservice:\n  telemetry: {metrics: {level: none}}\n  pipelines:\n    metrics: {receivers: [otlp], exporters: [debug]}\n    traces: {receivers: [otlp], exporters: [debug]}\n    logs: {receivers: [otlp], exporters: [debug]}\n' "$OTEL_PORT" "$TLS_CONFIG" >"$RUN/otelcol.yaml"
  taskset -c 0 "$(scripts/lib/otelcol.sh)" --config "$RUN/otelcol.yaml" >"$RUN/otelcol.log" 2>&1 &
  COLLECTOR=$!
fi
trap 'kill "$NGINX" "$COLLECTOR" 2>/dev/null || true; wait "$NGINX" "$COLLECTOR" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$OTEL_PORT") 2>/dev/null && break; sleep 0.1; done
served() { curl -s "http://127.0.0.1:$PORT/nginx_status" | awk 'NR==3{print $3}'; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
echo "USERS=$USERS ROUNDS=$ROUNDS SCHEME=$SCHEME SINK=${SINK:-0}; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
printf 'round\tworker\treq_per_cpu_s\tspans_dropped\texport_warnings\tload1\n'
one() { # round name binary otel(0|1)
  local args=(run DefaultUser -u "$USERS" -r "$USERS" -t 16s --host "http://127.0.0.1:$PORT" --loglevel warn)
  [ "$4" = 1 ] && args+=(--otel)
  OTEL_EXPORTER_OTLP_ENDPOINT="$SCHEME://127.0.0.1:$OTEL_PORT" OTEL_METRIC_EXPORT_INTERVAL=5000 \
    taskset -c 1 "$3" "${args[@]}" >"$RUN/$2-$1.log" 2>&1 &
  local pid=$!
  sleep 4
  local c0 n0 c1 n1
  c0=$(ticks $pid) n0=$(served)
  sleep 9
  c1=$(ticks $pid) n1=$(served)
  wait $pid || true
  local dropped
  dropped=$(grep -o '[0-9]* of [0-9]* spans were dropped' "$RUN/$2-$1.log" | cut -d' ' -f1 || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(((n1 - n0) * HZ / (c1 - c0)))" "${dropped:-0}" \
    "$(grep -c 'OpenTelemetry:' "$RUN/$2-$1.log" || true)" "$(cut -d' ' -f1 /proc/loadavg)"
}
# The order rotates round by round: a run right after an --otel run starts while the collector (on
# nginx's core) still works off that run's spans, and read ~0.1 lower with the very same binary.
for round in $(seq "$ROUNDS"); do
  case $((round % 3)) in
    1) order="off on base-on" ;;
    2) order="on base-on off" ;;
    0) order="base-on off on" ;;
  esac
  for worker in $order; do
    case $worker in
      off) one "$round" off "$BIN" 0 ;;
      on) one "$round" on "$BIN" 1 ;;
      base-on) one "$round" base-on "$BASE_BIN" 1 ;;
    esac
  done
done
