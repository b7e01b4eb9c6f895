#!/usr/bin/env bash
# Compatibility matrix: runs the end-to-end tests against older Locust masters.
#   scripts/compat.sh [VERSION ...]   (default: a representative set from 2.12.1 to the pinned 2.47.0)
#   e.g. scripts/compat.sh 2.12.1 2.47.0;  COMPAT_TESTS=test/e2e/blip.test.ts scripts/compat.sh
# Each version gets its own venv in .venv-compat/<version> (made once, reused), the tests run with
# LOADWORKER_LOCUST_VENV pointing at it, and a table version -> pass/fail is printed at the end.
# Logs: .venv-compat/logs/<version>.{pip,test}. Exit code 1 if any version failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py=${PYTHON:-python3}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(2.12.1 2.15.1 2.19.1 2.24.1 2.29.1 2.37.14 2.43.4 2.47.0)
tests=(test/e2e/worker.test.ts test/e2e/bad-input.test.ts test/e2e/restart.test.ts test/e2e/seed.test.ts test/e2e/compat.test.ts test/e2e/blip.test.ts)
# COMPAT_TESTS="file ..." runs other test files instead, e.g. COMPAT_TESTS=test/e2e/blip.test.ts.
[ -z "${COMPAT_TESTS:-}" ] || read -r -a tests <<<"$COMPAT_TESTS"
# deno.test.ts is left out (same runtime code, uncompiled); it honours LOADWORKER_LOCUST_VENV too.

# Extra pip requirements a version needs on this Python to install, print --version and start a
# master. None were needed on Python 3.11 for 2.12.1 … 2.47.0 (checked 2.12.1, 2.13.0, 2.15.1,
# 2.19.1, 2.20.0, 2.24.1, 2.25.0, 2.29.1, 2.37.14, 2.43.4, 2.44.0, 2.46.3, 2.47.0 in November 2026:
# pip resolves today's Flask 3.1 / Werkzeug 3.1 / gevent 26 / pyzmq 27 and they all start).
# Add a case here if a future dependency release breaks an old Locust.
extra_pins() {
  case "$1" in
    *) echo "" ;;
  esac
}

logs="$root/.venv-compat/logs"
mkdir -p "$logs"
# Like python -m venv on 3.13+: the folder ignores itself, so `git add -A` never picks the venvs up.
[ -f "$root/.venv-compat/.gitignore" ] || printf '# made by scripts/compat.sh: nothing in here belongs in git\n*\n' >"$root/.venv-compat/.gitignore"
[ -x node_modules/.bin/bun ] || { echo "error: node_modules/.bin/bun missing: run npm ci first" >&2; exit 3; }
# COMPAT_SKIP_BUILD=1: the caller (scripts/test.sh) has just built it.
[ "${COMPAT_SKIP_BUILD:-0}" = 1 ] || ./node_modules/.bin/bun scripts/build.ts || { echo "error: build failed" >&2; exit 3; }

declare -A result
for v in "${versions[@]}"; do
  venv="$root/.venv-compat/$v"
  stamp="$venv/.compat-locust-$v"
  if [ ! -f "$stamp" ]; then
    echo "== $v: installing locust==$v $(extra_pins "$v")"
    rm -rf "$venv"
    # shellcheck disable=SC2046
    if "$py" -m venv "$venv" && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "locust==$v" $(extra_pins "$v") >"$logs/$v.pip" 2>&1 \
      && timeout 60 "$venv/bin/locust" --version >>"$logs/$v.pip" 2>&1; then
      touch "$stamp"
    else
      echo "== $v: install failed, see $logs/$v.pip"
      result[$v]="install failed"
      continue
    fi
  fi
  echo "== $v: $(timeout 60 "$venv/bin/locust" --version 2>/dev/null | head -1)"
  LOADWORKER_LOCUST_VENV="$venv" timeout 900 ./node_modules/.bin/bun test "${tests[@]}" >"$logs/$v.test" 2>&1
  rc=$?
  pass=$(grep -Eo '^ *[0-9]+ pass' "$logs/$v.test" | tail -1 | grep -Eo '[0-9]+')
  fail=$(grep -Eo '^ *[0-9]+ fail' "$logs/$v.test" | tail -1 | grep -Eo '[0-9]+')
  result[$v]="${pass:-0} pass, ${fail:-?} fail (bun test exit $rc)"
  grep -E '^\(fail\)' "$logs/$v.test" | sed "s/^/   $v /"
  echo "== $v: ${result[$v]}"
done

echo
printf '%-10s | %s\n' "Locust" "e2e result (${#tests[@]} files)"
printf '%-10s-+-%s\n' "----------" "------------------------------------"
status=0
for v in "${versions[@]}"; do
  printf '%-10s | %s\n' "$v" "${result[$v]}"
  case "${result[$v]}" in *" 0 fail (bun test exit 0)") ;; *) status=1 ;; esac
done
exit $status
