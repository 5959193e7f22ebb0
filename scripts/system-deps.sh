#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: PostgreSQL, Chromium and Voikko.
# `system-deps.sh voikko` checks only Voikko (what `make run` needs for Finnish search).
set -euo pipefail
missing=()
if [ "${1:-all}" = all ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
dpkg -s libvoikko1 >/dev/null 2>&1 || missing+=(libvoikko1)
dpkg -s voikko-fi >/dev/null 2>&1 || missing+=(voikko-fi)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && [ "${1:-all}" = voikko ]; then
  echo "Finnish search works best with Voikko: sudo apt-get install -y ${missing[*]}" >&2
  echo "(without it, search falls back to Snowball stemming)" >&2
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
