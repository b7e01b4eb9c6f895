#!/usr/bin/env bash
# Builds go-httpbin (the HTTP client's test peer, test/http/httpbin*.test.ts) once, from the Go
# module proxy, into .cache/go-httpbin/<version>/, and prints the binary's path (idempotent).
# Needs Go 1.21+ (https://go.dev/dl): go-httpbin asks for Go 1.26, which GOTOOLCHAIN=auto fetches
# from the module proxy when the installed go is older.
set -euo pipefail
VERSION=v2.26.0
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.cache/go-httpbin/$VERSION"
bin="$dir/go-httpbin"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "error: go not found. Install Go 1.21+ (https://go.dev/dl) and run scripts/go-httpbin.sh again." >&2; exit 3; }
mkdir -p "$dir"
# GOFLAGS=-mod=mod: outside any module; GOTOOLCHAIN=auto fetches a newer Go from the proxy if needed.
if ! GOBIN="$dir" GOFLAGS=-mod=mod GOTOOLCHAIN=${GOTOOLCHAIN:-auto} go install "github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$VERSION" >&2; then
  echo "error: go install github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$VERSION failed. Check that the Go module proxy (GOPROXY) is reachable and retry." >&2
  exit 3
fi
echo "$bin"
