#!/usr/bin/env bash
# Makes .cache/venv-websockets with Python's `websockets` (PyPI, pinned): the WebSocket client's
# test peer (test/websocket/, test/peers/ws_server.py). Idempotent (scripts/lib/pip-venv.sh).
# Prints the venv's python.
set -euo pipefail
WEBSOCKETS_VERSION=17.4
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/pip-venv.sh"
venv="${LOADWORKER_CACHE:-$root/.cache}/venv-websockets"
pip_venv "$venv" "$venv/.websockets-$WEBSOCKETS_VERSION" "websockets==$WEBSOCKETS_VERSION"
echo "$venv/bin/python"
