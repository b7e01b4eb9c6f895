#!/usr/bin/env bash
# The test command (README): installs what is missing (npm packages, the Python venv with the
# pinned Locust, Debian's docker.io, debootstrap, docker-compose and kubectl for the image tests),
# builds ./loadworker, type-checks, and runs every test with bun test.
# Extra arguments go to bun test, e.g. scripts/test.sh test/e2e
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v npm >/dev/null 2>&1 || { echo "error: npm not found. Install Node.js 20+ with npm, then run scripts/test.sh again." >&2; exit 3; }
# npm ci only when node_modules is missing or older than the lockfile.
if [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
scripts/venv.sh
scripts/chromium.sh
scripts/image-deps.sh
./node_modules/.bin/bun scripts/build.ts
./node_modules/.bin/tsc --noEmit -p .
exec ./node_modules/.bin/bun test "$@"
