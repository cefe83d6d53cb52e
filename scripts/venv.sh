#!/usr/bin/env bash
# Makes (or reuses) the project's virtual environment, .venv, and installs the pinned
# requirements into it: `bash scripts/venv.sh` for the dashboard, `--dev` adds the test tools.
# Any python3 >= 3.11 on PATH will do (PYTHON=... picks another), Debian's own included:
# PEP 668 forbids pip installs into that one, never into a venv.
set -euo pipefail
cd "$(dirname "$0")/.."
REQS=(-r requirements.txt)
case "${1:-}" in
  "") ;;
  --dev) REQS+=(-r requirements-dev.txt) ;;
  *) echo "usage: bash scripts/venv.sh [--dev]" >&2; exit 2 ;;
esac
PY="${PYTHON:-python3}"

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

make_venv() {
  local out
  rm -rf .venv
  if out=$("$PY" -m venv .venv 2>&1); then return 0; fi
  rm -rf .venv  # a venv without pip is of no use
  if ! grep -q ensurepip <<<"$out"; then
    echo "$out" >&2
    echo "error: '$PY -m venv .venv' failed (above)" >&2
    exit 1
  fi
  return 1
}

if [ -x .venv/bin/python ] \
   && .venv/bin/python -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  :  # reuse it
else
  if ! command -v "$PY" >/dev/null 2>&1; then
    echo "error: no $PY found; install Python 3.11 (Debian 12: apt-get install python3 python3-venv)" >&2
    exit 1
  fi
  if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: the dashboard needs Python >= 3.11; $PY is $("$PY" -V 2>&1)" >&2
    exit 1
  fi
  [ -e .venv ] && echo "Recreating .venv (it has no usable Python >= 3.11 with pip)..."
  echo "Creating .venv with $("$PY" -c 'import sys; print(sys.executable)') ($("$PY" -V 2>&1))..."
  if ! make_venv; then
    # Debian and Ubuntu ship venv's pip apart, in python3-venv, not installed by default.
    if command -v apt-get >/dev/null 2>&1 && { [ -z "$SUDO" ] || command -v sudo >/dev/null 2>&1; } \
       && echo "$PY has no ensurepip: installing Debian's python3-venv${SUDO:+ with sudo}..." \
       && $SUDO apt-get update -qq \
       && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
       && make_venv; then
      :
    else
      echo "error: could not make a virtual environment: $PY lacks ensurepip." >&2
      echo "On Debian or Ubuntu, install python3-venv, then run this command again:" >&2
      echo "    sudo apt-get install python3-venv        (as root: apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
fi

echo "Installing the pinned requirements into .venv..."
.venv/bin/python -m pip install --quiet --disable-pip-version-check "${REQS[@]}"
