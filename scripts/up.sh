#!/usr/bin/env bash
# Runs the image's layout on this host, without Docker: builds /app (loadworker + master.py) into
# <run-dir>/app, rewrites the image's supervisord.conf for it, and starts supervisord with the
# Locust master (web UI), N loadworker processes and the local demo target. Loopback only.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/up.sh [--detach] [--web-port P] [--workers N] [options]

Starts the Locust master with its web UI, loadworker worker(s) and a local demo target, as the
Docker image does, then prints the URL. Open it and press Start: the Host field is pre-filled
with the demo target. Runs in the foreground by default; Ctrl-C stops everything.

  --detach          run in the background; stop with scripts/down.sh (logs: <run-dir>/supervisord.log)
  --web-port P      Locust web UI port (default 8090)
  --workers N       loadworker processes (loadworker --processes N; default -1: one per CPU core)
  --master-port P   port the workers use to join the master (default 5557)
  --demo-port P     demo target port, the UI's default host (default 8099)
  --run-dir DIR     state dir: built app, runtime supervisord.conf, socket, pidfile, logs (default .run)
  --tasks DIR       task files to compile in (default tasks/)
  --no-build        reuse the last build in <run-dir>/app instead of rebuilding
  -h, --help        show this help

It installs what is missing first: 'npm ci' (pinned bun) when node_modules is absent, and the
pinned Locust + supervisor in .venv (scripts/lib/venv.sh). Everything listens on 127.0.0.1 only
(LOADWORKER_MASTER_BIND=0.0.0.0 opens the worker port to workers on other machines).

Environment (read by the master at start; bad values stop the start before anything runs):
  LOADWORKER_WEB_USER, LOADWORKER_WEB_PASSWORD   require a login for the web UI (both or neither;
                                                 LOADWORKER_WEB_PASSWORD_FILE: read it from a file)
  LOADWORKER_TLS_CERT, LOADWORKER_TLS_KEY        serve the web UI over https (PEM files)
Status: .venv/bin/supervisorctl -c <run-dir>/supervisord.conf status
EOF
}

root=$(cd "$(dirname "$0")/.." && pwd)
tasks="$root/tasks" run_dir="$root/.run" web_port=8090 master_port=5557 demo_port=8099 workers=-1 detach=0 build=1
need_value() { # a flag given last without its value must not loop or silently default
  if [ $# -lt 2 ] || [ -z "$2" ]; then echo "up.sh: $1 needs a value (see scripts/up.sh --help)" >&2; exit 2; fi
}
while [ $# -gt 0 ]; do
  case "$1" in
    --detach) detach=1; shift ;;
    --web-port) need_value "$@"; web_port=$2; shift 2 ;;
    --workers) need_value "$@"; workers=$2; shift 2 ;;
    --master-port) need_value "$@"; master_port=$2; shift 2 ;;
    --demo-port) need_value "$@"; demo_port=$2; shift 2 ;;
    --run-dir) need_value "$@"; run_dir=$2; shift 2 ;;
    --tasks) need_value "$@"; tasks=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "up.sh: unknown argument '$1' (see scripts/up.sh --help)" >&2; exit 2 ;;
  esac
done

fail() { # one clear message: what went wrong and what to do
  echo "up.sh: error: $*" >&2
  exit "${code:-1}"
}
is_port() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
for pair in "web-port:$web_port" "master-port:$master_port" "demo-port:$demo_port"; do
  is_port "${pair#*:}" || code=2 fail "--${pair%%:*} must be a port number 1..65535, got '${pair#*:}'"
done
case "$workers" in -1) ;; '' | *[!0-9]* | 0*) code=2 fail "--workers must be a positive integer, or -1 for one per CPU core, got '$workers'" ;; esac
# Before npm ci and the venv, which take a while the first time: a typo here should cost nothing.
[ -d "$tasks" ] || code=2 fail "--tasks $tasks is not a folder; give the folder of your task files (.ts)"
# How many workers to wait for: -1 is one per core this script may use (nproc counts the affinity, as loadworker does).
expected=$workers
[ "$workers" != -1 ] || expected=$(nproc 2>/dev/null || echo 1)
if [ "$web_port" = "$master_port" ] || [ "$web_port" = "$demo_port" ] || [ "$master_port" = "$demo_port" ]; then
  code=2 fail "--web-port, --master-port and --demo-port must differ ($web_port, $master_port, $demo_port)"
fi
mkdir -p "$run_dir"
run_dir=$(cd "$run_dir" && pwd)
conf="$run_dir/supervisord.conf"
pidfile="$run_dir/supervisord.pid"
venv="$root/.venv"
# supervisorctl's socket lives in the run dir, and unix socket paths are limited to ~107 bytes.
if [ "${#run_dir}" -gt 84 ]; then # + "/supervisor.sock" (16) must stay within 100
  code=2 fail "the run dir path is too long for supervisord's unix socket ($run_dir). Pass a shorter one, e.g. --run-dir /tmp/loadworker-run"
