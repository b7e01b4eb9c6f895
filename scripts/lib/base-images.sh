#!/usr/bin/env bash
# Makes sure the daemon at $DOCKER_HOST has every base image the Dockerfile's FROM lines name.
# Each is used if present, else pulled; when no registry is reachable (as on this project's
# machines) a stand-in is built from Debian packages and tagged with the exact FROM name, so the
# Dockerfile stays as a user on the internet builds it:
#   python:*   bookworm + Debian's python3, pip, venv (pip may install system-wide, `python` link)
#   node:*     bookworm + this machine's Node.js and npm
#   oven/bun:* bookworm + the pinned bun from node_modules
# bookworm = debootstrap --variant=minbase with this machine's apt sources and CA bundle, so apt,
# pip and npm inside a build reach the registries this machine reaches. The root file system is
# cached in $LOADWORKER_CACHE (default .cache). Prints one line per image saying what it did.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
: "${DOCKER_HOST:?set DOCKER_HOST (scripts/lib/dockerd.sh start prints it)}"
export DOCKER_HOST
base=loadworker-standin/bookworm:minbase
ca=/etc/ssl/certs/ca-certificates.crt
work=''
cleanup() {
  [ -n "$work" ] || return 0
  # debootstrap mounts /proc and /sys in its target; a failed run must not leave them behind.
  { grep -o " $work/[^ ]*" /proc/mounts || true; } | sort -r | while read -r mnt; do umount -l "$mnt" || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "error: $*" >&2; exit 7; }

present() { docker image inspect "$1" >/dev/null 2>&1; }

bookworm() {
  present "$base" && return 0
  local tar=$cache/bookworm-minbase.tar
  if [ ! -s "$tar" ]; then
    command -v debootstrap >/dev/null 2>&1 || fail "debootstrap not found on PATH; it makes the stand-in base images. Install it (apt-get install -y debootstrap) or add /usr/sbin to PATH, and retry"
    [ -r "$ca" ] || fail "$ca not found; install ca-certificates (apt-get install -y ca-certificates)"
    local mirror
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
      | grep -oE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' | awk '{print $2}' | head -n1 || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    work=$(mktemp -d "${TMPDIR:-/tmp}/loadworker-rootfs.XXXXXX")
    echo "base-images: debootstrap bookworm from $mirror (about a minute)" >&2
    debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
      tail -n 5 "$work/debootstrap.log" >&2
      fail "debootstrap bookworm from $mirror failed (log above). Check that this mirror is reachable (apt-get update) and retry."
    }
    # The machine's own apt sources (not debootstrap's one-line list) and CA bundle, so the
    # image reaches exactly the registries the machine does.
    rm -f "$work/rootfs/etc/apt/sources.list"
    cp -a /etc/apt/sources.list* "$work/rootfs/etc/apt/" 2>/dev/null || true
    find "$work/rootfs/etc/apt/sources.list.d" -name '*disabled*' -delete 2>/dev/null || true
    cp /etc/apt/apt.conf.d/99* "$work/rootfs/etc/apt/apt.conf.d/" 2>/dev/null || true
    mkdir -p "$work/rootfs/etc/ssl/certs" && cp "$ca" "$work/rootfs/etc/ssl/certs/"
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
    mkdir -p "$cache"
    tar -C "$work/rootfs" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    cleanup; work=''
  fi
  docker import "$tar" "$base" >/dev/null || fail "docker import of $tar failed; delete it and retry"
}

# One stand-in: a small Dockerfile on top of $base, with the files it copies in a temp context.
standin() { # name kind
  local name=$1 kind=$2 ctx
  bookworm
  ctx=$(mktemp -d "${TMPDIR:-/tmp}/loadworker-standin.XXXXXX")
  work=$ctx
  cp "$ca" "$ctx/ca-certificates.crt"
  case "$kind" in
    python)
      cat >"$ctx/Dockerfile" <<EOF
FROM $base
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-venv ca-certificates \\
 && rm -rf /var/lib/apt/lists/* /usr/lib/python3*/EXTERNALLY-MANAGED \\
 && ln -s /usr/bin/python3 /usr/local/bin/python && ln -s /usr/bin/pip3 /usr/local/bin/pip
# After ca-certificates, which regenerates the bundle from Debian's list alone.
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV LANG=C.UTF-8
EOF
      ;;
    node)
      local node npm
      node=$(command -v node) || fail "node not found; the node stand-in copies this machine's Node.js. Install Node.js 20 with npm."
      npm=$(dirname "$(readlink -f "$(command -v npm)")")/..
      cp "$(readlink -f "$node")" "$ctx/node" && cp -a "$npm" "$ctx/npm"
      cat >"$ctx/Dockerfile" <<EOF
FROM $base
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
EOF
      ;;
    bun)
      [ -x "$root/node_modules/.bin/bun" ] || fail "node_modules/.bin/bun not found; run npm ci (it installs the pinned bun) and retry"
      cp "$(readlink -f "$root/node_modules/.bin/bun")" "$ctx/bun"
      local want have
      want=${name#*:} have=$("$ctx/bun" --version)
      [ "$want" = "$have" ] || fail "$name needs bun $want but node_modules has $have; run npm ci and retry"
      cat >"$ctx/Dockerfile" <<EOF
FROM $base
COPY bun /usr/local/bin/bun
RUN ln -s bun /usr/local/bin/bunx
WORKDIR /home/bun/app
EOF
      ;;
  esac
  echo "LABEL org.loadworker.stand-in=\"$kind on debootstrap bookworm\"" >>"$ctx/Dockerfile"
  docker build --network host --force-rm -q -t "$name" "$ctx" >"$ctx/build.log" 2>&1 || {
    tail -n 15 "$ctx/build.log" >&2
    fail "building the stand-in for $name failed (log above); check that apt and the registries are reachable and retry"
  }
  cleanup; work=''
}

# Each FROM line's image once, leaving out earlier stages named with AS (those are not images).
# shellcheck disable=SC2013
for name in $(awk 'toupper($1) == "FROM" { if (!($2 in stage)) print $2; if (toupper($3) == "AS") stage[$4] = 1 }' "$root/Dockerfile" | sort -u); do
  case "$name" in python:*) kind=python ;; node:*) kind=node ;; oven/bun:*) kind=bun ;; *) kind='' ;; esac
  if present "$name"; then
    label=$(docker image inspect -f '{{ index .Config.Labels "org.loadworker.stand-in" }}' "$name" 2>/dev/null || true)
    echo "base image $name: present${label:+ (stand-in: $label)}"
  elif timeout 60 docker pull -q "$name" >/dev/null 2>&1; then
    echo "base image $name: pulled from the registry"
  elif [ -n "$kind" ]; then
    begin=$(date +%s)
    standin "$name" "$kind"
    echo "base image $name: not pullable; built a stand-in ($kind on debootstrap bookworm) in $(($(date +%s) - begin)) s"
  else
    fail "base image $name cannot be pulled and has no stand-in recipe; pull or load it into the daemon (docker load) and retry"
  fi
done
