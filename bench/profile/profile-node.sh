#!/usr/bin/env bash
# Profiles the node of a LoadGen run while it is under load:
#   bench/profile/profile-node.sh perf|trace DELAY_S DURATION_S OUT -- LoadGen arguments…
# starts `LoadGen …` (which prints "node: pid N"), waits DELAY_S seconds (warm-up), then records
# DURATION_S seconds of the node and prints the LoadGen output (also in OUT.log).
#   perf:  perf record -g at 999 Hz, kernel and native code included, with the runtime's perf map for
#          JIT-compiled frames: OUT.data and OUT.txt (perf script) for perf_breakdown.py.
#   trace: dotnet-trace's thread-time profile (installed as a global tool if missing):
#          OUT.speedscope.json for cpu_breakdown.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tool=$1 delay=$2 duration=$3 out=$4
shift 4
[ "${1:-}" = -- ] && shift
case "$tool" in
  perf)
    command -v perf >/dev/null || apt-get install -y -q linux-perf >/dev/null
    export RADMAH_NODE_ENV="${RADMAH_NODE_ENV:+$RADMAH_NODE_ENV;}DOTNET_PerfMapEnabled=1;DOTNET_EnableWriteXorExecute=0" ;;
  trace)
    export PATH="$PATH:$HOME/.dotnet/tools"
    command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null ;;
  *) echo "profile-node.sh: the tool is perf or trace, not '$tool'" >&2; exit 2 ;;
esac
dotnet "$root/bench/LoadGen/bin/Release/net10.0/RadMah.LoadGen.dll" "$@" >"$out.log" 2>&1 &
loadgen=$!
for _ in $(seq 120); do
  pid=$(sed -n 's/^node: pid \([0-9]*\)$/\1/p' "$out.log")
  [ -n "$pid" ] && break
  sleep 1
done
[ -n "${pid:-}" ] || { echo "no node pid in $out.log" >&2; kill $loadgen; exit 1; }
sleep "$delay"
if [ "$tool" = perf ]; then
  perf record -F 999 -g -p "$pid" -o "$out.data" -- sleep "$duration" >/dev/null 2>&1
  perf script -i "$out.data" >"$out.txt" 2>/dev/null
else
  dotnet-trace collect -p "$pid" --duration "00:00:00:$(printf %02d "$duration")" --format Speedscope -o "$out.nettrace" >/dev/null
fi
wait $loadgen
cat "$out.log"
