#!/usr/bin/env bash
# Builds actionlint (rhysd/actionlint, the GitHub Actions workflow checker) once, from the Go
# module proxy, into .cache/actionlint/<version>/, and prints the binary's path (idempotent; flock
# keeps two runs apart; which Go: scripts/lib/go-toolchain.sh). Used by
# test/examples/github-actions-lint.full.test.ts.
set -euo pipefail
VERSION=v1.7.12
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
dir="$cache/actionlint/$VERSION"
bin="$dir/actionlint"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
source "$root/scripts/lib/go-toolchain.sh"
use_go "$cache"
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if ! GOBIN="$dir" "$go" install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >&2; then
  echo "error: go install github.com/rhysd/actionlint/cmd/actionlint@$VERSION failed. Check that the Go module proxy (GOPROXY) is reachable and retry." >&2
  exit 3
fi
echo "$bin"
