#!/usr/bin/env bash
# The one test command: makes or reuses .venv with what the tests need, then runs them all
# with its Python (the tests' dashboard subprocesses run on sys.executable, so in .venv too).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh --dev
# Debian packages the tests need, installed where missing: chromium and chromium-driver (the
# browser tests, the pack's images), fonts-dejavu-core (the charts' font), libreoffice-impress and poppler-utils (the pack rendered
# to PDF, its pages counted).
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
UPDATED=""
install() {  # install Debian packages: apt-get's own options first, then the packages
  [ -n "$UPDATED" ] || { $SUDO apt-get update -qq; UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "Installing Debian chromium and chromium-driver for the browser tests..."
  install chromium chromium-driver
fi
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "Installing Debian fonts-dejavu-core (the charts' font; their labels are measured in it)..."
  install fonts-dejavu-core
fi
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
  echo "Installing Debian libreoffice-impress and poppler-utils for the pack's PDF test..."
  install --no-install-recommends libreoffice-impress poppler-utils
fi
# axe-core (pinned in tests/a11y/package-lock.json) for the browser tests' accessibility
# checks: test-only, in tests/a11y/node_modules, never served to users
if [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ]; then
  echo "Fetching axe-core for the accessibility tests..."
  # npm trusts only the CAs bundled with Node; trust the system's too, as pip and curl do
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
  npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error
fi
exec .venv/bin/python -m pytest -q "$@"
