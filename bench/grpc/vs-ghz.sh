#!/usr/bin/env bash
# ctx.grpc's client vs ghz (github.com/bojand/ghz) at 50 concurrent unary calls against grpc-go's
# helloworld server on loopback: the server pinned to core 0, the load generator to core 1.
# Throughput is calls per CPU-second of the generator: process.cpuUsage over the load window for
# the Bun drivers (bench/grpc/grpc-load.ts), getrusage of the whole process for ghz (/usr/bin/time).
# Two channel layouts: "shared" (one HTTP/2 connection, ghz's default) and "users" (one each, as 50
# loadworker users have; ghz --connections 50). "grpc-js" is @grpc/grpc-js bare, without our layer.
# Rounds are interleaved and the table shows medians: the machine is shared.
# usage: bench/grpc/vs-ghz.sh   env: DURATION=5 ROUNDS=3 CONCURRENCY=50 PORT=50151 GENERATORS="ghz client grpc-js"
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-50}
PORT=${PORT:-50151}
GENERATORS=${GENERATORS:-"ghz client grpc-js"}
BUN=./node_modules/.bin/bun
OUT=bench/out
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$OUT/grpc-vs-ghz-$STAMP.tsv
BIN=$(bench/grpc/build.sh)
TARGET=127.0.0.1:$PORT

taskset -c 0 "$BIN/greeter-server" -addr "$TARGET" > "$OUT/greeter-server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# run <generator> <channels>: appends "generator channels requests wall_s cpu_s process_cpu_s".
run() {
  local gen=$1 channels=$2 log="$OUT/last-grpc-$1-$2.log" cpu="$OUT/last-grpc-$1-$2.cpu" requests wall window=""
  if [ "$gen" = ghz ]; then
    local conns=1; [ "$channels" = users ] && conns=$CONCURRENCY
    /usr/bin/time -f '%U %S' -o "$cpu" taskset -c 1 "$BIN/ghz" --insecure --proto bench/grpc/helloworld.proto \
      --call helloworld.Greeter.SayHello -d '{"name":"bench"}' -c "$CONCURRENCY" --connections "$conns" -z "${DURATION}s" -O json "$TARGET" > "$log" 2>&1
    requests=$(grep -o '"count":[0-9]*' "$log" | head -1 | cut -d: -f2)
    # Wall time from the report's rate (its first "total" is an option, not the duration).
    wall=$(grep -o '"rps":[0-9.]*' "$log" | head -1 | awk -F: -v n="${requests:-0}" '{print ($2 > 0 ? n / $2 : 0)}')
  else
    /usr/bin/time -f '%U %S' -o "$cpu" taskset -c 1 "$BUN" bench/grpc/grpc-load.ts "$gen" "$TARGET" "$CONCURRENCY" "$DURATION" "$channels" > "$log" 2>&1
    requests=$(grep -o '"requests":[0-9]*' "$log" | cut -d: -f2)
    wall=$(grep -o '"wallSec":[0-9.]*' "$log" | cut -d: -f2)
    window=$(grep -o '"cpuSec":[0-9.]*' "$log" | cut -d: -f2)
  fi
  local total; total=$(awk '{print $1 + $2}' "$cpu")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$gen" "$channels" "${requests:-0}" "${wall:-0}" "${window:-$total}" "$total" | tee -a "$RESULTS"
}

printf 'generator\tchannels\trequests\twall_s\tcpu_s\tprocess_cpu_s\n' > "$RESULTS"
for channels in shared users; do
  for _ in $(seq "$ROUNDS"); do for gen in $GENERATORS; do run "$gen" "$channels"; done; done
done

TABLE=$OUT/grpc-vs-ghz-$STAMP.md
{
  echo "greeter-server (grpc-go) pinned to core 0; generator pinned to core 1; $CONCURRENCY concurrent calls; ${DURATION}s per run, $ROUNDS rounds interleaved;"
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average before: $LOAD; $(date -u)"
  echo
  "$BUN" bench/grpc/table.ts "$RESULTS"
} > "$TABLE"
echo
cat "$TABLE"
echo "raw: $RESULTS  table: $TABLE"
