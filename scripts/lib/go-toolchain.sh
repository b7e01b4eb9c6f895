# Sourced by the scripts that build a Go program from the module proxy (go-httpbin.sh,
# go-websocket.sh, otelcol.sh, actionlint.sh). go_program and go_install: the start and the end
# those scripts share. use_go: sets $go to a Go command and exports what a build outside any module
# needs. The installed go when there is one (1.21+: GOTOOLCHAIN=auto
# fetches a newer Go from the proxy when a module asks for it); without one (a fresh CI machine),
# the Go toolchain itself from the module proxy, where Go publishes it as the module
# golang.org/toolchain, kept in $1/go-toolchain/ (the caller's cache) and used for these builds only.
GO_TOOLCHAIN=go1.26.0 # the newest Go the pinned modules ask for (go-httpbin v2.26.0)
use_go() {
  local cache=$1
  export GOFLAGS=-mod=mod
  if command -v go >/dev/null 2>&1; then
    go=go
    export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
    return 0
  fi
  local toolchain="$cache/go-toolchain/$GO_TOOLCHAIN"
  if [ ! -x "$toolchain/go/bin/go" ]; then
    mkdir -p "$toolchain"
    exec 8>"$toolchain.lock"
    flock 8
    if [ ! -x "$toolchain/go/bin/go" ]; then
      local arch url
      arch=$(uname -m)
      case $arch in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
      url="${GOPROXY_URL:-https://proxy.golang.org}/golang.org/toolchain/@v/v0.0.1-$GO_TOOLCHAIN.linux-$arch.zip"
      echo "go not found; fetching $url" >&2
      rm -rf "$toolchain" && mkdir -p "$toolchain"
      curl -fsSL -o "$toolchain/go.zip" "$url" \
        || { echo "error: go not found and $url could not be fetched. Install Go 1.21+ (https://go.dev/dl) and retry." >&2; exit 3; }
      (cd "$toolchain" && python3 -m zipfile -e go.zip . && rm go.zip)
      # The zip holds golang.org/toolchain@<version>/{bin,pkg,src,...}: make that ./go.
      mv "$toolchain"/golang.org/toolchain@*/ "$toolchain/go" && rm -rf "$toolchain/golang.org"
      chmod +x "$toolchain"/go/bin/* "$toolchain"/go/pkg/tool/*/* 2>/dev/null || true
    fi
    exec 8>&-
  fi
  go="$toolchain/go/bin/go"
  export GOTOOLCHAIN=local
}

# go_program NAME VERSION: the start of a build script. Sets $dir ($cache/NAME/VERSION) and $bin
# ($dir/NAME); when $bin is built already, prints it and exits; otherwise sets $go (use_go) and holds
# the lock on $dir until the script ends (fd 9), so two runs never build the same program at once.
go_program() {
  dir="$cache/$1/$2"
  bin="$dir/$1"
  if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
  use_go "$cache"
  mkdir -p "$dir"
  exec 9>"$dir.lock"
  flock 9
  if [ -x "$bin" ]; then echo "$bin"; exit 0; fi # built while we waited
}

# go_install MODULE/PATH@VERSION: go install into $dir, then print $bin (exit 3 with what to do on failure).
go_install() {
  if ! GOBIN="$dir" "$go" install "$1" >&2; then
    echo "error: go install $1 failed. Check that the Go module proxy (GOPROXY) is reachable and retry." >&2
    exit 3
  fi
  echo "$bin"
}
