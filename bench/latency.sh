#!/usr/bin/env bash
# The worker's own tail latency (issue 21.5): loadworker `run` and wrk --latency, one after the
# other, at the same connections against a server that answers every request after exactly
# DELAY ms (bench/latency/delay-server.c, one epoll thread pinned to core 0; the generator pinned
# to core 1). The server measures its own lateness (answer written − deadline), so a tail that is
# the server's shows in its columns. Rounds are interleaved; the table shows each run and the
# medians of loadworker ÷ wrk for p99, p99.9 and max (latency in ms: wrk's exact figures from its
# histogram, the worker's from its --json report, Locust's rounded buckets; max exact for both).
# Both whole runs: the worker's includes its users' start (their first request connects, as in
# Locust), wrk's starts timing once connected.
# usage: bench/latency.sh   env: DURATION=10 ROUNDS=3 USERS=1000 DELAY=20 PORT=28401 GENERATORS="loadworker wrk" BASELINE= TRY_ENV=
# TRY_ENV="NAME=value ..." adds "loadworker+env": this checkout's loadworker with that environment (e.g. BUN_GC_TIMER_DISABLE=1).
# BASELINE=<dir> adds "baseline": loadworker from another checkout (git archive <commit> src bench package.json | tar -x -C <dir>; ln -s $PWD/node_modules <dir>/).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
USERS=${USERS:-1000}
DELAY=${DELAY:-20}
PORT=${PORT:-28401}
GENERATORS=${GENERATORS:-"loadworker wrk"}
BASELINE=${BASELINE:-}
TRY_ENV=${TRY_ENV:-}
[ -z "$BASELINE" ] || GENERATORS="$GENERATORS baseline"
[ -z "$TRY_ENV" ] || GENERATORS="$GENERATORS loadworker+env"
[ -z "$BASELINE" ] || [ -f "$BASELINE/src/main.ts" ] || { echo "error: BASELINE=$BASELINE has no src/main.ts" >&2; exit 2; }
BUN=$PWD/node_modules/.bin/bun
OUT=bench/out/latency
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
# A second run in the same minute gets the seconds too, so it does not overwrite the first one's results.
[ ! -e "bench/results/latency-$STAMP.md" ] || STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$OUT" bench/results
ROWS=$OUT/rows-$STAMP.jsonl
: > "$ROWS"

command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }
command -v gcc >/dev/null || { apt-get update && apt-get install -y gcc; }
gcc -O2 -Wall -o "$OUT/delay-server" bench/latency/delay-server.c
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && { echo "error: port $PORT is taken (PORT=)" >&2; exit 2; }
SERVER=""
trap '[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true' EXIT
URL="http://127.0.0.1:$PORT"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# run <generator> <round>: a fresh server per run (its lateness is that run's), one JSON row.
run() {
  local gen=$1 round=$2 tag="$OUT/$1-$2" fields
  taskset -c 0 "$OUT/delay-server" "$PORT" "$DELAY" 2> "$tag.server" &
  SERVER=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
  case $gen in
    wrk) /usr/bin/time -f '%U %S' -o "$tag.cpu" taskset -c 1 wrk -t1 -c"$USERS" -d"${DURATION}s" --latency -s bench/latency/wrk-report.lua "$URL/" > "$tag.log" 2>&1
         fields=$(tail -1 "$tag.log") ;;
    loadworker|baseline|loadworker+env)
         local root=. env=()
         [ "$gen" = baseline ] && root=$BASELINE
         [ "$gen" = loadworker+env ] && read -ra env <<< "$TRY_ENV"
         /usr/bin/time -f '%U %S' -o "$tag.cpu" env "${env[@]}" taskset -c 1 "$BUN" "$root/src/main.ts" run DefaultUser --tasks "$root/bench/workers/tasks" \
           -u "$USERS" -r "$USERS" -t "${DURATION}s" --host "$URL" --json "$tag.json" > "$tag.log" 2>&1
         fields=$("$BUN" -e 'const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).total;
           console.log(JSON.stringify({ requests: t.num_requests, errors: t.num_failures, p50_ms: t.percentiles["50%"], p99_ms: t.percentiles["99%"],
             "p99.9_ms": t.percentiles["99.9%"], max_ms: Math.round(t.max_response_time * 1000) / 1000 }))' "$tag.json") ;;
  esac
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  printf '{"generator":"%s","round":%s,"cpu_s":%s,"load1":%s,"server":%s,"latency":%s}\n' "$gen" "$round" \
    "$(awk '{print $1 + $2}' "$tag.cpu")" "$(cut -d' ' -f1 /proc/loadavg)" "$(tail -1 "$tag.server")" "$fields" | tee -a "$ROWS"
}

for round in $(seq "$ROUNDS"); do for gen in $GENERATORS; do run "$gen" "$round"; done; done
MD=bench/results/latency-$STAMP.md
{
  echo "# Latency bench, $STAMP"
  echo
  echo "Command: \`DURATION=$DURATION ROUNDS=$ROUNDS USERS=$USERS DELAY=$DELAY${BASELINE:+ BASELINE=$BASELINE}${TRY_ENV:+ TRY_ENV=\"$TRY_ENV\"} bash bench/latency.sh\` (commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ', with uncommitted changes'))"
  echo
  echo "delay server ${DELAY} ms, pinned to core 0; generator pinned to core 1; ${USERS} connections; ${DURATION} s per run; $ROUNDS rounds interleaved."
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average before $LOAD0, after $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
  echo
  "$BUN" bench/latency/table.ts "$ROWS"
} > "$MD"
cp "$ROWS" "bench/results/latency-$STAMP.jsonl"
cat "$MD"
