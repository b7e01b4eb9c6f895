# Sourced by the scripts that make a Python venv of pinned PyPI packages (venv.sh, venv-grpcio.sh,
# venv-websockets.sh, venv-plugins.sh). pip_venv VENV STAMP PACKAGE==VERSION...: makes VENV (with
# $PYTHON, default python3) and installs the packages into it, once: STAMP, a file inside VENV named
# after the versions, marks it done, so a new pin installs again. flock on VENV.lock keeps two runs
# apart (the test files start in parallel). MIN_PYTHON (e.g. 3.11) is the oldest Python the packages
# install on. Errors say what to install and exit 3.
pip_venv() {
  local venv=$1 stamp=$2
  shift 2
  local py=${PYTHON:-python3}
  command -v "$py" >/dev/null 2>&1 \
    || { echo "error: $py not found. Install Python ${MIN_PYTHON:-3.9}+ (e.g. apt-get install python3 python3-venv) or set PYTHON=/path/to/python3." >&2; exit 3; }
  [ -f "$stamp" ] && return 0
  mkdir -p "$(dirname "$venv")"
  exec 9>"$venv.lock"
  flock 9
  if [ ! -f "$stamp" ]; then
    local min=${MIN_PYTHON:-3.9} found wanted
    wanted=$(printf '%s, ' "$@")
    wanted=${wanted%, }
    found=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if [ "$(printf '%s\n%s\n' "$min" "$found" | sort -V | head -1)" != "$min" ]; then
      echo "error: $py is Python $found; $wanted need Python $min+. Install it (e.g. python$min) and set PYTHON=/path/to/python$min." >&2
      exit 3
    fi
    if [ ! -x "$venv/bin/python" ]; then
      { "$py" -m venv "$venv" && [ -x "$venv/bin/python" ]; } \
        || { echo "error: '$py -m venv' failed. Install the venv module (apt-get install python3-venv) and retry." >&2; exit 3; }
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2 \
      || { echo "error: pip could not install $wanted into $venv. Check that PyPI is reachable and retry." >&2; exit 3; }
    touch "$stamp"
  fi
  exec 9>&-
}
