#!/usr/bin/env bash
# Whole Locust workers side by side, each driven by a real Locust master: loadworker, launce (Go),
# boomer (Go), Locust's own worker (FastHttpUser), and wrk as the ceiling. nginx and the master
# are pinned to core 0, the process under test to core 1 (`loadworker-p2`, two processes, gets
# both cores). Three modes: http (GET / on nginx, no wait), record (tasks only record a success:
# no HTTP, no wait), idle (one GET, then an hour's wait: memory per idle user). Per run: wait for
# the first samples, skip WARM seconds, then sample the worker's CPU time (/proc/PID/stat
# utime+stime, its child processes included), nginx's request counter (stub_status) and the
# master's request total (web API) at the start and end of a WINDOW-second steady window.
# Rounds are interleaved; bench/workers/table.ts takes medians and writes bench/results/.
# usage: bash bench/workers/run.sh          (README.md has the knobs, the method and the caveats)
set -euo pipefail
cd "$(dirname "$0")/../.."
MODES=${MODES:-"http record idle startup"}
USERS=${USERS:-"50 1000 10000"}
WORKERS=${WORKERS:-"loadworker launce boomer locust wrk"}
RECORD_USERS=${RECORD_USERS:-"100 10000"}
RECORD_WORKERS=${RECORD_WORKERS:-"loadworker loadworker-p2 launce boomer"}
IDLE_USERS=${IDLE_USERS:-"100 10000"}
IDLE_WORKERS=${IDLE_WORKERS:-"loadworker launce boomer"}
ROUNDS=${ROUNDS:-2}
RUN_TIME=${RUN_TIME:-20}
WARM=${WARM:-4}
WINDOW=${WINDOW:-12}         # a multiple of the workers' 3 s report interval: the master's count moves in steps
PORT=${PORT:-28391}          # unusual ports: a second nginx on a taken port fails, and its load would hit ours
MASTER_PORT=${MASTER_PORT:-28392}
WEB_PORT=${WEB_PORT:-28393}
OTEL_PORT=${OTEL_PORT:-28394}   # loadworker-otel's collector (OTLP/HTTP)
BUN=./node_modules/.bin/bun
LOCUST=./.venv/bin/locust
PY=./.venv/bin/python
OUT=bench/out
RUN=${RUN_DIR:-$OUT/workers-run}
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
# A second run in the same minute gets the seconds too, so it does not overwrite the first one's results.
[ ! -e "bench/results/$STAMP.md" ] && [ ! -e "$OUT/workers-$STAMP.tsv" ] || STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
RESULTS=$OUT/workers-$STAMP.tsv
HOST="http://127.0.0.1:$PORT"  # no trailing slash: FastHttpUser would request "//"
URL="$HOST/"
TICK=$(getconf CLK_TCK)

(( WARM + WINDOW + 2 <= RUN_TIME )) || { echo "run.sh: WARM+WINDOW+2 must fit in RUN_TIME" >&2; exit 2; }
command -v nginx >/dev/null && command -v wrk >/dev/null || { apt-get update && apt-get install -y nginx wrk; }
command -v go >/dev/null || { echo "run.sh: no go; install Go $(awk '$1 == "go" {print $2}' bench/workers/launce/go.mod) (https://go.dev/dl/) for launce and boomer" >&2; exit 2; }
[ -x "$LOCUST" ] || { echo "run.sh: no $LOCUST; run scripts/lib/venv.sh (or scripts/test.sh) first" >&2; exit 2; }
mkdir -p "$OUT" "$RUN" .build
BUILD_FAILED=" "   # generators whose build failed: their runs show as failed, the others go on
if [ -z "${NO_BUILD:-}" ]; then
  "$BUN" scripts/build.ts --tasks bench/workers/tasks --outfile .build/loadworker-bench || BUILD_FAILED+="loadworker loadworker-p2 "
  bash bench/workers/boomer/build.sh || BUILD_FAILED+="boomer "
  bash bench/workers/launce/build.sh || BUILD_FAILED+="launce "
