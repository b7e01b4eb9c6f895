#!/usr/bin/env bash
# The open model's rate held (issue 21, goal: within 1% of the asked rate): `loadworker run
# --arrival-rate R` for each rate in RATES against a server that answers every request after
# DELAY ms (bench/latency/delay-server.c, pinned to core 0; the generator pinned to core 1). The
# achieved rate is read from the run's own --json history between SKIP s and the second-last point:
# requests recorded per second (one request per iteration; a dropped iteration never started),
# with the iterations due (requests + dropped) beside it; the ratio is achieved ÷ asked. The
# generator's CPU share (CPU s ÷ run s) says whether it had its core: on a shared machine it may not.
# usage: bench/open-rate.sh   env: RATES="1000 20000" DURATION=20 SKIP=2 DELAY=1 MAX_USERS=2000 PORT=28411
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-"1000 20000"}
DURATION=${DURATION:-20}
SKIP=${SKIP:-2}
DELAY=${DELAY:-1}
MAX_USERS=${MAX_USERS:-2000}
PORT=${PORT:-28411}
BUN=$PWD/node_modules/.bin/bun
OUT=bench/out/open-rate
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
# A second run in the same minute gets the seconds too, so it does not overwrite the first one's results.
[ ! -e "bench/results/open-rate-$STAMP.md" ] || STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$OUT" bench/results
command -v gcc >/dev/null || { apt-get update && apt-get install -y gcc; }
gcc -O2 -Wall -o "$OUT/delay-server" bench/latency/delay-server.c
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && { echo "error: port $PORT is taken (PORT=)" >&2; exit 2; }
SERVER=""
trap '[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true' EXIT
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=$OUT/rows-$STAMP.jsonl
: > "$ROWS"

for rate in $RATES; do
  tag="$OUT/$rate"
  taskset -c 0 "$OUT/delay-server" "$PORT" "$DELAY" 2> "$tag.server" &
  SERVER=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
  /usr/bin/time -f '%U %S' -o "$tag.cpu" taskset -c 1 "$BUN" src/main.ts run getRoot --tasks bench/workers/tasks \
    --arrival-rate "$rate" --max-users "$MAX_USERS" -t "${DURATION}s" --host "http://127.0.0.1:$PORT" --json "$tag.json" > "$tag.log" 2>&1
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  "$BUN" -e '
    const [file, rate, skip, cpu] = process.argv.slice(1);
    const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const h = r.history, t0 = r.started_at;
    const a = h.find((p) => p.time - t0 >= Number(skip)), b = h.at(-2) ?? h.at(-1);
    let dropped = 0; for (const p of h) if (p.time > a.time && p.time <= b.time) dropped += p.dropped_iterations;
    const span = b.time - a.time, achieved = (b.num_requests - a.num_requests) / span, due = achieved + dropped / span;
    console.log(JSON.stringify({ asked: Number(rate), achieved: Math.round(achieved * 10) / 10, due: Math.round(due * 10) / 10, ratio: Math.round((achieved / Number(rate)) * 10000) / 10000,
      window_s: Math.round((b.time - a.time) * 10) / 10, requests: r.total.num_requests, dropped: r.dropped_iterations, late: r.late_iterations,
      p99_ms: r.total.percentiles["99%"], cpu_s: Number(cpu.split(" ").reduce((s, x) => s + Number(x), 0).toFixed(2)) }));
  ' "$tag.json" "$rate" "$SKIP" "$(cat "$tag.cpu")" | tee -a "$ROWS"
done

MD=bench/results/open-rate-$STAMP.md
{
  echo "# Open model: achieved arrival rate vs asked, $STAMP"
  echo
  echo "Command: \`RATES=\"$RATES\" DURATION=$DURATION SKIP=$SKIP DELAY=$DELAY MAX_USERS=$MAX_USERS bash bench/open-rate.sh\` (commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ', with uncommitted changes'))"
  echo
  echo "delay server ${DELAY} ms on core 0, loadworker run on core 1; ${DURATION} s per rate; achieved = requests per second from the run's history, ${SKIP} s in to its second-last point (one request per iteration); due = achieved + dropped per second."
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average before $LOAD0, after $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
  echo
  echo "| asked/s | achieved/s | ratio | due/s | window s | requests | dropped | late | p99 ms | CPU s |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  "$BUN" -e 'for (const line of require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")) { const r = JSON.parse(line);
    console.log(`| ${r.asked} | ${r.achieved} | ${r.ratio} | ${r.due} | ${r.window_s} | ${r.requests} | ${r.dropped} | ${r.late} | ${r.p99_ms} | ${r.cpu_s} |`); }' "$ROWS"
} > "$MD"
cp "$ROWS" "bench/results/open-rate-$STAMP.jsonl"
cat "$MD"
