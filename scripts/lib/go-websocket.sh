#!/usr/bin/env bash
# Builds the Go WebSocket peers once, from the Go module proxy, into .cache/go-websocket/<version>/
# and prints that folder (idempotent; flock keeps two runs apart; which Go: scripts/lib/go-toolchain.sh):
#   echo-server  gorilla/websocket's own examples/echo/server.go, unchanged but for its build-ignore line (the tests' Go peer)
#   echo-client  bench/websocket/go-client: the Go side of the WebSocket bench
set -euo pipefail
GORILLA=v1.5.3
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
dir="$cache/go-websocket/$GORILLA"
# The client is rebuilt when its source changes (a checkout touches every file's time: the content decides).
stamp="$dir/.client-$(sha1sum "$root/bench/websocket/go-client/main.go" | cut -c1-12)"
if [ -x "$dir/echo-server" ] && [ -f "$stamp" ]; then echo "$dir"; exit 0; fi
source "$root/scripts/lib/go-toolchain.sh"
use_go "$cache"
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ -x "$dir/echo-server" ] && [ -f "$stamp" ]; then echo "$dir"; exit 0; fi # built while we waited
build() { # build NAME SOURCE.go: a throwaway module that requires gorilla/websocket at the pinned version
  local work; work=$(mktemp -d)
  cp "$2" "$work/main.go"
  sed -i '/^\/\/go:build ignore$/d; /^\/\/ +build ignore$/d' "$work/main.go"
  (cd "$work" && "$go" mod init loadworker.test/ws-peer >/dev/null 2>&1 && "$go" get "github.com/gorilla/websocket@$GORILLA" >&2 \
    && CGO_ENABLED=0 "$go" build -o "$dir/$1" . >&2) \
    || { echo "error: building $1 with github.com/gorilla/websocket@$GORILLA failed. Check that the Go module proxy (GOPROXY) is reachable and retry." >&2; rm -rf "$work"; exit 3; }
  rm -rf "$work"
}
(cd "$(mktemp -d)" && "$go" mod download "github.com/gorilla/websocket@$GORILLA" >&2)
modules=$("$go" env GOMODCACHE)
build echo-server "$modules/github.com/gorilla/websocket@$GORILLA/examples/echo/server.go"
build echo-client "$root/bench/websocket/go-client/main.go"
rm -f "$dir"/.client-*
touch "$stamp"
echo "$dir"