fi

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in "$PORT" "$MASTER_PORT" "$WEB_PORT" "$OTEL_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "run.sh: port $port is in use; set PORT=/MASTER_PORT=/WEB_PORT= to free ones" >&2; exit 2; fi
done
rm -rf "$RUN"
# shellcheck source=bench/lib/nginx.sh
source bench/lib/nginx.sh
start_nginx "$RUN" "$PORT" "location = /nginx_status { stub_status; }"
PIDS+=("$NGINX_PID")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/nginx_status" >/dev/null && break; sleep 0.05; done
kill -0 "${PIDS[0]}" 2>/dev/null || { echo "run.sh: nginx did not start; see $RUN/logs/error.log" >&2; exit 1; }
# loadworker-otel: the same binary with --otel, exporting every 5 s (metrics) to a real collector
# (scripts/lib/otelcol.sh; debug exporter, one line per batch) pinned to core 0; OTEL_ENV adds variables (a sampler).
if [[ " $WORKERS " == *" loadworker-otel "* || " $WORKERS " == *" loadworker-base-otel "* ]]; then
  printf 'receivers: {otlp: {protocols: {http: {endpoint: "127.0.0.1:%s"}}}}\nexporters: {debug: {verbosity: basic}}\nservice:\n  telemetry: {metrics: {level: none}}\n  pipelines:\n    metrics: {receivers: [otlp], exporters: [debug]}\n    traces: {receivers: [otlp], exporters: [debug]}\n    logs: {receivers: [otlp], exporters: [debug]}\n' "$OTEL_PORT" > "$RUN/otelcol.yaml"
  taskset -c 0 "$(scripts/lib/otelcol.sh)" --config "$RUN/otelcol.yaml" > "$RUN/otelcol.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$OTEL_PORT") 2>/dev/null && break; sleep 0.1; done
fi
# The masters only need the class names; loadworker-bench runs DefaultUser (tasks/bench.ts),
# RecordUser and IdleUser; launce registers the one asked for; boomer runs its one task.
for class in DefaultUser RecordUser IdleUser; do
  printf 'from locust import User, task\n\n\nclass %s(User):\n    @task\n    def run_in_worker(self):\n        pass\n' "$class" > "$RUN/master-$class.py"
done
# The compiled binary cannot write a CPU profile: PROFILE=1 runs the same tasks from source (src/main.ts --tasks).
[ -z "${PROFILE:-}" ] || mkdir -p "$RUN/prof"

