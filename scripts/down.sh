#!/usr/bin/env bash
# Stops a run started by scripts/up.sh --detach and makes sure nothing it started outlives it:
# supervisord stops the programs in order (workers send their last stats and quit, then the master,
# then the demo target); any program still alive after that is killed by its recorded pid.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/down.sh [--run-dir DIR]
  --run-dir DIR   the run to stop (default .run, as for scripts/up.sh)
  --quiet         print nothing when all goes well
EOF
}

root=$(cd "$(dirname "$0")/.." && pwd)
run_dir="$root/.run" pid='' quiet=0
while [ $# -gt 0 ]; do
  case "$1" in
    --run-dir) run_dir=${2:?--run-dir needs a value}; shift 2 ;;
    --pid) pid=${2:?--pid needs a value}; shift 2 ;; # up.sh: supervisord may not have written its pidfile yet
    --quiet) quiet=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "down.sh: unknown argument '$1' (see scripts/down.sh --help)" >&2; exit 2 ;;
  esac
done
say() { if [ "$quiet" = 0 ]; then echo "down.sh: $*" >&2; fi; }
conf="$run_dir/supervisord.conf"
pidfile="$run_dir/supervisord.pid"
ctl="$root/.venv/bin/supervisorctl"

# A zombie answers kill -0 but is gone for our purposes.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  if [ -r "/proc/$1/stat" ]; then
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
  fi
}
wait_gone() { # pid, seconds
  local deadline=$((SECONDS + $2))
  while alive "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

if [ -z "$pid" ] && [ -f "$pidfile" ]; then pid=$(cat "$pidfile"); fi
if [ -z "$pid" ] || ! alive "$pid"; then
  rm -f "$pidfile" "$run_dir/supervisor.sock"
  say "nothing is running in $run_dir"
  exit 0
fi
# Pids get reused: only act on a supervisord that runs this run's config.
if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$conf"; then
  echo "down.sh: error: pid $pid is not the supervisord of $run_dir (stale $pidfile?). Remove that file and check 'ps'." >&2
  exit 1
fi

# Record the program pids first, to check afterwards that none outlived supervisord.
programs=$( { "$ctl" -c "$conf" pid all 2>/dev/null || true; ps -o pid= --ppid "$pid" 2>/dev/null || true; } |
  grep -E '^[[:space:]]*[1-9][0-9]*[[:space:]]*$' | sort -u || true)

say "stopping supervisord (pid $pid) and its programs"
"$ctl" -c "$conf" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
# Bounded by the programs' stopwaitsecs (20 + 15 + 10 s) plus slack.
if ! wait_gone "$pid" 60; then
  echo "down.sh: warning: supervisord (pid $pid) did not stop within 60 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 5 || true
fi
for child in $programs; do
  if ! wait_gone "$child" 5; then
    echo "down.sh: warning: program pid $child outlived supervisord; killing it" >&2
    kill -KILL "$child" 2>/dev/null || true
  fi
done
rm -f "$pidfile" "$run_dir/supervisor.sock"
say "stopped; nothing from $run_dir is running"
