#!/usr/bin/env bash
# The tests, in two commands (docs/development.md):
#   scripts/test.sh          the quick loop, a few minutes: the type check, then every test file
#                            but the *.full.test.ts ones (unit, property, protocol, Biome through
#                            test/architecture/biome.test.ts, and the end-to-end tests against the
#                            pinned Locust master in .venv), three bun test processes at a time.
#   scripts/test.sh --full   what CI runs (.ci/run): installs everything first (npm ci, the venv,
#                            go-httpbin, Chromium, Docker from apt), then the quick loop, then the
#                            *.full.test.ts files one at a time (soak, image/compose/Kubernetes,
#                            Chromium, go-httpbin, the long end-to-end ones), then the end-to-end
#                            protocol files against Locust 2.12.1 and 2.29.1 (scripts/compat.sh;
#                            LOADWORKER_MATRIX=0 skips them).
#   scripts/test.sh --list   which files each runs; fails if a test file is in neither.
#   scripts/test.sh FILE...  bun test with these arguments, once (e.g. scripts/test.sh test/e2e).
# Both end with the same line, "tests: N passed, N failed" (CI reads it); the exit code is
# non-zero if any failed. LOADWORKER_TEST_JOBS sets the parallel processes (default 3).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
full=0
case "${1:-}" in
  --full) full=1; shift ;;
  --list) exec ./node_modules/.bin/bun scripts/lib/run-tests.ts --list ;;
  -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
command -v npm >/dev/null 2>&1 || { echo "error: npm not found. Install Node.js 20+ with npm, then run scripts/test.sh again." >&2; exit 3; }
# npm ci only when node_modules is missing or older than the lockfile, and never through a
# symlink: npm ci empties the folder it points to, which another checkout may be using.
if [ -L node_modules ]; then
  [ -x node_modules/.bin/bun ] || { echo "error: node_modules is a symlink to a folder without bun: run npm ci where it points." >&2; exit 3; }
elif [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
scripts/lib/venv.sh
scripts/lib/venv-websockets.sh >/dev/null   # the WebSocket tests' Python peer (quick tests too)
scripts/lib/venv-grpcio.sh >/dev/null       # the gRPC tests' Python peer, grpcio (quick tests too)
if [ "$full" = 1 ]; then
  scripts/lib/go-httpbin.sh >/dev/null
  scripts/lib/go-websocket.sh >/dev/null    # gorilla/websocket's echo example (WebSocket full tests, bench)
  scripts/lib/otelcol.sh >/dev/null         # an OpenTelemetry Collector, core v0.165.0 (test/otel, examples/otel)
  scripts/lib/chromium.sh
  scripts/lib/image-deps.sh
fi
bun=./node_modules/.bin/bun
$bun scripts/build.ts

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
passed=0
failed=0
# Adds a run's "PASSED FAILED" (written by scripts/lib/run-tests.ts) to the totals; none is 1 failure.
add() {
  local p=0 f=1
  [ -s "$1" ] && read -r p f <"$1"
  passed=$((passed + p))
  failed=$((failed + f))
}
# A check that is not a bun test (tsc, Biome, the partition) counts as one test.
check() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "== $name FAILED"; fi
}

if [ $# -gt 0 ]; then
  $bun test "$@" 2>&1 | tee "$logs/args.log" || status=1
  passed=$(grep -Eo '^ *[0-9]+ pass$' "$logs/args.log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  failed=$(grep -Eo '^ *[0-9]+ fail$' "$logs/args.log" | tail -1 | grep -Eo '[0-9]+' || echo 1)
else
  started=$SECONDS
  check "every test file in one of the two commands" $bun scripts/lib/run-tests.ts --list >/dev/null
  # The type check is CPU while most test files wait: it runs beside them, its output after theirs.
  ./node_modules/.bin/tsc --noEmit -p . >"$logs/tsc" 2>&1 &
  tsc=$!
  $bun scripts/lib/run-tests.ts --suite fast --jobs "${LOADWORKER_TEST_JOBS:-3}" --counts "$logs/fast" || status=1
  add "$logs/fast"
  check "tsc --noEmit -p ." wait "$tsc"
  cat "$logs/tsc"
  echo "== quick loop took $((SECONDS - started)) s"
  if [ "$full" = 1 ]; then
    started=$SECONDS
    $bun scripts/lib/run-tests.ts --suite full-only --jobs 1 --counts "$logs/full" || status=1
    add "$logs/full"
    echo "== *.full.test.ts took $((SECONDS - started)) s"
  fi
  if [ "$full" = 1 ] && [ "${LOADWORKER_MATRIX:-1}" != 0 ]; then
    MATRIX_VERSIONS=(2.12.1 2.29.1)
    MATRIX_TESTS=(test/e2e/worker.test.ts test/e2e/compat.test.ts test/e2e/restart.test.ts test/e2e/blip.test.ts test/e2e/logs-old-master.test.ts)
    echo
    echo "== Locust version matrix: ${MATRIX_TESTS[*]} against ${MATRIX_VERSIONS[*]}"
    started=$SECONDS
    touch "$logs/matrix-start"
    COMPAT_TESTS="${MATRIX_TESTS[*]}" COMPAT_SKIP_BUILD=1 scripts/compat.sh "${MATRIX_VERSIONS[@]}" || status=1
    count() { grep -Eo "^ *[0-9]+ $2\$" "$1" | tail -1 | grep -Eo '[0-9]+' || echo "${3:-0}"; }
    for v in "${MATRIX_VERSIONS[@]}"; do
      log=.venv-compat/logs/$v.test
      if [ -f "$log" ] && [ "$log" -nt "$logs/matrix-start" ]; then
        passed=$((passed + $(count "$log" pass)))
        failed=$((failed + $(count "$log" fail 1)))
      else
        failed=$((failed + 1)) # its venv could not be installed: see the table above
      fi
    done
    echo "== matrix took $((SECONDS - started)) s"
  fi
fi
[ "$failed" -eq 0 ] || status=1
# The failures again, short, where CI's tail shows them (scripts/lib/run-tests.ts writes them).
if [ -n "$(cat "$logs"/*.failures 2>/dev/null)" ]; then
  echo
  echo "== why it failed (each failing file, the lines bun printed before each failing test)"
  cat "$logs"/*.failures | tail -60
fi
echo
echo "tests: $passed passed, $failed failed"
exit $status
