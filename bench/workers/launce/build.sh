#!/usr/bin/env bash
# Builds .build/launce-bench: launce (pinned in go.mod/go.sum, from the Go module proxy) with its
# README user, unchanged library code.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../../.. && pwd)
mkdir -p "$ROOT/.build"
GOFLAGS=-mod=mod go build -o "$ROOT/.build/launce-bench" .
echo "build: wrote .build/launce-bench (launce $(go list -m -f '{{.Version}}' github.com/qitoi/launce))" >&2