served() { curl -sf "http://127.0.0.1:$PORT/nginx_status" | awk 'NR == 3 {print $3}'; }
# The master's request total (Aggregated) from its web API; 0 while it has none.
mastered() { curl -sf "http://127.0.0.1:$WEB_PORT/stats/requests" 2>/dev/null | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["stats"][-1]["num_requests"])' 2>/dev/null || echo 0; }
tree() { echo "$1"; pgrep -P "$1" || true; }  # the process and its children (loadworker --processes)
cpu_ticks() { local p t=0; for p in $(tree "$1"); do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; echo "$t"; }
rss_kb() { local p t=0; for p in $(tree "$1"); do t=$(( t + $(awk -v k="$2:" '$1 == k {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) )); done; echo "$t"; }
# stop <pid>: TERM, up to 5 s, then KILL; then forget the pid, so the EXIT trap never signals a reused one.
stop() {
  kill "$1" 2>/dev/null || true
  local _; for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local keep=() p; for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; PIDS=("${keep[@]}")
}
row() {  # mode worker users round status count nginx master wall cpu rss hwm master_run master_fail nginx_run
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RESULTS"
}

# run <mode> <worker> <users> <round>: one master (web API, autostart) + the worker; appends one TSV row.
run() {
  local mode=$1 worker=$2 users=$3 round=$4 tag="$1-$2-$3-$4" master="" pid status=ok
  local csv="$RUN/$tag" log="$RUN/logs/$tag" class=DefaultUser nworkers=1 run_time=$RUN_TIME
  # record: the master sees the first samples with the first report, up to 3 s after the spawn
  case $mode in record) class=RecordUser; run_time=$((RUN_TIME + 4)) ;; idle) class=IdleUser ;; esac
  local master_file=$RUN/master-$class.py
  [ "$worker" = locust ] && master_file=bench/workers/locust/locustfile.py
  [ "$worker" = loadworker-p2 ] && nworkers=2
  if [[ "$worker" == loadworker-base* ]] && [ ! -x "${BASE_BIN:-}" ]; then row "$mode" "$worker" "$users" "$round" "failed: BASE_BIN" 0 0 0 0 0 0 0 - - 0; return; fi
  if [[ "$BUILD_FAILED" == *" $worker "* ]]; then row "$mode" "$worker" "$users" "$round" "failed: build" 0 0 0 0 0 0 0 - - 0; return; fi
  if [ "$worker" != wrk ]; then
    taskset -c 0 "$LOCUST" -f "$master_file" --master --autostart --autoquit 0 --web-host 127.0.0.1 --web-port "$WEB_PORT" \
      --expect-workers "$nworkers" -u "$users" -r "$users" -t "${run_time}s" --host "$HOST" --master-bind-host 127.0.0.1 \
      --master-bind-port "$MASTER_PORT" --csv "$csv" --only-summary --stop-timeout 2 > "$log.master" 2>&1 &
    master=$!; PIDS+=("$master")
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$MASTER_PORT") 2>/dev/null && break; sleep 0.1; done
  fi
  local lw=./.build/loadworker-bench
  [ -n "${PROFILE:-}" ] && lw="$BUN --cpu-prof-md --cpu-prof-dir $RUN/prof --cpu-prof-name $tag.md src/main.ts --tasks bench/workers/tasks"
  local to=(--master-host 127.0.0.1 --master-port "$MASTER_PORT")
  case $worker in
    loadworker) taskset -c 1 $lw "${to[@]}" --loglevel warn > "$log.worker" 2>&1 & ;;
    loadworker-base) taskset -c 1 "$BASE_BIN" "${to[@]}" --loglevel warn > "$log.worker" 2>&1 & ;;
    loadworker-p2) taskset -c 0,1 $lw "${to[@]}" --loglevel warn --processes 2 > "$log.worker" 2>&1 & ;;
    loadworker-otel) taskset -c 1 env OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTEL_PORT" OTEL_METRIC_EXPORT_INTERVAL=5000 ${OTEL_ENV:-} \
      $lw "${to[@]}" --loglevel warn --otel > "$log.worker" 2>&1 & ;;
    loadworker-base-otel) taskset -c 1 env OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTEL_PORT" OTEL_METRIC_EXPORT_INTERVAL=5000 ${OTEL_ENV:-} \
      "$BASE_BIN" "${to[@]}" --loglevel warn --otel > "$log.worker" 2>&1 & ;;
    launce) taskset -c 1 ./.build/launce-bench "${to[@]}" --url "$URL" --class "$class" --mode "$mode" > "$log.worker" 2>&1 & ;;
    boomer) taskset -c 1 ./.build/boomer-bench "${to[@]}" --url "$URL" --mode "$mode" > "$log.worker" 2>&1 & ;;
    locust) taskset -c 1 "$LOCUST" -f bench/workers/locust/locustfile.py --worker "${to[@]}" > "$log.worker" 2>&1 & ;;
    wrk) taskset -c 1 wrk -t1 -c"$users" -d"${RUN_TIME}s" "$URL" > "$log.worker" 2>&1 & ;;
  esac
  pid=$!; PIDS+=("$pid")
  local r0; r0=$(served)  # before the worker starts: the whole run's count is compared with the master's
  local i started=""
  for i in $(seq 300); do  # the first samples (each nginx poll adds one), 30 s at most
    if [ "$mode" = record ]; then (( $(mastered) > 0 )) && started=1; else (( $(served) > r0 + i + 10 )) && started=1; fi
    [ -n "$started" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$started" ] || status="failed: no samples within 30 s"
  sleep "$WARM"
  local c0 q0 m0 t0 c1 q1 m1 t1
  c0=$(cpu_ticks "$pid"); q0=$(served); m0=$(mastered); t0=$(date +%s.%N)
  case ${PERF:-} in
    "") sleep "$WINDOW" ;;
    trace) perf trace -s -p "$pid" -o "$RUN/syscalls-$tag.txt" -- sleep "$WINDOW" ;;
    *) perf record -q -F 999 -g -p "$pid" -o "$RUN/perf-$tag.data" -- sleep "$WINDOW" 2>/dev/null ;;
  esac
  c1=$(cpu_ticks "$pid"); q1=$(served); m1=$(mastered); t1=$(date +%s.%N)
  local rss hwm; rss=$(rss_kb "$pid" VmRSS); hwm=$(rss_kb "$pid" VmHWM)
  kill -0 "$pid" 2>/dev/null || status="failed: the worker exited (see $log.worker)"
  [ -z "$master" ] || kill -0 "$master" 2>/dev/null || status="failed: the master ended before the window did (raise RUN_TIME)"
  if [ -n "$master" ]; then
    for _ in $(seq $(( (run_time + 15) * 10 ))); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
    stop "$master"
  fi
  stop "$pid"
  local rend; rend=$(served)
  # The master's own count for the whole run (Aggregated row), as a cross-check of nginx's count.
  local mreq=- mfail=-
  if [ -f "${csv}_stats.csv" ]; then
    mreq=$(awk -F, '$2 ~ /Aggregated/ {print $3}' "${csv}_stats.csv"); mfail=$(awk -F, '$2 ~ /Aggregated/ {print $4}' "${csv}_stats.csv")
  fi
  local nginx=$((q1 - q0 - 1)) count
  count=$([ "$mode" = record ] && echo $((m1 - m0)) || echo "$nginx")
  [ "$status" = ok ] && (( count <= 0 )) && [ "$mode" != idle ] && status="failed: nothing counted"
  row "$mode" "$worker" "$users" "$round" "$status" "$count" "$nginx" "$((m1 - m0))" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')" \
    "$(awk -v c="$((c1 - c0))" -v tk="$TICK" 'BEGIN {printf "%.2f", c / tk}')" "$rss" "$hwm" "${mreq:--}" "${mfail:--}" "$((rend - r0))"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'mode\tworker\tusers\tround\tstatus\tcount\tnginx\tmaster\twall_s\tcpu_s\trss_kb\thwm_kb\tmaster_requests\tmaster_failures\tnginx_run_requests\tload1\n' > "$RESULTS"
