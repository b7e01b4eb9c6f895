#!/usr/bin/env bash
# Makes .cache/venv-grpcio with grpcio and grpcio-tools (PyPI, pinned): the gRPC client's test
# peer (test/grpc/, test/peers/grpc_server.py loads its .proto at start with grpcio-tools, so no
# generated stubs are kept). Idempotent (scripts/lib/pip-venv.sh). Prints the venv's python.
set -euo pipefail
GRPCIO_VERSION=1.85.1
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/pip-venv.sh"
venv="${LOADWORKER_CACHE:-$root/.cache}/venv-grpcio"
pip_venv "$venv" "$venv/.grpcio-$GRPCIO_VERSION" "grpcio==$GRPCIO_VERSION" "grpcio-tools==$GRPCIO_VERSION"
echo "$venv/bin/python"
