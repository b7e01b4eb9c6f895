#!/usr/bin/env bash
# Stops a run started by scripts/up.sh and makes sure nothing it started outlives it, whoever died
# first: supervisord stops the programs in order (workers send their last stats and quit, then the
# master, then the demo target); whatever is left after that, or was orphaned by a supervisord that
# died first, is found by its command line (every program names the run's app dir), stopped with
# TERM and then KILL. It says "nothing is running" only after checking the processes and ports.
set -euo pipefail

usage() {
  cat <<'EOF2'
Usage: scripts/down.sh [--run-dir DIR]
  --run-dir DIR   the run to stop (default .run, as for scripts/up.sh)
  --quiet         print nothing when all goes well
Exit status: 0 when nothing of the run is left running and its ports are free, 1 otherwise.
EOF2
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
# The same absolute path up.sh used, so the command lines below match.
if [ -d "$run_dir" ]; then run_dir=$(cd "$run_dir" && pwd); fi
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
# Every live process of this run: supervisord names its config, each program the run's app dir.
run_procs() {
  local found p
  found=$(grep -lsaF -e "$run_dir/app/" -e "$conf" /proc/[0-9]*/cmdline 2>/dev/null || true)
  for p in $found; do
    p=${p#/proc/}
    p=${p%/cmdline}
    if [ "$p" != "$$" ] && alive "$p"; then echo "$p"; fi
  done
}
# The run's ports, from the command lines in its config (web UI, master, demo target).
run_ports() {
  { grep '^command=' "$conf" 2>/dev/null || true; } | { grep -Eo -- '--web-port=[0-9]+|--master-bind-port=[0-9]+|--port [0-9]+' || true; } |
    grep -Eo '[0-9]+$' | sort -un | tr '\n' ' ' || true
}
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -z "$pid" ] && [ -f "$pidfile" ]; then pid=$(cat "$pidfile"); fi
stopped=0
if [ -n "$pid" ] && alive "$pid"; then
  # Pids get reused: only act on a supervisord that runs this run's config.
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$conf"; then
    echo "down.sh: error: pid $pid is not the supervisord of $run_dir (stale $pidfile?). Remove that file and check 'ps'." >&2
    exit 1
  fi
  say "stopping supervisord (pid $pid) and its programs"
  "$ctl" -c "$conf" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  # Bounded by the programs' stopwaitsecs (20 + 15 + 10 s) plus slack.
  if ! wait_gone "$pid" 60; then
    echo "down.sh: warning: supervisord (pid $pid) did not stop within 60 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || true
  fi
  stopped=1
fi

# What supervisord did not stop: programs orphaned when it died first, or that outlived it.
left=$(run_procs)
if [ -n "$left" ]; then
  echo "down.sh: stopping what supervisord left running: pid(s) $(echo $left)" >&2
  # shellcheck disable=SC2086
  kill -TERM $left 2>/dev/null || true
  for p in $left; do wait_gone "$p" 20 || true; done # a worker's last stats, the master's quit
  left=$(run_procs)
  if [ -n "$left" ]; then
    echo "down.sh: warning: still running after TERM, killing: pid(s) $(echo $left)" >&2
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    for p in $left; do wait_gone "$p" 5 || true; done
  fi
  stopped=1
fi

# Check before saying anything: no process of the run, and none of its ports in use.
left=$(run_procs)
busy=''
for port in $(run_ports); do
  if port_taken "$port"; then busy="$busy $port"; fi
done
if [ -n "$left" ]; then
  echo "down.sh: error: processes of $run_dir are still running:" >&2
  # shellcheck disable=SC2086
  ps -o pid=,args= -p "$(echo $left | tr ' ' ',')" >&2 || true
  exit 1
fi
rm -f "$pidfile" "$run_dir/supervisor.sock"
if [ -n "$busy" ]; then
  echo "down.sh: error: no process of $run_dir is running, but port(s)$busy on 127.0.0.1 are still in use by another process ('ss -ltnp' shows which)" >&2
  exit 1
fi
if [ "$stopped" = 0 ]; then
  say "nothing is running in $run_dir"
else
  say "stopped; nothing from $run_dir is running (no process of the run left, its ports$(run_ports | sed 's/ $//; s/^/ /') free)"
fi