fi

# A second run in the same dir would fight over the socket and pidfile.
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  fail "a run is already active in $run_dir (supervisord pid $(cat "$pidfile")). Stop it with: scripts/down.sh --run-dir $run_dir"
fi

# Ports first, before installing or building anything, so a taken port fails fast and starts nothing.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for pair in "$web_port:web UI:--web-port" "$master_port:master:--master-port" "$demo_port:demo target:--demo-port"; do
  IFS=: read -r port what flag <<<"$pair"
  if port_taken "$port"; then
    fail "port $port ($what) is already in use on 127.0.0.1. Stop what holds it ('ss -ltnp sport = :$port' shows it) or choose another with $flag P."
  fi
done

if [ ! -x "$root/node_modules/.bin/bun" ]; then
  command -v npm >/dev/null 2>&1 || code=4 fail "npm not found, and node_modules is missing. Install Node.js 20 (it brings npm), then rerun; up.sh runs 'npm ci' to install the pinned bun."
  echo "up.sh: node_modules is missing; running npm ci" >&2
  (cd "$root" && npm ci) || code=4 fail "'npm ci' failed (see above). Check that the npm registry is reachable, then rerun."
fi
# venv.sh prints its own message (Python or pip missing, PyPI unreachable) and exits 3.
"$root/scripts/lib/venv.sh" || exit $?
if [ "$build" = 1 ]; then
  # build.sh names the file that failed to compile and exits non-zero.
  "$root/scripts/lib/build.sh" --out "$run_dir/app" --host "http://127.0.0.1:$demo_port" --tasks "$tasks" || exit $?
elif [ ! -x "$run_dir/app/loadworker" ] || [ ! -f "$run_dir/app/master.py" ]; then
  code=2 fail "--no-build, but there is no earlier build in $run_dir/app. Run without --no-build."
fi

# The master's access settings (login, TLS, worker port address), checked by master.py itself
# before anything starts: it prints one message naming the setting and exits non-zero. A master.py
# from before these settings would ignore them and serve an open web UI.
if env | grep -q '^LOADWORKER_\(WEB\|TLS\|MASTER\)_' && ! grep -q '_loadworker_web_access' "$run_dir/app/master.py"; then
  code=2 fail "$run_dir/app/master.py predates the LOADWORKER_* access settings and would ignore them. Run without --no-build."
fi
"$venv/bin/python" "$run_dir/app/master.py" || code=2 fail "the settings above must be fixed first; nothing was started."

"$root/scripts/lib/supervisord-conf.sh" --app-dir "$run_dir/app" --run-dir "$run_dir" --web-port "$web_port" \
  --master-port "$master_port" --demo-port "$demo_port" --workers "$workers" <"$root/supervisord.conf" >"$conf.tmp"
mv -f "$conf.tmp" "$conf"

# The children find the venv's locust first; unbuffered so their logs show up as they happen.
export PATH="$venv/bin:$PATH" PYTHONUNBUFFERED=1
# setsid: its own session, so a terminal hang-up (SIGHUP = supervisord reload) or a Ctrl-C meant
# for this script reaches it only through down.sh, which stops the programs in order.
launch=()
if command -v setsid >/dev/null 2>&1; then launch=(setsid); fi
log="$run_dir/supervisord.log"
sup_pid='' started=0 # started=1 only once a detached run is handed over
# down.sh stops supervisord and anything it leaves behind, and fails unless it checked that
# nothing of the run is left (processes and ports).
stop_all() { if [ -n "$sup_pid" ]; then "$root/scripts/down.sh" --run-dir "$run_dir" --pid "$sup_pid" --quiet; fi; }
on_exit() { if [ "$started" = 0 ]; then stop_all || true; fi; }
# Any exit that does not hand over a detached run (a failure, Ctrl-C, supervisord dying) goes
# through the EXIT trap and stops everything.
trap on_exit EXIT
trap 'exit 130' INT TERM HUP
if [ "$detach" = 1 ]; then
  # >> (O_APPEND): the children open /dev/stdout themselves; appends keep their lines intact.
  ${launch[@]+"${launch[@]}"} "$venv/bin/supervisord" -c "$conf" >>"$log" 2>&1 </dev/null &
else
  # Through a pipe: supervisord reopens /dev/stdout for its programs, and that fails (ENXIO) when
  # our stdout is a socket (systemd's journal, some CI runners). cat ignores Ctrl-C and TERM: it
  # is in our process group, and if a TERM to the group (timeout, CI runners, systemd) ended it,
  # supervisord would die of SIGPIPE on its next log line and orphan its programs. It ends when
  # supervisord closes the pipe, after the last log lines.
  ${launch[@]+"${launch[@]}"} "$venv/bin/supervisord" -c "$conf" </dev/null > >(trap '' INT TERM HUP; exec cat) 2>&1 &
fi
sup_pid=$!

