#!/usr/bin/env bash
# Whole Locust workers side by side, one core each, against one nginx, each driven by a real
# Locust master (headless): loadworker, boomer (Go), Locust's own worker (FastHttpUser), and wrk
# as the ceiling. nginx and the master are pinned to core 0, the process under test to core 1.
# Per run: wait for the first request, skip WARM seconds of ramp-up, then sample the worker's
# CPU time (/proc/PID/stat utime+stime) and nginx's request counter (stub_status) at the start and
# end of a WINDOW-second steady window. Rounds are interleaved; bench/workers/table.ts takes medians.
# usage: bash bench/workers/run.sh
# env: USERS="50 500" ROUNDS=3 RUN_TIME=20 WARM=4 WINDOW=12 PORT=28391 MASTER_PORT=28392
#      WORKERS="loadworker boomer locust wrk" NO_BUILD=1 (reuse .build/ binaries)
#      PROFILE=1: loadworker runs from source under `bun --cpu-prof-md` (profiles in bench/out/workers-run/prof)
#      PERF=1: `perf record -g` on the process under test during the window (bench/out/workers-run/perf-*.data);
#      PERF=trace: `perf trace -s` instead, syscall counts per thread (bench/out/workers-run/syscalls-*.txt)
# Profiled runs cost the worker CPU time: use them to find hot spots, not for the table.
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${USERS:-"50 500"}
ROUNDS=${ROUNDS:-3}
RUN_TIME=${RUN_TIME:-20}
WARM=${WARM:-4}
WINDOW=${WINDOW:-12}
PORT=${PORT:-28391}          # unusual ports: a second nginx on a taken port fails, and its load would hit ours
MASTER_PORT=${MASTER_PORT:-28392}
WORKERS=${WORKERS:-"loadworker boomer locust wrk"}
BUN=./node_modules/.bin/bun
LOCUST=./.venv/bin/locust
OUT=bench/out
RUN=${RUN_DIR:-$OUT/workers-run}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$OUT/workers-$STAMP.tsv
HOST="http://127.0.0.1:$PORT"  # no trailing slash: FastHttpUser would request "//"
URL="$HOST/"
TICK=$(getconf CLK_TCK)

(( WARM + WINDOW + 2 <= RUN_TIME )) || { echo "run.sh: WARM+WINDOW+2 must fit in RUN_TIME" >&2; exit 2; }
command -v nginx >/dev/null && command -v wrk >/dev/null || { apt-get update && apt-get install -y nginx wrk; }
[ -x "$LOCUST" ] || { echo "run.sh: no $LOCUST; run scripts/venv.sh (or scripts/test.sh) first" >&2; exit 2; }
if [ -z "${NO_BUILD:-}" ]; then
  "$BUN" scripts/build.ts --tasks bench/workers/tasks --outfile .build/loadworker-bench
  bash bench/workers/boomer/build.sh
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

for port in "$PORT" "$MASTER_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "run.sh: port $port is in use; set PORT=/MASTER_PORT= to free ones" >&2; exit 2; fi
done
rm -rf "$RUN"
# shellcheck source=bench/lib/nginx.sh
source bench/lib/nginx.sh
start_nginx "$RUN" "$PORT" "location = /nginx_status { stub_status; }"
PIDS+=("$NGINX_PID")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/nginx_status" >/dev/null && break; sleep 0.05; done
kill -0 "${PIDS[0]}" 2>/dev/null || { echo "run.sh: nginx did not start; see $RUN/logs/error.log" >&2; exit 1; }
"./.build/loadworker-bench" locustfile --host "$HOST" > "$RUN/master-loadworker.py"
if [ -n "${PROFILE:-}" ]; then  # the compiled binary cannot write a CPU profile: run the same entry from source
  mkdir -p "$RUN/prof"
  printf '%s\n' 'import { runCli } from "../src/cli/main.ts";' 'import * as bench from "../bench/workers/tasks/bench.ts";' \
    'process.exit(await runCli(Object.values(bench), process.argv.slice(2)));' > .build/loadworker-bench-profile.ts
fi

