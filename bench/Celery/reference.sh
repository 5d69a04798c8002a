#!/usr/bin/env bash
# Celery's lifecycle throughput, the reference for `LoadGen lifecycle` (docs/BENCHMARKS.md):
#   bench/Celery/reference.sh [CLIENTS] [JOBS] [ROUNDS]
# Redis 7 and Celery 5.2 from Debian's packages (redis-server, python3-celery, python3-redis; installed
# here if missing), a private Redis on a free loopback port with its default persistence, and a worker
# of 2 prefork processes (this machine's cores). Everything started here is stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clients=${1:-1} jobs=${2:-3000} rounds=${3:-1}
# Debian's interpreter, where python3-celery installs (another python3 may come first on PATH).
python=/usr/bin/python3
if ! command -v redis-server >/dev/null || ! "$python" -c 'import celery, redis' 2>/dev/null; then
  apt-get install -y -q redis-server python3-celery python3-redis >/dev/null
fi
work=$(mktemp -d /tmp/radmah-celery-XXXXXX)
port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  [ -n "${worker:-}" ] && kill "$worker" 2>/dev/null && wait "$worker" 2>/dev/null || true
  [ -n "${redis:-}" ] && kill "$redis" 2>/dev/null && wait "$redis" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --daemonize no --loglevel warning >"$work/redis.log" 2>&1 &
redis=$!
export RADMAH_CELERY_REDIS="redis://127.0.0.1:$port/0"
cd "$here"
"$python" -m celery -A tasks worker --concurrency 2 --pool prefork --loglevel WARNING --without-gossip --without-mingle --without-heartbeat >"$work/worker.log" 2>&1 &
worker=$!
for _ in $(seq 60); do
  "$python" -c 'from tasks import app; import sys; sys.exit(0 if app.control.ping(timeout=0.5) else 1)' 2>/dev/null && break
  sleep 0.5
done
"$python" clients.py "$clients" "$jobs" "$rounds"
