#!/usr/bin/env bash
# Headless Chromium for the HTML report tests (test/support/chromium.ts): Debian's `chromium`,
# installed with apt when it is missing (idempotent). Also needs `script` (util-linux) for the
# live-view test, which Debian ships in bsdutils.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: chromium not found and apt-get is not available. Install Chromium (Debian: apt-get install chromium) and retry." >&2
  exit 3
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: chromium not found; run 'apt-get install chromium' as root and retry." >&2; exit 3; }
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null \
  || { echo "error: 'apt-get install chromium' failed. Check that the Debian mirror is reachable and retry." >&2; exit 3; }