status() { "$venv/bin/supervisorctl" -c "$conf" status 2>/dev/null || true; }
all_running() {
  local lines
  lines=$(status)
  [ -n "$lines" ] && ! grep -vq ' RUNNING ' <<<"$lines"
}
explain_startup_failure() {
  echo "up.sh: error: $1" >&2
  status >&2
  if [ "$detach" = 1 ] && [ -f "$log" ]; then
    echo "--- last lines of $log ---" >&2
    tail -n 30 "$log" >&2
  fi
  echo "up.sh: stopped everything this run started." >&2
}

# Bounded wait: the web UI answers and every program is RUNNING (FATAL/BACKOFF means it keeps dying).
deadline=$((SECONDS + 60))
until port_taken "$web_port" && all_running; do
  if ! kill -0 "$sup_pid" 2>/dev/null; then
    explain_startup_failure "supervisord exited during startup."
    exit 1
  fi
  if broken=$(status | grep -E ' (FATAL|BACKOFF|EXITED) '); then
    explain_startup_failure "a program failed to start: ${broken%%  *} (its state and output follow or are above)."
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    explain_startup_failure "the web UI did not come up on port $web_port within 60 s."
    exit 1
  fi
  sleep 0.5
done

# Workers join within a second or two; say so if they have not, but leave the UI running.
scheme=http
if [ -n "${LOADWORKER_TLS_CERT:-}" ]; then scheme=https; fi
# With a login, through the login form (credentials from the environment, never on a command line).
ready_workers() {
  "$venv/bin/python" - "$scheme://127.0.0.1:$web_port" <<'EOF' 2>/dev/null || echo 0
import json, os, ssl, sys, urllib.parse, urllib.request
url = sys.argv[1]
insecure = ssl._create_unverified_context()  # our own master on loopback, maybe self-signed
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(), urllib.request.HTTPSHandler(context=insecure))
if os.environ.get("LOADWORKER_WEB_USER"):
    form = {"username": os.environ["LOADWORKER_WEB_USER"], "password": os.environ.get("LOADWORKER_WEB_PASSWORD", "")}
    opener.open(url + "/login_submit", urllib.parse.urlencode(form).encode(), timeout=3).close()
with opener.open(url + "/stats/requests", timeout=3) as r:
    print(sum(1 for w in json.load(r).get("workers", []) if w.get("state") == "ready"))
EOF
}
deadline=$((SECONDS + 30))
ready=$(ready_workers)
while [ "$ready" -lt "$expected" ] && [ "$SECONDS" -lt "$deadline" ]; do
  sleep 1
  ready=$(ready_workers)
done

if [ "$detach" = 0 ]; then
  # Installed before the URL is printed: from then on Ctrl-C means a clean stop, exit 0.
  on_signal() {
    trap - INT TERM HUP
    echo "" >&2
    echo "up.sh: stopping..." >&2
    local ok=0
    stop_all || ok=$?
    sup_pid='' # stopped: nothing left for the EXIT trap to do
    if [ "$ok" != 0 ]; then
      echo "up.sh: error: could not stop everything from this run (see above)." >&2
      exit 1
    fi
    echo "up.sh: stopped; nothing from this run is running." >&2
    exit 0
  }
  trap on_signal INT TERM HUP
fi

url="$scheme://127.0.0.1:$web_port"
echo "" >&2
# On stdout, alone, so a script can capture it; the rest is for people, on stderr.
echo "loadworker is up: $url"
echo "  Locust web UI; $ready of $expected worker(s) ready; default host: the demo target http://127.0.0.1:$demo_port" >&2
if [ "$ready" -lt "$expected" ]; then
  echo "up.sh: warning: only $ready of $expected worker(s) joined the master within 30 s; check the loadworker logs." >&2
fi
if [ "$detach" = 1 ]; then
  echo "Running in the background. Logs: $log   Stop: scripts/down.sh$([ "$run_dir" = "$root/.run" ] || echo " --run-dir $run_dir")" >&2
  started=1 # the EXIT trap must leave a detached run running
  exit 0
fi

echo "Press Ctrl-C to stop everything." >&2
# `sleep & wait` keeps the shell interruptible, so Ctrl-C is handled at once.
while kill -0 "$sup_pid" 2>/dev/null; do
  sleep 1 &
  wait $! || true
done
sup_status=0
wait "$sup_pid" 2>/dev/null || sup_status=$?
# Its programs may outlive it (killed, it cannot stop them): down.sh finds and stops them, and checks.
trap - INT TERM HUP
if [ "$sup_status" = 0 ]; then
  echo "up.sh: supervisord exited; checking that nothing from this run is left..." >&2
else
  echo "up.sh: error: supervisord exited unexpectedly (status $sup_status); stopping what it left running..." >&2
fi
if stop_all; then
  sup_pid=''
  echo "up.sh: nothing from this run is running." >&2
else
  sup_pid=''
  echo "up.sh: error: could not stop everything from this run (see above)." >&2
  exit 1
fi
[ "$sup_status" = 0 ] || exit 1