served() { curl -sf "http://127.0.0.1:$PORT/nginx_status" | awk 'NR == 3 {print $3}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }  # utime+stime, all threads
rss_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# stop <pid>: TERM, up to 5 s, then KILL; then forget the pid, so the EXIT trap never signals a reused one.
stop() {
  kill "$1" 2>/dev/null || true
  local _; for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local keep=() p; for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; PIDS=("${keep[@]}")
}

# run <worker> <users> <round>: one headless master + one pinned worker; appends one TSV row.
run() {
  local worker=$1 users=$2 round=$3 tag="$1-$2-$3" master="" pid
  local csv="$RUN/$tag" log="$RUN/logs/$tag"
  local master_file=$RUN/master-loadworker.py
  [ "$worker" = locust ] && master_file=bench/workers/locust/locustfile.py
  if [ "$worker" != wrk ]; then
    taskset -c 0 "$LOCUST" -f "$master_file" --master --headless --expect-workers 1 -u "$users" -r "$users" \
      -t "${RUN_TIME}s" --host "$HOST" --master-bind-host 127.0.0.1 --master-bind-port "$MASTER_PORT" \
      --csv "$csv" --csv-full-history --only-summary --stop-timeout 2 > "$log.master" 2>&1 &
    master=$!; PIDS+=("$master")
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$MASTER_PORT") 2>/dev/null && break; sleep 0.1; done
  fi
  case $worker in
    loadworker) if [ -n "${PROFILE:-}" ]; then
                  taskset -c 1 "$BUN" --cpu-prof-md --cpu-prof-dir "$RUN/prof" --cpu-prof-name "$tag.md" .build/loadworker-bench-profile.ts \
                    --master-host 127.0.0.1 --master-port "$MASTER_PORT" --loglevel warn > "$log.worker" 2>&1 &
                else taskset -c 1 ./.build/loadworker-bench --master-host 127.0.0.1 --master-port "$MASTER_PORT" --loglevel warn > "$log.worker" 2>&1 &
                fi ;;
    boomer) taskset -c 1 ./.build/boomer-bench --master-host 127.0.0.1 --master-port "$MASTER_PORT" --url "$URL" > "$log.worker" 2>&1 & ;;
    locust) taskset -c 1 "$LOCUST" -f bench/workers/locust/locustfile.py --worker --master-host 127.0.0.1 --master-port "$MASTER_PORT" > "$log.worker" 2>&1 & ;;
    wrk) taskset -c 1 wrk -t1 -c"$users" -d"${RUN_TIME}s" "$URL" > "$log.worker" 2>&1 & ;;
  esac
  pid=$!; PIDS+=("$pid")
  local r0; r0=$(served)  # before the worker starts: the whole run's count is compared with the master's
  local i; for i in $(seq 300); do (( $(served) > r0 + i + 10 )) && break; sleep 0.1; done  # first requests (each poll adds one)
  sleep "$WARM"
  local c0 q0 t0 c1 q1 t1
  c0=$(cpu_ticks "$pid"); q0=$(served); t0=$(date +%s.%N)
  case ${PERF:-} in
    "") sleep "$WINDOW" ;;
    trace) perf trace -s -p "$pid" -o "$RUN/syscalls-$tag.txt" -- sleep "$WINDOW" ;;
    *) perf record -q -F 999 -g -p "$pid" -o "$RUN/perf-$tag.data" -- sleep "$WINDOW" 2>/dev/null ;;
  esac
  c1=$(cpu_ticks "$pid"); q1=$(served); t1=$(date +%s.%N)
  local rss hwm; rss=$(rss_kb "$pid" VmRSS); hwm=$(rss_kb "$pid" VmHWM)
  if [ -n "$master" ]; then
    for _ in $(seq $(( (RUN_TIME + 15) * 10 ))); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
    stop "$master"
  fi
  stop "$pid"
  local rend; rend=$(served)
  # The master's own count for the whole run (Aggregated row), as a cross-check of nginx's count.
  local mreq=- mfail=-
  if [ -f "${csv}_stats.csv" ]; then
    mreq=$(awk -F, '$2 ~ /Aggregated/ {print $3}' "${csv}_stats.csv"); mfail=$(awk -F, '$2 ~ /Aggregated/ {print $4}' "${csv}_stats.csv")
  fi
  awk -v w="$worker" -v u="$users" -v r="$round" -v q="$((q1 - q0 - 1))" -v c="$((c1 - c0))" -v tk="$TICK" \
      -v t0="$t0" -v t1="$t1" -v rss="$rss" -v hwm="$hwm" -v mr="${mreq:--}" -v mf="${mfail:--}" -v nt="$((rend - r0))" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%s\t%s\t%s\t%d\t%.3f\t%.2f\t%d\t%d\t%s\t%s\t%d\t%s\n", w, u, r, q, t1 - t0, c / tk, rss, hwm, mr, mf, nt, la }' | tee -a "$RESULTS"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'worker\tusers\tround\trequests\twall_s\tcpu_s\trss_kb\thwm_kb\tmaster_requests\tmaster_failures\tnginx_run_requests\tload1\n' > "$RESULTS"
for round in $(seq "$ROUNDS"); do
  for users in $USERS; do for worker in $WORKERS; do run "$worker" "$users" "$round"; done; done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

TABLE=$OUT/workers-$STAMP.md
{
  echo "Command: \`$(printf '%s ' USERS="\"$USERS\"" ROUNDS=$ROUNDS RUN_TIME=$RUN_TIME WARM=$WARM WINDOW=$WINDOW)bash bench/workers/run.sh\`"
  echo
  echo "nginx (1 worker) and the Locust master pinned to core 0; the worker under test (or wrk) pinned to core 1."
  echo "Headless master \`-u N -r N -t ${RUN_TIME}s\`; window: ${WINDOW}s after ${WARM}s past the first request; $ROUNDS rounds interleaved."
  echo "Requests counted by nginx (stub_status) in the window; CPU = the worker process's utime+stime in the window."
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average: before $LOAD0, after $LOAD1; $(date -u)"
  echo
  "$BUN" bench/workers/table.ts "$RESULTS"
} > "$TABLE"
echo
cat "$TABLE"
echo "raw: $RESULTS  table: $TABLE  logs: $RUN/logs"
