#!/usr/bin/env bash
# CPU profile of the node of a LoadGen run, kernel and native code included (perf, with the runtime's
# perf map for JIT-compiled frames):
#   bench/profile/perf-node.sh DELAY_S DURATION_S OUT -- LoadGen arguments…
# writes OUT.data (perf record -g) and OUT.txt (perf script), and prints the LoadGen output.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
delay=$1 duration=$2 out=$3
shift 3
[ "${1:-}" = -- ] && shift
command -v perf >/dev/null || apt-get install -y -q linux-perf >/dev/null
RADMAH_NODE_ENV="${RADMAH_NODE_ENV:+$RADMAH_NODE_ENV;}DOTNET_PerfMapEnabled=1;DOTNET_EnableWriteXorExecute=0" \
  dotnet "$root/bench/LoadGen/bin/Release/net10.0/RadMah.LoadGen.dll" "$@" >"$out.log" 2>&1 &
loadgen=$!
for _ in $(seq 120); do
  pid=$(sed -n 's/^node: pid \([0-9]*\)$/\1/p' "$out.log")
  [ -n "$pid" ] && break
  sleep 1
done
[ -n "${pid:-}" ] || { echo "no node pid in $out.log" >&2; kill $loadgen; exit 1; }
sleep "$delay"
perf record -F 999 -g -p "$pid" -o "$out.data" -- sleep "$duration" >/dev/null 2>&1
perf script -i "$out.data" >"$out.txt" 2>/dev/null
wait $loadgen
cat "$out.log"
