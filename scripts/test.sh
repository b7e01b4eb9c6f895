#!/usr/bin/env bash
# The test command (README): installs what is missing (npm packages, the Python venv with the
# pinned Locust, go-httpbin for the HTTP client tests, Debian's docker.io, debootstrap,
# docker-compose and kubectl for the image tests), builds ./loadworker, type-checks, and runs
# every test with bun test.
# Extra arguments go to bun test, e.g. scripts/test.sh test/e2e
# A full run (no arguments) then runs the end-to-end files that exercise the Locust protocol
# against the oldest supported master and a 2.29.x as well (scripts/compat.sh installs their
# venvs from PyPI into .venv-compat/ once); the main run covers the newest, pinned in .venv.
# LOADWORKER_MATRIX=0 skips that. The last line counts every test of every run, and the exit
# code is non-zero if any failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v npm >/dev/null 2>&1 || { echo "error: npm not found. Install Node.js 20+ with npm, then run scripts/test.sh again." >&2; exit 3; }
# npm ci only when node_modules is missing or older than the lockfile.
if [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
scripts/lib/venv.sh
scripts/lib/go-httpbin.sh >/dev/null
scripts/lib/chromium.sh
scripts/lib/image-deps.sh
./node_modules/.bin/bun scripts/build.ts
./node_modules/.bin/tsc --noEmit -p .

MATRIX_VERSIONS=(2.12.1 2.29.1)
MATRIX_TESTS=(test/e2e/worker.test.ts test/e2e/compat.test.ts test/e2e/restart.test.ts test/e2e/blip.test.ts test/e2e/logs-old-master.test.ts)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# bun test prints " N pass" and " N fail" near its end; a run that printed neither counts as 1 failure.
count() { grep -Eo "^ *[0-9]+ $2\$" "$1" | tail -1 | grep -Eo '[0-9]+' || echo "${3:-0}"; }

status=0
./node_modules/.bin/bun test "$@" 2>&1 | tee "$logs/main.log" || status=1
passed=$(count "$logs/main.log" pass)
failed=$(count "$logs/main.log" fail 1)

if [ $# -eq 0 ] && [ "${LOADWORKER_MATRIX:-1}" != 0 ]; then
  echo
  echo "== Locust version matrix: ${MATRIX_TESTS[*]} against ${MATRIX_VERSIONS[*]}"
  started=$SECONDS
  COMPAT_TESTS="${MATRIX_TESTS[*]}" COMPAT_SKIP_BUILD=1 scripts/compat.sh "${MATRIX_VERSIONS[@]}" || status=1
  for v in "${MATRIX_VERSIONS[@]}"; do
    log=.venv-compat/logs/$v.test
    if [ -f "$log" ] && [ "$log" -nt "$logs/main.log" ]; then
      passed=$((passed + $(count "$log" pass)))
      failed=$((failed + $(count "$log" fail 1)))
    else
      failed=$((failed + 1)) # its venv could not be installed: see the table above
    fi
  done
  echo "== matrix took $((SECONDS - started)) s"
fi
[ "$failed" -eq 0 ] || status=1
echo
echo "tests: $passed passed, $failed failed"
exit $status
