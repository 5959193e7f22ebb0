#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: PostgreSQL, Chromium, Voikko, and Pango
# with the DejaVu fonts (WeasyPrint's decision PDFs, ADR 0018).
# `system-deps.sh voikko` checks only what `make run` needs: Voikko and the PDF libraries.
set -euo pipefail
missing=()
if [ "${1:-all}" = all ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
dpkg -s libvoikko1 >/dev/null 2>&1 || missing+=(libvoikko1)
dpkg -s voikko-fi >/dev/null 2>&1 || missing+=(voikko-fi)
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && [ "${1:-all}" = voikko ]; then
  echo "Finnish search (Voikko) and decision PDFs (Pango): sudo apt-get install -y ${missing[*]}" >&2
  echo "(without Voikko, search falls back to Snowball stemming; without Pango, decisions" >&2
  echo "are mailed only when the libraries are installed)" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them as root:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
