#!/usr/bin/env bash
# A private Docker daemon for the image tests: its own data root (cached between runs), exec root,
# pidfile and socket, so it never meets another dockerd on the machine. No bridge network and no
# iptables: every build and container here uses --network host, so all traffic stays on loopback.
#   scripts/lib/dockerd.sh start   prints DOCKER_HOST=unix://…; "started" or "running" on stderr
#   scripts/lib/dockerd.sh stop    stops the daemon that start started (by its pidfile)
#   scripts/lib/dockerd.sh host    prints the DOCKER_HOST value without starting anything
# Env: LOADWORKER_CACHE (default .cache) holds the data root; exit 6 when dockerd cannot run.
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin # dockerd lives there
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
# Sockets must stay short (108 bytes), so the run state lives under /tmp, named after the cache.
run=/tmp/loadworker-dockerd-$(printf %s "$cache" | cksum | cut -d' ' -f1)
sock=$run/docker.sock
host=unix://$sock

ready() { DOCKER_HOST=$host timeout 10 docker info >/dev/null 2>&1; }

start() {
  command -v docker >/dev/null 2>&1 || { echo "error: no docker client on PATH. Install it: apt-get install -y docker.io" >&2; exit 6; }
  if ready; then echo "DOCKER_HOST=$host"; echo "dockerd: running ($host)" >&2; return; fi
  command -v dockerd >/dev/null 2>&1 || { echo "error: dockerd not found. Install it: apt-get install -y docker.io (as root)" >&2; exit 6; }
  [ "$(id -u)" = 0 ] || { echo "error: dockerd must run as root here; run this as root (or start a daemon and set DOCKER_HOST)." >&2; exit 6; }
  mkdir -p "$run" "$cache/docker"
  # setsid: the daemon outlives the shell that started it; stop() ends it by its pidfile.
  setsid dockerd --bridge=none --iptables=false --ip6tables=false \
    --data-root "$cache/docker" --exec-root "$run/exec" --pidfile "$run/dockerd.pid" \
    -H "$host" >"$run/dockerd.log" 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq 1 60); do
    if ready; then echo "DOCKER_HOST=$host"; echo "dockerd: started (pid $pid, $host)" >&2; return; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  unmount_all
  echo "error: dockerd did not start; its log ($run/dockerd.log) ends with:" >&2
  tail -n 5 "$run/dockerd.log" >&2 || true
  echo "Fix the cause above (a container sandbox without cgroups or overlayfs cannot run dockerd), then retry." >&2
  exit 6
}

# dockerd leaves its default network namespace (exec/netns/default) mounted when it exits.
unmount_all() {
  { grep -o " $run/[^ ]*" /proc/mounts || true; } | sort -r | while read -r mnt; do umount "$mnt" || umount -l "$mnt" || true; done
}

stop() {
  [ -f "$run/dockerd.pid" ] || return 0
  local pid
  pid=$(cat "$run/dockerd.pid")
  # A stale pidfile (the daemon died) may name a pid some other process has taken since.
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ] || ! kill "$pid" 2>/dev/null; then unmount_all; rm -rf "$run"; return 0; fi
  # dockerd stops its containerd and removes its pidfile on the way out.
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then unmount_all; rm -rf "$run"; return 0; fi
    sleep 0.5
  done
  echo "error: dockerd (pid $pid) did not stop within 30 s; stop it with: kill -9 $pid" >&2
  exit 6
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  host) echo "$host" ;;
  *) echo "usage: scripts/lib/dockerd.sh start|stop|host" >&2; exit 2 ;;
esac
