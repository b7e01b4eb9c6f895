#!/usr/bin/env bash
# Makes .venv with the pinned Locust master and supervisor from PyPI (idempotent).
# Versions live here and in the Dockerfile; test/deploy/static.test.ts checks they agree.
# prometheus_client is for the tests only (they parse /metrics with its parser): not in the image.
set -euo pipefail
LOCUST_VERSION=2.47.0
SUPERVISOR_VERSION=4.3.0
PROMETHEUS_CLIENT_VERSION=0.26.0
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/.venv"
py=${PYTHON:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
  echo "error: $py not found. Install Python 3.9+ (e.g. apt-get install python3 python3-venv) or set PYTHON=/path/to/python3." >&2
  exit 3
fi
stamp="$venv/.loadworker-locust-$LOCUST_VERSION-supervisor-$SUPERVISOR_VERSION-prometheus-client-$PROMETHEUS_CLIENT_VERSION"
if [ -f "$stamp" ]; then exit 0; fi
if [ ! -x "$venv/bin/python" ]; then
  "$py" -m venv "$venv" || { echo "error: '$py -m venv' failed. Install the venv module (apt-get install python3-venv) and retry." >&2; exit 3; }
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "locust==$LOCUST_VERSION" "supervisor==$SUPERVISOR_VERSION" "prometheus_client==$PROMETHEUS_CLIENT_VERSION" \
  || { echo "error: pip could not install locust==$LOCUST_VERSION, supervisor==$SUPERVISOR_VERSION and prometheus_client==$PROMETHEUS_CLIENT_VERSION. Check that PyPI is reachable and retry." >&2; exit 3; }
touch "$stamp"
