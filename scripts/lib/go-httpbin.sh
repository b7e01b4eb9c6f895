#!/usr/bin/env bash
# Builds go-httpbin (the HTTP client's test peer, test/http/httpbin*.test.ts) once, from the Go
# module proxy, into .cache/go-httpbin/<version>/, and prints the binary's path (idempotent; flock
# keeps two runs apart; which Go: scripts/lib/go-toolchain.sh).
set -euo pipefail
VERSION=v2.26.0
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
source "$root/scripts/lib/go-toolchain.sh"
go_program go-httpbin "$VERSION"
go_install "github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$VERSION"