for round in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    case $mode in
      http) for users in $USERS; do for worker in $WORKERS; do run http "$worker" "$users" "$round"; done; done ;;
      record) for users in $RECORD_USERS; do for worker in $RECORD_WORKERS; do run record "$worker" "$users" "$round"; done; done ;;
      idle) for users in $IDLE_USERS; do for worker in $IDLE_WORKERS; do run idle "$worker" "$users" "$round"; done; done ;;
    esac
  done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
STARTUP=""
if [[ " $MODES " == *" startup "* ]]; then
  STARTUP=$OUT/startup-$STAMP.json
  "$BUN" bench/workers/startup.ts > "$STARTUP" || echo '{"failed": "bench/workers/startup.ts failed; see above"}' > "$STARTUP"
fi

RESULTS_DIR=bench/results
[ -z "${PROFILE:-}${PERF:-}" ] || RESULTS_DIR=$RUN  # a profiled run's numbers are not results
mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/$STAMP.md
{
  echo "# Workers bench, $STAMP"
  echo
  echo "Command: \`$(printf '%s ' MODES="\"$MODES\"" USERS="\"$USERS\"" RECORD_USERS="\"$RECORD_USERS\"" IDLE_USERS="\"$IDLE_USERS\"" ROUNDS=$ROUNDS RUN_TIME=$RUN_TIME WARM=$WARM WINDOW=$WINDOW)bash bench/workers/run.sh\`"
  echo
  echo "nginx (1 worker) and the Locust master pinned to core 0; the worker under test (or wrk) pinned to core 1; loadworker-p2 (two processes) on cores 0 and 1."
  echo "Master \`--autostart -u N -r N -t ${RUN_TIME}s\`; window: ${WINDOW}s after ${WARM}s past the first samples; $ROUNDS rounds interleaved."
  echo "http/idle: requests counted by nginx (stub_status) in the window; record: the master's request total (web API) in the window. CPU = the worker's utime+stime (children included) in the window."
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average: before $LOAD0, after $LOAD1; $(date -u)"
  echo
  "$BUN" bench/workers/table.ts "$RESULTS" --json "$RESULTS_DIR/$STAMP.json" ${STARTUP:+--startup "$STARTUP"}
} > "$MD"
echo
cat "$MD"
echo "raw: $RESULTS  results: $MD $RESULTS_DIR/$STAMP.json  logs: $RUN/logs"
