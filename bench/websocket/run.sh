#!/usr/bin/env bash
# WebSocket round trips per CPU-second: loadworker's client (ctx.websocket's, recording into real
# stats) against a Go client doing the same echo loop with gorilla/websocket (boomer's style: a
# goroutine per socket), and Bun's built-in WebSocket (nothing recorded) for the record. One echo
# server (gorilla, bench/websocket/go-client -serve) pinned to core 0; each client in turn pinned
# to core 1, the order rotated each round, so a drifting machine hits all alike. Each client
# reports its own CPU time (user + system) over its loop; bench/websocket/table.ts takes medians.
# usage: bash bench/websocket/run.sh     knobs: SOCKETS="100 1000" ROUNDS=3 SECONDS=4 SIZE=32 PORT=28491
set -euo pipefail
cd "$(dirname "$0")/../.."
SOCKETS=${SOCKETS:-"100 1000"}
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS:-4}
SIZE=${SIZE:-32}
PORT=${PORT:-28491}
BUN=./node_modules/.bin/bun
OUT=bench/out
mkdir -p "$OUT"
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RESULTS=$OUT/websocket-$STAMP.jsonl
GO=$(bash scripts/lib/go-websocket.sh)/echo-client
URL="ws://127.0.0.1:$PORT/echo"

taskset -c 0 "$GO" -serve "127.0.0.1:$PORT" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

clients=(go loadworker builtin)
for sockets in $SOCKETS; do
  for round in $(seq "$ROUNDS"); do
    for i in 0 1 2; do
      client=${clients[$(( (i + round) % 3 ))]}
      if [ "$client" = go ]; then
        taskset -c 1 "$GO" -url "$URL" -sockets "$sockets" -seconds "$SECONDS_EACH" -size "$SIZE"
      else
        taskset -c 1 "$BUN" bench/websocket/ws-load.ts "$URL" "$sockets" "$SECONDS_EACH" "$client" "$SIZE"
      fi | tee -a "$RESULTS"
    done
  done
done
"$BUN" bench/websocket/table.ts "$RESULTS" "bench/results/websocket-$STAMP.md"
