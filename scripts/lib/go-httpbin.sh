#!/usr/bin/env bash
# Builds go-httpbin (the HTTP client's test peer, test/http/httpbin*.test.ts) once, from the Go
# module proxy, into .cache/go-httpbin/<version>/, and prints the binary's path (idempotent).
# Uses the installed go (1.21+: GOTOOLCHAIN=auto fetches the 1.26 that go-httpbin asks for from the
# module proxy); without one, the Go toolchain itself comes from the module proxy.
set -euo pipefail
VERSION=v2.26.0
GO_TOOLCHAIN=go1.26.0 # what go-httpbin's go.mod asks for; used only when no go is installed
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/.cache/go-httpbin/$VERSION"
bin="$dir/go-httpbin"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$dir"
go=go
if ! command -v go >/dev/null 2>&1; then
  # No Go here (a fresh CI machine): take the toolchain from the module proxy, where Go publishes
  # it as the module golang.org/toolchain, and use it for this build only.
  toolchain="$root/.cache/go-toolchain/$GO_TOOLCHAIN"
  if [ ! -x "$toolchain/go/bin/go" ]; then
    arch=$(uname -m); case $arch in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
    url="${GOPROXY_URL:-https://proxy.golang.org}/golang.org/toolchain/@v/v0.0.1-$GO_TOOLCHAIN.linux-$arch.zip"
    echo "go not found; fetching $url" >&2
    mkdir -p "$toolchain"
    curl -fsSL -o "$toolchain/go.zip" "$url" \
      || { echo "error: go not found and $url could not be fetched. Install Go 1.21+ (https://go.dev/dl) and run scripts/lib/go-httpbin.sh again." >&2; exit 3; }
    (cd "$toolchain" && python3 -m zipfile -e go.zip . && rm go.zip)
    # The zip holds golang.org/toolchain@<version>/{bin,pkg,src,...}: make that ./go.
    mv "$toolchain"/golang.org/toolchain@*/ "$toolchain/go" && rm -rf "$toolchain/golang.org"
    chmod +x "$toolchain"/go/bin/* "$toolchain"/go/pkg/tool/*/* 2>/dev/null || true
  fi
  go="$toolchain/go/bin/go"
  export GOTOOLCHAIN=local
fi
# GOFLAGS=-mod=mod: outside any module; GOTOOLCHAIN=auto fetches a newer Go from the proxy if needed.
if ! GOBIN="$dir" GOFLAGS=-mod=mod GOTOOLCHAIN=${GOTOOLCHAIN:-auto} "$go" install "github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$VERSION" >&2; then
  echo "error: go install github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$VERSION failed. Check that the Go module proxy (GOPROXY) is reachable and retry." >&2
  exit 3
fi
echo "$bin"
