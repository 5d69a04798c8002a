#!/usr/bin/env bash
# Profiles the node of a LoadGen run while it is under load:
#   bench/profile/trace-node.sh DELAY_S DURATION_S OUT -- LoadGen arguments…
# starts `LoadGen …` (which prints "node: pid N"), waits DELAY_S seconds (warm-up), records DURATION_S
# seconds of the node with dotnet-trace (installed as a global tool if missing), and writes
# OUT.speedscope.json for bench/profile/cpu_breakdown.py. The LoadGen output goes to OUT.log.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
delay=$1 duration=$2 out=$3
shift 3
[ "${1:-}" = -- ] && shift
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
dotnet "$root/bench/LoadGen/bin/Release/net10.0/RadMah.LoadGen.dll" "$@" >"$out.log" 2>&1 &
loadgen=$!
for _ in $(seq 120); do
  pid=$(sed -n 's/^node: pid \([0-9]*\)$/\1/p' "$out.log")
  [ -n "$pid" ] && break
  sleep 1
done
[ -n "${pid:-}" ] || { echo "no node pid in $out.log" >&2; kill $loadgen; exit 1; }
sleep "$delay"
dotnet-trace collect -p "$pid" --duration "00:00:00:$(printf %02d "$duration")" --format Speedscope -o "$out.nettrace" >/dev/null
wait $loadgen
cat "$out.log"
