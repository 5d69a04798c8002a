#!/usr/bin/env bash
# Stops the private PostgreSQL that pg-up.sh started (same RADMAH_PG_DATA). Its data stays.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${RADMAH_PG_DATA:-$root/data/pg}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -f "$data/PG_VERSION" ] || { echo "pg-down: no database at $data" >&2; exit 0; }
if [ "$(id -u)" -eq 0 ]; then
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
else
  "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
fi
echo "pg-down: stopped ($data)"
