#!/usr/bin/env bash
# The installed minsky against the checkout's launcher, side by side in one run (prints figures,
# asserts nothing): artifact sizes; the cold first run of the installed `bin/minsky doctor` on a
# fresh HOME (page cache warm: the tarball was just unpacked); then RUNS alternated runs each of
# `bin/minsky --version` and `./minsky --version` (and doctor on a fresh store), medians of wall and CPU.
# Usage: bench/install-bench.sh [RUNS] (default 7); needs `mvn -B -DskipTests package` first.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
tarball="$(ls target/minsky-*-linux-x64.tar.gz)"
deb="$(ls target/minsky_*_amd64.deb)"
echo "tarball: $tarball $(du -h "$tarball" | cut -f1) ($(stat -c %s "$tarball") bytes)"
echo "deb:     $deb $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$tarball" -C "$tmp"
inst="$(ls -d "$tmp"/minsky-*/)bin/minsky"
echo "unpacked: $(du -sh "$tmp" | cut -f1)"
./minsky --version >/dev/null # builds the jar and the launcher's archive if needed
echo "load: $(uptime)"

t() { # prints "wall cpu" of one run of "$@"
  local f="$tmp/time"
  /usr/bin/time -f "%e %U %S" -o "$f" "$@" >/dev/null 2>&1 || true
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$f"
}
fresh_home() { local h; h="$(mktemp -d "$tmp/home.XXXXXX")"; echo "$h"; }

h="$(fresh_home)"
read -r w c < <(HOME="$h" t "$inst" doctor)
echo "installed bin/minsky doctor, first run ever on a fresh HOME: ${w} s wall, ${c} s CPU"

: >"$tmp/inst-v"; : >"$tmp/dev-v"; : >"$tmp/inst-d"; : >"$tmp/dev-d"
for _ in $(seq "$runs"); do
  HOME="$(fresh_home)" t "$inst" --version >>"$tmp/inst-v"
  HOME="$(fresh_home)" t ./minsky --version >>"$tmp/dev-v"
  h1="$(fresh_home)"; HOME="$h1" "$inst" sessiondb init --backend sqlite >/dev/null
  HOME="$h1" t "$inst" doctor --json >>"$tmp/inst-d"
  h2="$(fresh_home)"; HOME="$h2" ./minsky sessiondb init --backend sqlite >/dev/null
  HOME="$h2" t ./minsky doctor --json >>"$tmp/dev-d"
done
med() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-40s %10s %10s\n' "median of $runs" "wall s" "CPU s"
for k in inst-v:"bin/minsky --version (installed)" dev-v:"./minsky --version (checkout)" \
         inst-d:"bin/minsky doctor --json (installed)" dev-d:"./minsky doctor --json (checkout)"; do
  f="$tmp/${k%%:*}"
  printf '%-40s %10s %10s\n' "${k#*:}" "$(cut -d' ' -f1 "$f" | med)" "$(cut -d' ' -f2 "$f" | med)"
done
