#!/usr/bin/env bash
# Runs every test of the repository and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
results="$root/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is needed (dotnet was not found on PATH)." >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# PostgreSQL for the storage tests: the same script users run (installs the server if missing).
echo "== postgresql"
export RADMAH_PG_DATA="$root/data/test-pg" RADMAH_PG_PORT="${RADMAH_TEST_PG_PORT:-55433}"
if pg_connection=$(deploy/pg-up.sh | tail -n 1); then
  export RADMAH_TEST_PG="$pg_connection"
  echo "PostgreSQL ready: $RADMAH_TEST_PG"
  trap 'deploy/pg-down.sh >/dev/null 2>&1 || true' EXIT
else
  echo "test.sh: deploy/pg-up.sh failed; the PostgreSQL tests will fail." >&2
fi

echo "== build"
if ! dotnet build RadMah.Orleans.sln -c Release -nologo -v q -clp:ErrorsOnly; then
  echo "test.sh: the build failed." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Reads one count attribute of the xUnit results file's <assembly> element.
count() { grep -o '<assembly [^>]*' "$1" | head -1 | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || echo 0; }

passed=0 failed=0 skipped=0 broken=0
torch_root=""
for project in tests/*.Tests/; do
  name="$(basename "$project")"
  exe="$project/bin/Release/net10.0/RadMah.$name.dll"
  # Projects with LibTorch build for linux-x64 only (bin/…/linux-x64/).
  [ -f "$project/bin/Release/net10.0/linux-x64/RadMah.$name.dll" ] && exe="$project/bin/Release/net10.0/linux-x64/RadMah.$name.dll"
  echo "== $name"
  if [ ! -f "$exe" ]; then
    echo "test.sh: $exe was not built." >&2
    broken=$((broken + 1))
    continue
  fi
  runner=dotnet
  # Tests of the neural models run under a dotnet that can load LibTorch (on Debian 12, a private
  # newer libstdc++; elsewhere the system's dotnet): see deploy/torch-runtime.sh.
  if grep -q 'Neural/Neural.csproj' "$project"/*.csproj; then
    if [ -z "$torch_root" ] && ! torch_root=$(deploy/torch-runtime.sh 2>"$results/torch-runtime.log"); then
      echo "test.sh: deploy/torch-runtime.sh failed; see $results/torch-runtime.log" >&2
      torch_root=""
    fi
    [ -n "$torch_root" ] && runner="$torch_root/dotnet"
  fi
  xml="$results/$name.xml"
  "$runner" "$exe" -noColor -result-xml "$xml" 2>&1 | tee "$results/$name.log" | grep -E '\[FAIL\]|^\s+(Assert|Expected|Actual)|Total:' || true
  if [ ! -s "$xml" ]; then
    echo "test.sh: $name produced no results (crashed?); see $results/$name.log" >&2
    broken=$((broken + 1))
    continue
  fi
  p=$(count "$xml" passed); f=$(count "$xml" failed); e=$(count "$xml" errors); s=$(count "$xml" skipped)
  f=$((f + e))
  if [ "$f" -gt 0 ]; then
    # What the first failures said (a fixture that could not start fails every test with one message).
    echo "   first failures of $name:"
    grep -v -E '^[0-9]{2}:[0-9]{2}:[0-9]{2} (dbug|info|warn|fail|crit):' "$results/$name.log" | grep -m 3 -A 20 '\[FAIL\]' | cut -c1-400 | sed 's/^/   | /'
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done

# The Python SDK's suite (Sdk/python/tests), against a real `radmah serve` it starts itself, on
# Debian's Python: PyPI is not reachable, so its packages come from apt when they are missing.
echo "== python"
python=/usr/bin/python3
declare -A module_package=([pytest]=python3-pytest [pandas]=python3-pandas [tqdm]=python3-tqdm [matplotlib]=python3-matplotlib
  [pip]=python3-pip [setuptools]=python3-setuptools [wheel]=python3-wheel [ensurepip]=python3-venv)
missing=()
for module in "${!module_package[@]}"; do
  "$python" -c "import $module" >/dev/null 2>&1 || missing+=("${module_package[$module]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt_get=(apt-get); [ "$(id -u)" -ne 0 ] && apt_get=(sudo -n apt-get)
  if ! { DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -q --no-install-recommends "${missing[@]}" >"$results/apt.log" 2>&1 \
      || { DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" update -q >>"$results/apt.log" 2>&1 \
           && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -q --no-install-recommends "${missing[@]}" >>"$results/apt.log" 2>&1; }; }; then
    echo "test.sh: could not install ${missing[*]}; see $results/apt.log" >&2
  fi
fi
xml="$results/Sdk.Python.xml"
RADMAH_CLI_DLL="$root/Cli/bin/Release/net10.0/radmah.dll" PYTHONDONTWRITEBYTECODE=1 \
  "$python" -m pytest -q -p no:cacheprovider --junitxml="$xml" Sdk/python/tests 2>&1 | tee "$results/Sdk.Python.log" | tail -n 15
if [ -s "$xml" ]; then
  # pytest's JUnit report: <testsuite ... errors= failures= skipped= tests=>.
  suite=$(grep -o '<testsuite [^>]*' "$xml" | head -1)
  attr() { echo "$suite" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || echo 0; }
  t=$(attr tests); f=$(attr failures); e=$(attr errors); s=$(attr skipped)
  passed=$((passed + t - f - e - s)); failed=$((failed + f + e)); skipped=$((skipped + s))
else
  echo "test.sh: the Python suite produced no results; see $results/Sdk.Python.log" >&2
  broken=$((broken + 1))
fi

failed=$((failed + broken))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
