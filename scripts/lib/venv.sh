#!/usr/bin/env bash
# Makes .venv with the pinned Locust master and supervisor from PyPI (idempotent: scripts/lib/pip-venv.sh).
# Versions live here and in the Dockerfile; test/deploy/static.test.ts checks they agree.
# prometheus_client is for the tests only (they parse /metrics with its parser): not in the image.
set -euo pipefail
LOCUST_VERSION=2.47.0
SUPERVISOR_VERSION=4.3.0
PROMETHEUS_CLIENT_VERSION=0.26.0
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib/pip-venv.sh"
venv="$root/.venv"
MIN_PYTHON=3.11 # what Locust 2.47 requires (its package metadata)
pip_venv "$venv" "$venv/.loadworker-locust-$LOCUST_VERSION-supervisor-$SUPERVISOR_VERSION-prometheus-client-$PROMETHEUS_CLIENT_VERSION" \
  "locust==$LOCUST_VERSION" "supervisor==$SUPERVISOR_VERSION" "prometheus_client==$PROMETHEUS_CLIENT_VERSION"
