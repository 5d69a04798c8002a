#!/usr/bin/env bash
# Creates (once) and starts a private PostgreSQL on a loopback port, then applies deploy/sql/*.sql
# (idempotent). Prints the connection string on its last line.
#   RADMAH_PG_PORT   port (default 55432)
#   RADMAH_PG_DATA   data directory (default ./data/pg)
# Run by root, the server runs as the unprivileged 'postgres' user (PostgreSQL refuses root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${RADMAH_PG_PORT:-55432}"
data="${RADMAH_PG_DATA:-$root/data/pg}"
log="${data%/}.log"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin="$(find_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "pg-up: PostgreSQL server binaries are missing; run 'apt-get install postgresql' as root." >&2
    exit 1
  fi
  echo "pg-up: installing PostgreSQL from Debian's packages…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin="$(find_bin)"
fi

as_db_user() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

mkdir -p "$data"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data"; fi
chmod 700 "$data"

if [ ! -f "$data/PG_VERSION" ]; then
  as_db_user "$bin/initdb" -D "$data" -U radmah --auth=trust -E UTF8 --no-locale >/dev/null
fi

if ! as_db_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  touch "$log"; [ "$(id -u)" -eq 0 ] && chown postgres: "$log"
  as_db_user "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $data -c max_connections=400" start >/dev/null
fi

psql_cmd=(env PGOPTIONS="-c client_min_messages=warning" psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -p "$port" -U radmah)
for _ in $(seq 1 30); do "${psql_cmd[@]}" -d postgres -c 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
if ! "${psql_cmd[@]}" -d postgres -tAc "select 1 from pg_database where datname = 'radmah'" | grep -q 1; then
  "${psql_cmd[@]}" -d postgres -c 'create database radmah' >/dev/null
fi
for script in "$root"/deploy/sql/*.sql; do
  "${psql_cmd[@]}" -d radmah -f "$script" >/dev/null
done
# Several silos and a gateway share the server: keep each process's pool well under max_connections.
echo "Host=127.0.0.1;Port=$port;Username=radmah;Database=radmah;Maximum Pool Size=50"
