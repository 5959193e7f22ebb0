#!/usr/bin/env bash
# The whole suite twice: on SQLite, then on a real PostgreSQL server started on loopback.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PGPORT_TEST:-54329}
export DJANGO_ALLOW_ASYNC_UNSAFE=true

run_suite() {  # name, then pytest arguments
  local name=$1; shift
  echo "== $name =="
  local log; log=$(mktemp)
  "$BIN/pytest" "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  summary[$name]=$(grep -E '(passed|failed|errors?|no tests ran).* in [0-9.]+s' "$log" | tail -1 | tr -d '=' | sed 's/^ *//')
  rm -f "$log"
  # pytest exits 5 when it collected no test: that is a failure too.
  return "$status"
}

declare -A summary
failed=0
DATABASE_URL="sqlite://" run_suite SQLite -q -n 2 || failed=1

bash scripts/postgres.sh start || exit 1
trap 'bash scripts/postgres.sh stop' EXIT
DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/digikunta" run_suite PostgreSQL -q -n 2 || failed=1

echo
echo "== Test counts =="
echo "SQLite:     ${summary[SQLite]:-no result}"
echo "PostgreSQL: ${summary[PostgreSQL]:-no result}"
exit $failed
