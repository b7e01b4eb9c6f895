#!/usr/bin/env bash
# Builds .build/boomer-bench: boomer v1.6.0 (pinned in go.mod/go.sum, from the Go module proxy)
# with locust2.patch applied to a copy of it, since v1.6.0 speaks Locust 1's worker protocol.
# The patch only touches the master messages (client_ready, spawn, spawning_complete, stats);
# the hot path (Task loop, RecordSuccess, the stats goroutine) is boomer's own.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../../.. && pwd)
export GOFLAGS=-mod=mod
go mod download github.com/myzhan/boomer
SRC=$(go list -m -f '{{.Dir}}' github.com/myzhan/boomer)
PATCHED=$ROOT/.build/boomer-v1.6.0-locust2
rm -rf "$PATCHED" && mkdir -p "$ROOT/.build" && cp -r "$SRC" "$PATCHED" && chmod -R u+w "$PATCHED"
patch -s -d "$PATCHED" -p1 < locust2.patch
[ -f "$PATCHED/go.mod" ] || echo "module github.com/myzhan/boomer" > "$PATCHED/go.mod"  # v1.6.0 predates modules
# A throwaway modfile adds the replace, so go.mod stays the plain pin.
cp go.mod "$ROOT/.build/boomer-bench.mod" && cp go.sum "$ROOT/.build/boomer-bench.sum"
go mod edit -modfile="$ROOT/.build/boomer-bench.mod" -replace "github.com/myzhan/boomer=$PATCHED"
go build -modfile="$ROOT/.build/boomer-bench.mod" -o "$ROOT/.build/boomer-bench" .
echo "build: wrote .build/boomer-bench (boomer v1.6.0 + locust2.patch)" >&2
