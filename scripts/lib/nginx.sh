#!/usr/bin/env bash
# Installs Debian's nginx (1.22 on bookworm: `listen … ssl http2`) and nghttp2-client (h2load): the
# HTTP/2 client's test peer and bench baseline (test/http/h2-*.full.test.ts, bench/h2-*.sh).
# Idempotent; flock keeps two runs apart. Prints the nginx binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
have() { command -v nginx >/dev/null 2>&1 && command -v h2load >/dev/null 2>&1; }
if ! have; then
  mkdir -p "$cache"
  exec 9>"$cache/apt-nginx.lock"
  flock 9
  if ! have; then
    [ "$(id -u)" = 0 ] || { echo "error: nginx and h2load are missing; run as root, or: sudo apt-get install -y nginx nghttp2-client" >&2; exit 3; }
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends nginx nghttp2-client >&2 \
      || { apt-get update >&2 && apt-get install -y --no-install-recommends nginx nghttp2-client >&2; } \
      || { echo "error: apt-get could not install nginx nghttp2-client. Check that the Debian mirror is reachable and retry." >&2; exit 3; }
    # The package starts a system nginx on port 80; the tests run their own, so stop it when it did.
    if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
  fi
fi
command -v nginx
