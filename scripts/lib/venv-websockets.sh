#!/usr/bin/env bash
# Makes .cache/venv-websockets with Python's `websockets` (PyPI, pinned): the WebSocket client's
# test peer (test/websocket/, test/peers/ws_server.py). Idempotent; flock keeps two runs apart.
# Prints the venv's python.
set -euo pipefail
WEBSOCKETS_VERSION=17.4
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
venv="$cache/venv-websockets"
stamp="$venv/.websockets-$WEBSOCKETS_VERSION"
if [ -f "$stamp" ]; then echo "$venv/bin/python"; exit 0; fi
mkdir -p "$cache"
exec 9>"$cache/venv-websockets.lock"
flock 9
if [ ! -f "$stamp" ]; then
  py=${PYTHON:-python3}
  command -v "$py" >/dev/null 2>&1 || { echo "error: $py not found. Install Python 3.9+ or set PYTHON=/path/to/python3." >&2; exit 3; }
  [ -x "$venv/bin/python" ] || "$py" -m venv "$venv" || { echo "error: '$py -m venv' failed. Install python3-venv and retry." >&2; exit 3; }
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "websockets==$WEBSOCKETS_VERSION" >&2 \
    || { echo "error: pip could not install websockets==$WEBSOCKETS_VERSION. Check that PyPI is reachable and retry." >&2; exit 3; }
  touch "$stamp"
fi
echo "$venv/bin/python"
