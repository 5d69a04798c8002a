#!/usr/bin/env bash
# Lifecycle throughput of `radmah serve` against Celery, alternated in one sitting (docs/BENCHMARKS.md):
#   bench/lifecycle-vs-celery.sh [CYCLES] [CLIENTS] [JOBS]
# Each cycle runs Celery's reference (bench/Celery/reference.sh: 2 prefork workers, Redis, a no-op task)
# and then the node (LoadGen lifecycle: one-row mock jobs over REST, each signed, sealed and captured),
# the same CLIENTS × JOBS shape for both, so the two rates of a cycle come from the same minutes of this
# machine. RADMAH_NODE_ARGS passes options to the node (e.g. "--storage memory"). Needs a Release build
# of bench/LoadGen.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cycles=${1:-3} clients=${2:-1} jobs=${3:-3000}
loadgen="$root/bench/LoadGen/bin/Release/net10.0/RadMah.LoadGen.dll"
[ -f "$loadgen" ] || dotnet build "$root/bench/LoadGen" -c Release -nologo -v q >/dev/null
for cycle in $(seq "$cycles"); do
  echo "== cycle $cycle"
  "$root/bench/Celery/reference.sh" "$clients" "$jobs" 2 | tail -1
  dotnet "$loadgen" lifecycle "$clients" "$jobs" 2 | tail -1
done
