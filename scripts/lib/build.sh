#!/usr/bin/env bash
# Builds the app layout the image ships in /app: the loadworker binary (runtime + tasks/) and the
# master.py generated from it, so the master's user classes cannot drift from the TypeScript ones.
# The Dockerfile's build stage runs this same script; scripts/up.sh runs it for a host run.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/lib/build.sh [--out DIR] [--host URL] [--tasks DIR]
  --out DIR    where to put loadworker and master.py (default: .run/app)
  --tasks DIR  the task files to compile in (default: tasks/)
  --host URL   default host written into master.py, pre-filling the web UI (default http://127.0.0.1:8099)
Env: BUN=/path/to/bun (default node_modules/.bin/bun, else bun on PATH as in the oven/bun image)
EOF
}

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/.run/app"
host=http://127.0.0.1:8099
tasks="$root/tasks"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a value}; shift 2 ;;
    --host) host=${2:?--host needs a value}; shift 2 ;;
    --tasks) tasks=${2:?--tasks needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "build.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# Relative paths mean relative to where the caller stands, before we cd to the repo.
[ -d "$tasks" ] || { echo "build.sh: error: --tasks $tasks is not a folder; give the folder of your task files (.ts)" >&2; exit 2; }
tasks=$(cd "$tasks" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

bun=${BUN:-}
if [ -z "$bun" ]; then
  if [ -x "$root/node_modules/.bin/bun" ]; then bun="$root/node_modules/.bin/bun"
  elif command -v bun >/dev/null 2>&1; then bun=bun
  else
    echo "error: bun not found. Run 'npm ci' in $root (it installs the pinned bun) and retry." >&2
    exit 4
  fi
fi

cd "$root"
# Straight into the out dir, under a temporary name, then renamed: the repo's ./loadworker (which
# someone may be running) is left alone, a running copy in $out is replaced, never overwritten in
# place (ETXTBSY), and a failed step never leaves half a binary or half a master.py behind.
# On failure build.ts has already said which file and line and what to do; one message is enough.
if ! "$bun" scripts/build.ts --outfile "$out/.loadworker.tmp" --tasks "$tasks"; then
  rm -f "$out/.loadworker.tmp"
  exit 5
fi
mv -f "$out/.loadworker.tmp" "$out/loadworker"
if ! "$out/loadworker" locustfile --host "$host" > "$out/.master.py.tmp"; then
  rm -f "$out/.master.py.tmp"
  echo "error: 'loadworker locustfile' failed; master.py was not generated (see the message above)." >&2
  exit 5
fi
mv -f "$out/.master.py.tmp" "$out/master.py"
echo "built $out/loadworker and $out/master.py" >&2
