#!/usr/bin/env bash
# Builds actionlint (rhysd/actionlint, the GitHub Actions workflow checker) once, from the Go
# module proxy, into .cache/actionlint/<version>/, and prints the binary's path (idempotent; flock
# keeps two runs apart). Used by test/examples/github-actions-lint.full.test.ts.
set -euo pipefail
VERSION=v1.7.12
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
dir="$cache/actionlint/$VERSION"
bin="$dir/actionlint"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "error: go not found. Install Go 1.21+ (apt-get install golang-go, or https://go.dev/dl) and retry." >&2; exit 3; }
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if ! GOBIN="$dir" GOFLAGS=-mod=mod GOTOOLCHAIN=${GOTOOLCHAIN:-auto} go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >&2; then
  echo "error: go install github.com/rhysd/actionlint/cmd/actionlint@$VERSION failed. Check that the Go module proxy (GOPROXY) is reachable and retry." >&2
  exit 3
fi
echo "$bin"
