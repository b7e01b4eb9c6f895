#!/usr/bin/env bash
# Makes the venv of the Distributor tests' Python peers (test/e2e/distributor*.test.ts): Locust and
# locust-plugins from PyPI, pinned, in $LOADWORKER_CACHE/venv-locust-plugins (default .cache/…),
# apart from the shared .venv so the plugins never change what the other tests run. Idempotent
# (scripts/lib/pip-venv.sh). Prints the venv's path.
set -euo pipefail
LOCUST_VERSION=2.47.0
LOCUST_PLUGINS_VERSION=5.0.3
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/pip-venv.sh"
venv="${LOADWORKER_CACHE:-$root/.cache}/venv-locust-plugins"
MIN_PYTHON=3.11 # what Locust 2.47 requires
pip_venv "$venv" "$venv/.loadworker-locust-$LOCUST_VERSION-locust-plugins-$LOCUST_PLUGINS_VERSION" \
  "locust==$LOCUST_VERSION" "locust-plugins==$LOCUST_PLUGINS_VERSION"
echo "$venv"
