#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages, only where missing.
# Called by `make test`; safe to run again.
set -euo pipefail
need=()
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v chromium >/dev/null || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
# The annual report's PDF fonts (Typst reads the files; no other library needed).
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need+=(fonts-liberation)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm)
# A real IMAP server for the reply-by-email tests (started per test run on a loopback port).
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Mozilla's ical.js: the independent iCalendar parser the feed tests cross-check
# with; axe-core: the accessibility rules the browser tests run in every page
# (both pinned in tests/js/package-lock.json; the tests also install them if missing).
js="$(dirname "$0")/js"
# axe-core: the accessibility checker the browser tests run in each page.
{ [ -d "$js/node_modules/ical.js" ] && [ -d "$js/node_modules/axe-core" ]; } \
  || (cd "$js" && npm ci --no-audit --no-fund --silent)
