#!/usr/bin/env bash
# Makes .cache/venv-grpcio with grpcio and grpcio-tools (PyPI, pinned): the gRPC client's test
# peer (test/grpc/, test/peers/grpc_server.py loads its .proto at start with grpcio-tools, so no
# generated stubs are kept). Idempotent; flock keeps two runs apart. Prints the venv's python.
set -euo pipefail
GRPCIO_VERSION=1.85.1
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
venv="$cache/venv-grpcio"
stamp="$venv/.grpcio-$GRPCIO_VERSION"
if [ -f "$stamp" ]; then echo "$venv/bin/python"; exit 0; fi
mkdir -p "$cache"
exec 9>"$cache/venv-grpcio.lock"
flock 9
if [ ! -f "$stamp" ]; then
  py=${PYTHON:-python3}
  command -v "$py" >/dev/null 2>&1 || { echo "error: $py not found. Install Python 3.9+ or set PYTHON=/path/to/python3." >&2; exit 3; }
  [ -x "$venv/bin/python" ] || "$py" -m venv "$venv" || { echo "error: '$py -m venv' failed. Install python3-venv and retry." >&2; exit 3; }
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "grpcio==$GRPCIO_VERSION" "grpcio-tools==$GRPCIO_VERSION" >&2 \
    || { echo "error: pip could not install grpcio==$GRPCIO_VERSION and grpcio-tools==$GRPCIO_VERSION. Check that PyPI is reachable and retry." >&2; exit 3; }
  touch "$stamp"
fi
echo "$venv/bin/python"
