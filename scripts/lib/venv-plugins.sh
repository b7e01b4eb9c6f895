#!/usr/bin/env bash
# Makes the venv of the Distributor tests' Python peers (test/e2e/distributor*.test.ts): Locust and
# locust-plugins from PyPI, pinned, in $LOADWORKER_CACHE/venv-locust-plugins (default .cache/…),
# apart from the shared .venv so the plugins never change what the other tests run. Idempotent;
# two runs at once wait for each other (flock). Prints the venv's path.
set -euo pipefail
LOCUST_VERSION=2.47.0
LOCUST_PLUGINS_VERSION=5.0.3
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
venv="$cache/venv-locust-plugins"
stamp="$venv/.loadworker-locust-$LOCUST_VERSION-locust-plugins-$LOCUST_PLUGINS_VERSION"
py=${PYTHON:-python3}
if [ -f "$stamp" ]; then echo "$venv"; exit 0; fi
mkdir -p "$cache"
exec 9>"$cache/venv-locust-plugins.lock"
flock 9
if [ -f "$stamp" ]; then echo "$venv"; exit 0; fi
command -v "$py" >/dev/null 2>&1 || { echo "error: $py not found. Install Python 3.10+ or set PYTHON=/path/to/python3." >&2; exit 3; }
rm -rf "$venv"
"$py" -m venv "$venv" || { echo "error: '$py -m venv' failed. Install the venv module (apt-get install python3-venv) and retry." >&2; exit 3; }
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "locust==$LOCUST_VERSION" "locust-plugins==$LOCUST_PLUGINS_VERSION" >&2 \
  || { echo "error: pip could not install locust==$LOCUST_VERSION and locust-plugins==$LOCUST_PLUGINS_VERSION. Check that PyPI is reachable and retry." >&2; exit 3; }
touch "$stamp"
echo "$venv"
