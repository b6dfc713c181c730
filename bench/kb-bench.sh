#!/usr/bin/env bash
# Benchmark of the playbook-authoring tools, and of what they added to `minsky doctor`: prints
# figures, asserts nothing.
#   bench/kb-bench.sh [BASE_JAR] [RUNS]
# 1. `minsky doctor` on a healthy SQLite store with this build's jar and, when BASE_JAR is given
#    (a jar built from an earlier commit), with that one: runs alternate, so both see the same load;
# 2. `minsky kb validate`, `kb test` and `kb list` on the installed playbooks.
# Both jars run as the launcher runs them (C1 JIT, SerialGC), without a class-data archive.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
base="${1:-}"
runs="${2:-7}"
cd "$here"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="" XDG_CONFIG_HOME="" NO_COLOR=1
mkdir -p "$HOME"
./minsky --version >/dev/null            # builds the jar when stale
jar="$here/target/minsky.jar"
flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable)
run() { java "${flags[@]}" -jar "$@"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run "$jar" sessiondb init --backend sqlite >/dev/null
for i in 1 2 3; do run "$jar" session start "s$i" --repo "https://example.com/r$i.git" >/dev/null; done

: > "$tmp/new"; : > "$tmp/base"
run "$jar" doctor >/dev/null 2>&1 || true
[ -n "$base" ] && { run "$base" doctor >/dev/null 2>&1 || true; }
for _ in $(seq "$runs"); do
  ms run "$jar" doctor >> "$tmp/new"
  [ -n "$base" ] && ms run "$base" doctor >> "$tmp/base"
done
printf 'doctor, this build        median %5s ms (min %s, max %s) over %s runs\n' "$(median < "$tmp/new")" \
  "$(sort -n "$tmp/new" | head -1)" "$(sort -n "$tmp/new" | tail -1)" "$runs"
if [ -n "$base" ]; then
  printf 'doctor, %-17s median %5s ms (min %s, max %s), runs alternating with the above\n' "$(basename "$base")" \
    "$(median < "$tmp/base")" "$(sort -n "$tmp/base" | head -1)" "$(sort -n "$tmp/base" | tail -1)"
fi
for cmd in "kb list" "kb validate" "kb test"; do
  : > "$tmp/k"
  for _ in $(seq 3); do ms run "$jar" $cmd >> "$tmp/k"; done
  printf '%-25s median %5s ms over 3 runs\n' "$cmd" "$(median < "$tmp/k")"
done
echo "kb test: $(run "$jar" kb test | tail -1)"
