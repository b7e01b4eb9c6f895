#!/usr/bin/env bash
# Rewrites the image's supervisord.conf for a run on this host (stdin → stdout), so up.sh runs the
# very file the image runs: /app/ → the built app dir, /tmp/ → the run dir, ports and worker count
# from the flags, and 0.0.0.0 → 127.0.0.1 because a host run must not listen beyond loopback.
# test/deploy/supervisord-conf.test.ts pins the rewrite.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/lib/supervisord-conf.sh --app-dir DIR --run-dir DIR [options] < supervisord.conf > runtime.conf
  --app-dir DIR      where loadworker and master.py live (replaces /app/)
  --run-dir DIR      where the socket and pidfile go (replaces /tmp/)
  --web-port P       Locust web UI port (default 8090)
  --master-port P    Locust master port the workers join (default 5557)
  --demo-port P      demo target port, also the UI's default host (default 8099)
  --workers N        loadworker processes: --processes N (default -1, one per CPU core)
  --bind ADDR        address replacing 0.0.0.0 (default 127.0.0.1)
EOF
}

app_dir='' run_dir='' web_port=8090 master_port=5557 demo_port=8099 workers=-1 bind=127.0.0.1
while [ $# -gt 0 ]; do
  case "$1" in
    --app-dir) app_dir=${2:?--app-dir needs a value}; shift 2 ;;
    --run-dir) run_dir=${2:?--run-dir needs a value}; shift 2 ;;
    --web-port) web_port=${2:?--web-port needs a value}; shift 2 ;;
    --master-port) master_port=${2:?--master-port needs a value}; shift 2 ;;
    --demo-port) demo_port=${2:?--demo-port needs a value}; shift 2 ;;
    --workers) workers=${2:?--workers needs a value}; shift 2 ;;
    --bind) bind=${2:?--bind needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "supervisord-conf.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ -z "$app_dir" ] || [ -z "$run_dir" ]; then
  echo "supervisord-conf.sh: --app-dir and --run-dir are required" >&2
  exit 2
fi
for value in "$web_port" "$master_port" "$demo_port" "${workers#-}"; do
  case "$value" in '' | *[!0-9]*) echo "supervisord-conf.sh: '$value' is not a number" >&2; exit 2 ;; esac
done
case "$workers" in -1 | [1-9] | [1-9][0-9] | [1-9][0-9][0-9]) ;; *) echo "supervisord-conf.sh: --workers must be -1 (one per CPU core) or a number of processes, got '$workers'" >&2; exit 2 ;; esac
case "$app_dir$run_dir" in
  *"'"* | *$'\n'*) echo "supervisord-conf.sh: paths with quotes or newlines are not supported" >&2; exit 2 ;;
esac

# supervisord %-expands option values, so a literal % must be %%; then escape for sed's replacement.
sed_escape() {
  local value=${1//%/%%}
  value=${value//\\/\\\\}
  value=${value//&/\\&}
  printf '%s' "${value//|/\\|}"
}
app=$(sed_escape "$app_dir")
run=$(sed_escape "$run_dir")

# Comment lines are left alone. Paths go in last, through placeholders, so a run dir that itself
# contains /tmp/ or /app/ is not rewritten twice. In command lines the app dir is single-quoted
# because supervisord splits commands like a shell (shlex): a checkout path with spaces still works.
sed -E \
  -e "/^[[:space:]]*;/b" \
  -e "s|/app/|@@LW_APP@@/|g" \
  -e "s|/tmp/|@@LW_RUN@@/|g" \
  -e "s|--web-port=8090|--web-port=$web_port|" \
  -e "s|--master-bind-port=5557|--master-bind-port=$master_port|" \
  -e "s|--master-port 5557|--master-port $master_port|" \
  -e "s|--port 8099|--port $demo_port|" \
  -e "s|127\\.0\\.0\\.1:8099|127.0.0.1:$demo_port|" \
  -e "s|0\\.0\\.0\\.0|$bind|g" \
  -e "s|--processes -1\$|--processes $workers|" \
  -e "/^command=/s|@@LW_APP@@/([^[:space:]]*)|'$app/\\1'|g" \
  -e "s|@@LW_APP@@|$app|g" \
  -e "s|@@LW_RUN@@|$run|g"
