#!/usr/bin/env bash
# Builds actionlint (rhysd/actionlint, the GitHub Actions workflow checker) once, from the Go
# module proxy, into .cache/actionlint/<version>/, and prints the binary's path (idempotent; flock
# keeps two runs apart; which Go: scripts/lib/go-toolchain.sh). Used by
# test/examples/github-actions-lint.full.test.ts.
set -euo pipefail
VERSION=v1.7.12
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
source "$root/scripts/lib/go-toolchain.sh"
go_program actionlint "$VERSION"
go_install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION"
