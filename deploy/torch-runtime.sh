#!/usr/bin/env bash
# Prints the root of a `dotnet` that can load TorchSharp (the neural models' runtime).
#
# TorchSharp 0.107's libLibTorchSharp.so needs libstdc++ with GLIBCXX_3.4.32 (GCC 13); Debian 12
# has 3.4.30. Where the system's libstdc++ is new enough (Debian 13, Ubuntu 24.04) this prints the
# system dotnet's root and does nothing else. Otherwise it builds, once, under a cache directory:
#   - a private prefix with Debian 13's glibc and libstdc++ (libc6, libstdc++6, libgcc-s1 unpacked
#     with `dpkg -x`: nothing is installed, the system keeps its own libraries);
#   - a hard-linked copy of the dotnet root whose `dotnet` muxer and apphost template load that
#     prefix (patchelf: interpreter and RPATH).
# Only processes started with that `dotnet` use the prefix; postgres and everything else do not.
# The copy is rebuilt when the system's dotnet changes. Cost: one apt-get update and about 16 MB.
#
# Usage: torch_root=$(deploy/torch-runtime.sh) && "$torch_root/dotnet" app.dll
# Environment: RADMAH_TORCH_RUNTIME (cache directory, default ~/.cache/radmah/torch-runtime).
set -euo pipefail

system_dotnet=$(readlink -f "$(command -v dotnet)")
system_root=$(dirname "$system_dotnet")
# (awk reads to the end: stopping early would break ldconfig's pipe, and pipefail would end the script)
libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {found = $NF} END {print found}')
libstdcxx=${libstdcxx:-/lib/x86_64-linux-gnu/libstdc++.so.6}
if grep -q GLIBCXX_3.4.32 "$libstdcxx"; then
  echo "$system_root"
  exit 0
fi

cache=${RADMAH_TORCH_RUNTIME:-$HOME/.cache/radmah/torch-runtime}
prefix=$cache/glibc
root=$cache/dotnet
# What the copy was made from: the muxer's path and its modification time.
stamp="$system_dotnet $(stat -c %Y "$system_dotnet")"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if [[ ! -x $root/dotnet || ! -f $cache/stamp || $(cat "$cache/stamp") != "$stamp" ]]; then
  if ! command -v patchelf >/dev/null; then
    # A fresh machine has empty apt lists: update before installing.
    as_root apt-get install -y -q -o DPkg::Lock::Timeout=600 patchelf >/dev/null 2>&1 \
      || { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q -o DPkg::Lock::Timeout=600 patchelf >/dev/null; }
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial"
  # The mirror this system uses for its own release, asked for the next one (trixie). Only the
  # files apt reads; one-line entries may carry [options]; security and updates suites are skipped.
  mirror=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } \
    | sed -E 's/\[[^]]*\]//' | awk '$1 ~ /^(URIs:|deb)$/ && $2 !~ /security|updates/ && !m {m=$2} END {print m}')
  if [[ -z $mirror ]]; then
    echo "torch-runtime: no Debian mirror in the apt sources, so the newer libstdc++ cannot be fetched" >&2
    exit 1
  fi
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$work/trixie.list"
  apt_options=(-o APT::Sandbox::User="$(id -un)" -o Dir::Etc::SourceList="$work/trixie.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o Debug::NoLocking=1)
  apt-get "${apt_options[@]}" update -q >/dev/null
  (cd "$work" && apt-get "${apt_options[@]}" download libc6 libstdc++6 libgcc-s1 >/dev/null)
  for package in "$work"/*.deb; do dpkg -x "$package" "$work/unpacked"; done
  [[ -e $work/unpacked/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 ]] || { echo "torch-runtime: the downloaded libc6 has no loader" >&2; exit 1; }
  rm -rf "$prefix" "$root"
  mkdir -p "$prefix"
  cp -a "$work"/unpacked/usr/lib/x86_64-linux-gnu/. "$prefix/"
  # Hard links where the cache shares the SDK's file system (a copy otherwise); the muxer itself is
  # copied, since it is the one file patched.
  # (a user may not hard-link files it does not own: then a partial tree is removed and the root copied)
  cp -al "$system_root" "$root" 2>/dev/null || { rm -rf "$root" && cp -a "$system_root" "$root"; }
  rm "$root/dotnet" && cp "$system_dotnet" "$root/dotnet"
  patchelf --set-interpreter "$prefix/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$prefix" "$root/dotnet"
  echo "$stamp" >"$cache/stamp"
fi

# Apphosts (bin/<app> of projects built by this SDK) come from this template: a private, patched
# copy (its hard link broken first) makes them load the prefix too.
for template in "$root"/packs/Microsoft.NETCore.App.Host.linux-x64/*/runtimes/linux-x64/native/apphost; do
  [[ -f $template && $(patchelf --print-interpreter "$template") != "$prefix"/* ]] || continue
  cp "$template" "$template.new"
  patchelf --set-interpreter "$prefix/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$prefix" "$template.new"
  mv "$template.new" "$template"
done
echo "$root"
