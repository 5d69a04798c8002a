#!/usr/bin/env bash
# A cluster on one machine, all on loopback: PostgreSQL (deploy/pg-up.sh), N silos with tier
# roles, and one gateway. Logs under ./data/logs (appended across restarts), pids under ./data/run. Like separate machines,
# each process has its own data directory (./data/cluster/NAME, staging only): artifacts are
# stored in PostgreSQL (--artifact-store postgres), where every process reads them.
#   deploy/local-cluster.sh up [--silos N] [--base-port P]
#   deploy/local-cluster.sh status
#   deploy/local-cluster.sh down
# Silo i listens on P+10i (silo), P+10i+1 (Orleans gateway) and P+10i+2 (dashboard); the gateway on
# 5080 (REST) and 5081 (gRPC). Tier roles: silo 1 default+interactive, silo 2 default+free,
# silo 3 default+gpu, further silos default.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command="${1:-}"; shift || true
silos=3; base=40000
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos="$2"; shift 2 ;;
    --base-port) base="$2"; shift 2 ;;
    *) echo "local-cluster: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$silos" in ''|*[!0-9]*) echo "local-cluster: --silos needs a number" >&2; exit 2 ;; esac
run="$root/data/run"; logs="$root/data/logs"; shared="$root/data/cluster"
export RADMAH_PG_DATA="${RADMAH_PG_DATA:-$root/data/pg}" RADMAH_PG_PORT="${RADMAH_PG_PORT:-55432}"

role() { case "$1" in 1) echo default,interactive ;; 2) echo default,free ;; 3) echo default,gpu ;; *) echo default ;; esac; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

case "$command" in
  up)
    mkdir -p "$run" "$logs" "$shared"
    pg="$(deploy/pg-up.sh | tail -n 1)"
    echo "$pg" > "$run/pg"
    ./radmah --help >/dev/null   # builds the CLI on first use
    dll="$root/.build/cli/radmah.dll"
    for i in $(seq 1 "$silos"); do
      pidfile="$run/silo-$i.pid"
      if alive "$pidfile"; then echo "silo $i already running (pid $(cat "$pidfile"))"; continue; fi
      p=$((base + 10 * i))
      # Appended, never truncated: a restarted silo's log keeps what it wrote before its crash.
      echo "=== $(date -u +%FT%TZ) silo $i starting" >> "$logs/silo-$i.log"
      nohup dotnet "$dll" serve --silo-only --storage postgres --pg "$pg" --artifact-store postgres --data "$shared/silo-$i" --signing-key "$shared/signing-key.pem" \
        --silo-port "$p" --cluster-port $((p + 1)) --dashboard-port $((p + 2)) --queues "$(role "$i")" \
        >> "$logs/silo-$i.log" 2>&1 &
      echo $! > "$pidfile"
      echo "$p $((p + 1)) $((p + 2)) $(role "$i")" > "$run/silo-$i.ports"
    done
    if ! alive "$run/gateway.pid"; then
      echo "=== $(date -u +%FT%TZ) gateway starting" >> "$logs/gateway.log"
      nohup dotnet "$dll" gateway --storage postgres --pg "$pg" --artifact-store postgres --data "$shared/gateway" --http-port 5080 --grpc-port 5081 \
        >> "$logs/gateway.log" 2>&1 &
      echo $! > "$run/gateway.pid"
    fi
    for _ in $(seq 1 60); do
      curl -fs http://127.0.0.1:5080/healthz >/dev/null 2>&1 && break; sleep 1
    done
    "$0" status
    echo "Create an account: ./radmah admin --cluster-port $((base + 11)) accounts create --plan pro --credits 100"
    ;;
  status)
    printf '%-9s %-8s %-6s %s\n' process pid state "ports / tiers"
    for pidfile in "$run"/silo-*.pid; do
      [ -e "$pidfile" ] || continue
      name="$(basename "$pidfile" .pid)"
      state=$(alive "$pidfile" && echo up || echo down)
      read -r sp gp dp tiers < "${pidfile%.pid}.ports"
      printf '%-9s %-8s %-6s silo %s, orleans gateway %s, dashboard http://127.0.0.1:%s/dashboard, tiers %s\n' "$name" "$(cat "$pidfile")" "$state" "$sp" "$gp" "$dp" "$tiers"
    done
    if [ -e "$run/gateway.pid" ]; then
      state=$(alive "$run/gateway.pid" && echo up || echo down)
      printf '%-9s %-8s %-6s REST http://127.0.0.1:5080, gRPC 127.0.0.1:5081\n' gateway "$(cat "$run/gateway.pid")" "$state"
    fi
    [ -e "$run/pg" ] && printf '%-9s %-8s %-6s %s\n' postgres - - "$(cat "$run/pg")"
    ;;
  down)
    for pidfile in "$run"/gateway.pid "$run"/silo-*.pid; do
      [ -e "$pidfile" ] || continue
      if alive "$pidfile"; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
    for pidfile in "$run"/gateway.pid "$run"/silo-*.pid; do
      [ -e "$pidfile" ] || continue
      for _ in $(seq 1 30); do alive "$pidfile" || break; sleep 0.5; done
      alive "$pidfile" && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile" "${pidfile%.pid}.ports"
    done
    deploy/pg-down.sh
    rm -f "$run/pg"
    ;;
  *)
    echo "usage: deploy/local-cluster.sh up|down|status [--silos N] [--base-port P]" >&2
    exit 2
    ;;
esac
