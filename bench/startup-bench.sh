#!/usr/bin/env bash
# Start-up against the JVM's floor (issue 12): prints, asserts nothing.
#   bench/startup-bench.sh [RUNS]     (default 7 runs after one warm-up round)
# Runs `./minsky` (the launcher: its JVM flags and class-data archive) on a healthy 100-session
# SQLite store in a throwaway HOME, the commands interleaved (one of each per round, so a change of
# the machine's load hits all of them alike), and prints per command the median wall time and
# median CPU (user+sys) with the ratio of each to `minsky --version`; then 3 runs of
# `minsky doctor --timings` (the in-process phases, ms).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
runs="${1:-7}"
cd "$here"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="" XDG_CONFIG_HOME="" XDG_DATA_HOME="" NO_COLOR=1 MINSKY_SESSIONDB_BACKEND=""
mkdir -p "$HOME"

./minsky --version >/dev/null            # builds the jar and the class-data archive when stale

# The healthy 100-session SQLite store (bench/lib/startup-store.sh; sets $state).
# shellcheck source=bench/lib/startup-store.sh
. "$here/bench/lib/startup-store.sh"
startup_store ./minsky

set +e
./minsky doctor --json >/dev/null 2>&1; code=$?
set -e
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "== store: SQLite, $(./minsky session list --json | grep -c '"session"') sessions; 'minsky doctor --json' exit code $code (0 = healthy)"
if [ -f target/minsky.jsa ] && [ "${MINSKY_NO_CDS:-}" != "1" ]; then echo "== class-data archive: target/minsky.jsa ($(du -h target/minsky.jsa | cut -f1))"; fi

names=("--version" "doctor --json" "session list --limit 50 --json" "session get task-042 --json")
cmds=("--version" "doctor --json" "session list --limit 50 --json" "session get task-042 --json")

one() { # index -> appends "wall cpu" to $tmp/t.<index>
  # shellcheck disable=SC2086
  /usr/bin/time -f '%e %U %S' -o "$tmp/one" ./minsky ${cmds[$1]} >/dev/null 2>&1 || true
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$tmp/one" >> "$tmp/t.$1"
}
# The JVM's own floor: 'java -version' with the launcher's flags starts the JVM (the JDK's own
# class-data archive) and exits before any of minsky's classes load.
floor() {
  /usr/bin/time -f '%e %U %S' -o "$tmp/one" java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss2m -XX:-UsePerfData -Xshare:auto -version >/dev/null 2>&1 || true
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$tmp/one" >> "$tmp/t.floor"
}

for i in "${!cmds[@]}"; do one "$i"; done; floor     # warm-up round (page cache)
for i in "${!cmds[@]}"; do : > "$tmp/t.$i"; done; : > "$tmp/t.floor"
for _ in $(seq "$runs"); do
  for i in "${!cmds[@]}"; do one "$i"; done
  floor
done
echo "== load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck source=bench/lib/stats.sh
. "$here/bench/lib/stats.sh"
base_wall="$(cut -d' ' -f1 "$tmp/t.0" | median)"
base_cpu="$(cut -d' ' -f2 "$tmp/t.0" | median)"
echo
printf '%-34s %10s %10s %10s %10s\n' "command ($runs runs, medians)" "wall s" "CPU s" "wall/ver" "CPU/ver"
for i in "${!cmds[@]}"; do
  w="$(cut -d' ' -f1 "$tmp/t.$i" | median)"
  c="$(cut -d' ' -f2 "$tmp/t.$i" | median)"
  printf '%-34s %10.3f %10.3f %9.2fx %9.2fx\n' "${names[$i]}" "$w" "$c" \
    "$(ratio "$w" "$base_wall")" "$(ratio "$c" "$base_cpu")"
done
fw="$(cut -d' ' -f1 "$tmp/t.floor" | median)"; fc="$(cut -d' ' -f2 "$tmp/t.floor" | median)"
printf '%-34s %10.3f %10.3f %9.2fx %9.2fx\n' "JVM floor: java -version" "$fw" "$fc" \
  "$(ratio "$fw" "$base_wall")" "$(ratio "$fc" "$base_cpu")"
echo
echo "== in-process phases of 3 runs of 'minsky doctor --json --timings' (ms)"
for _ in 1 2 3; do ./minsky doctor --json --timings 2>&1 >/dev/null | grep '^timings:' || true; done
