#!/usr/bin/env bash
# Builds the gRPC bench's two Go programs once, from the Go module proxy, into
# $LOADWORKER_CACHE/grpc-bench/ (default .cache/): ghz (github.com/bojand/ghz, the load generator
# we compare with) and greeter-server (grpc-go's helloworld example server, bench/grpc/greeter-server).
# Idempotent; flock keeps two runs apart. Prints the directory.
set -euo pipefail
GHZ_VERSION=v0.120.0
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
dir="$cache/grpc-bench"
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
export GOFLAGS=-mod=mod
if [ ! -x "$dir/ghz-$GHZ_VERSION" ]; then
  GOBIN="$dir/gobin" go install "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION" >&2 \
    || { echo "error: go install github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION failed; check that the Go module proxy is reachable" >&2; exit 3; }
  mv "$dir/gobin/ghz" "$dir/ghz-$GHZ_VERSION"
fi
ln -sf "ghz-$GHZ_VERSION" "$dir/ghz"
# Rebuilt when its go.mod/go.sum/main.go change (their hash names the binary).
sum=$(cat "$here/greeter-server/go.mod" "$here/greeter-server/go.sum" "$here/greeter-server/main.go" | sha1sum | cut -c1-12)
if [ ! -x "$dir/greeter-server-$sum" ]; then
  (cd "$here/greeter-server" && go build -o "$dir/greeter-server-$sum" .) >&2
fi
ln -sf "greeter-server-$sum" "$dir/greeter-server"
echo "$dir"
