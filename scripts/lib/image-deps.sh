#!/usr/bin/env bash
# Installs what the image tests need from Debian's packages, each only when missing: docker.io
# (dockerd, containerd, runc), debootstrap (stand-in base images), docker-compose (v1, for the
# compose test) and kubectl (kubernetes-client, for `kubectl kustomize`). Needs root and apt-get;
# without them it says what is missing and exits 0: the image tests then skip and say why.
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin # dockerd and debootstrap live there
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || need+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# Any kubectl will do (kustomize is built in); Debian's would clash with one already installed.
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "image-deps.sh: not installing ${need[*]} (needs root and apt-get); the image tests will skip. Install them to run those tests." >&2
  exit 0
fi
echo "image-deps.sh: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || { echo "error: apt-get update failed; check the apt sources and retry." >&2; exit 3; }
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
  echo "error: apt-get install ${need[*]} failed; run it by hand to see why, then retry." >&2
  exit 3
}
