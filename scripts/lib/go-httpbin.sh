#!/usr/bin/env bash
# Builds go-httpbin (the HTTP client's test peer, test/http/httpbin*.test.ts) once, from the Go
# module proxy, into .cache/go-httpbin/<version>/, and prints the binary's path (idempotent; flock
# keeps two runs apart; which Go: scripts/lib/go-toolchain.sh).
set -euo pipefail
VERSION=v2.26.0
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
dir="$cache/go-httpbin/$VERSION"
bin="$dir/go-httpbin"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
source "$root/scripts/lib/go-toolchain.sh"
use_go "$cache"
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if ! GOBIN="$dir" "$go" install "github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$VERSION" >&2; then
  echo "error: go install github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$VERSION failed. Check that the Go module proxy (GOPROXY) is reachable and retry." >&2
  exit 3
fi
echo "$bin"
