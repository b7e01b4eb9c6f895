#!/usr/bin/env bash
# Builds the Docker image with the real Dockerfile and runs it for real: the smoke test (docker
# run, swarm, health, docker stop), compose scale-out and the rendered Kubernetes manifests
# (test/deploy/image*.full.test.ts). Uses the daemon at $DOCKER_HOST if one answers, else starts a
# private one (scripts/lib/dockerd.sh) and stops it at the end. Base images that cannot be pulled get
# stand-ins (scripts/lib/base-images.sh says which it did).
#   scripts/lib/image.sh           build, then run the image tests
#   scripts/lib/image.sh --build   build only; leaves a daemon it started running (scripts/lib/dockerd.sh stop)
# Env: LOADWORKER_IMAGE (default loadworker:test), LOADWORKER_CACHE (default .cache).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tag=${LOADWORKER_IMAGE:-loadworker:test}
mode=all
case "${1:-}" in
  '') ;;
  --build) mode=build ;;
  -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "image.sh: unknown argument '$1' (see scripts/lib/image.sh --help)" >&2; exit 2 ;;
esac

started=0
cleanup() {
  local code=$?
  # Containers and compose stacks are the tests' to remove; the daemon is ours if we started it.
  if [ "$started" = 1 ] && { [ "$mode" = all ] || [ "$code" != 0 ]; }; then scripts/lib/dockerd.sh stop || true; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${DOCKER_HOST:-}" ] && timeout 10 docker info >/dev/null 2>&1; then
  echo "image.sh: using the daemon at $DOCKER_HOST" >&2
else
  [ -z "${DOCKER_HOST:-}" ] || echo "image.sh: no daemon answers at $DOCKER_HOST; starting a private one" >&2
  out=$(scripts/lib/dockerd.sh start 2>"${TMPDIR:-/tmp}/loadworker-dockerd-start.$$") || {
    cat "${TMPDIR:-/tmp}/loadworker-dockerd-start.$$" >&2; rm -f "${TMPDIR:-/tmp}/loadworker-dockerd-start.$$"
    echo "image.sh: failed: the Docker daemon could not start (see above)." >&2; exit 6
  }
  grep -q '^dockerd: started' "${TMPDIR:-/tmp}/loadworker-dockerd-start.$$" && started=1
  cat "${TMPDIR:-/tmp}/loadworker-dockerd-start.$$" >&2; rm -f "${TMPDIR:-/tmp}/loadworker-dockerd-start.$$"
  export "${out?}"
fi

scripts/lib/base-images.sh >&2 || { echo "image.sh: failed: the base images are missing (see above)." >&2; exit 7; }

log=${TMPDIR:-/tmp}/loadworker-image-build.$$.log
begin=$(date +%s)
# --network host: no container here may get a bridge (private-range) address.
if ! docker build --network host --force-rm -t "$tag" . >"$log" 2>&1; then
  tail -n 25 "$log" >&2; rm -f "$log"
  echo "image.sh: failed: docker build of $tag (the build log ends above). Fix the step it names and rerun scripts/lib/image.sh." >&2
  exit 8
fi
rm -f "$log"
echo "image.sh: built $tag in $(($(date +%s) - begin)) s" >&2

if [ "$mode" = build ]; then
  echo "DOCKER_HOST=$DOCKER_HOST"
  exit 0
fi
export LOADWORKER_IMAGE=$tag
./node_modules/.bin/bun test test/deploy/image
