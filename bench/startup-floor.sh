#!/usr/bin/env bash
# The floor under issue 12's ratio targets: prints, asserts nothing.
#   bench/startup-floor.sh [RUNS]     (default 9 runs after one warm-up round)
# On the healthy 100-session SQLite store of bench/startup-bench.sh, side by side in one run (one of
# each per round): the JVM alone (`java -version`), `minsky --version`, and, next to `session get`
# and `doctor --json`, a program that does only the least each must do (bench/StartupFloor.java:
# open the store with the same driver and cached native library and read one row; for the doctor
# also quick_check, the count, the workspace listing, the newest backup and the free disk) with
# none of minsky's command line, config or output. Every run is `java` with the launcher's flags and
# the class-data archive the launcher would pick (the floor programs: minsky-cli.jsa, the smaller),
# no launcher script. Prints the medians of wall and CPU (user+sys) and the ratio of each to
# `minsky --version`: when a floor program alone is over a target ratio, no minsky can meet it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
runs="${1:-9}"
cd "$here"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="" XDG_CONFIG_HOME="" XDG_DATA_HOME="" NO_COLOR=1 MINSKY_SESSIONDB_BACKEND=""
mkdir -p "$HOME"

./minsky --version >/dev/null            # builds the jar and both class-data archives when stale
# shellcheck source=bench/lib/startup-store.sh
. "$here/bench/lib/startup-store.sh"
startup_store ./minsky
db="$state/sessions.db"

mkdir -p "$tmp/classes"
javac -nowarn -cp target/minsky.jar -d "$tmp/classes" bench/StartupFloor.java
# The launcher's flags (./minsky); the floor programs add their classes after the jar, which the
# archive allows (it is checked with -Xshare:on below: a refused archive fails the run).
flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss2m -XX:-UsePerfData -Xlog:disable -Xlog:all=error:stderr -Xshare:auto)
cli=(-XX:SharedArchiveFile=target/minsky-cli.jsa)
doc=(-XX:SharedArchiveFile=target/minsky.jsa)
floorcp=(-cp "target/minsky.jar:$tmp/classes" StartupFloor)
java "${flags[@]}" "${cli[@]}" -Xshare:on "${floorcp[@]}" get "$db" task-042 >/dev/null
java "${flags[@]}" "${cli[@]}" -Xshare:on "${floorcp[@]}" doctor "$db" "$state" >/dev/null

names=("JVM alone: java -version" "minsky --version" "JVM, archive, an empty main" "floor of get: open, read a row"
       "minsky session get task-042 --json" "floor of doctor: open, check, read" "minsky doctor --json")
cmd_of() { # index -> the command line in $cmd
  case "$1" in
    0) cmd=(java "${flags[@]}" -version) ;;
    1) cmd=(java "${flags[@]}" "${cli[@]}" -jar target/minsky.jar --version) ;;
    2) cmd=(java "${flags[@]}" "${cli[@]}" "${floorcp[@]}" none) ;;
    3) cmd=(java "${flags[@]}" "${cli[@]}" "${floorcp[@]}" get "$db" task-042) ;;
    4) cmd=(java "${flags[@]}" "${cli[@]}" -jar target/minsky.jar session get task-042 --json) ;;
    5) cmd=(java "${flags[@]}" "${cli[@]}" "${floorcp[@]}" doctor "$db" "$state") ;;
    6) cmd=(java "${flags[@]}" "${doc[@]}" -jar target/minsky.jar doctor --json) ;;
  esac
}
one() { # index -> appends "wall cpu" to $tmp/t.<index>
  cmd_of "$1"
  /usr/bin/time -f '%e %U %S' -o "$tmp/one" "${cmd[@]}" >/dev/null 2>&1 || true
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$tmp/one" >> "$tmp/t.$1"
}
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
for i in "${!names[@]}"; do one "$i"; done      # warm-up round (page cache)
for i in "${!names[@]}"; do : > "$tmp/t.$i"; done
for _ in $(seq "$runs"); do
  for i in "${!names[@]}"; do one "$i"; done
done
echo "== load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck source=bench/lib/stats.sh
. "$here/bench/lib/stats.sh"
base_wall="$(cut -d' ' -f1 "$tmp/t.1" | median)"
base_cpu="$(cut -d' ' -f2 "$tmp/t.1" | median)"
echo
printf '%-38s %8s %8s %9s %9s\n' "($runs runs, medians)" "wall s" "CPU s" "wall/ver" "CPU/ver"
for i in "${!names[@]}"; do
  w="$(cut -d' ' -f1 "$tmp/t.$i" | median)"
  c="$(cut -d' ' -f2 "$tmp/t.$i" | median)"
  printf '%-38s %8.3f %8.3f %8.2fx %8.2fx\n' "${names[$i]}" "$w" "$c" \
    "$(ratio "$w" "$base_wall")" "$(ratio "$c" "$base_cpu")"
done
# What a command must add to --version at the least: its floor program's work beyond the empty main.
# --version already holds the JVM, the archive and picocli's root, which every command needs too.
echo
echo "targets (issue 12): session get <= 1.10x, doctor <= 1.30x of --version, wall and CPU"
empty_wall="$(cut -d' ' -f1 "$tmp/t.2" | median)"; empty_cpu="$(cut -d' ' -f2 "$tmp/t.2" | median)"
for pair in "get:3" "doctor:5"; do
  i="${pair#*:}"
  fw="$(cut -d' ' -f1 "$tmp/t.$i" | median)"; fc="$(cut -d' ' -f2 "$tmp/t.$i" | median)"
  printf 'lower bound for %-7s --version + (floor - empty main) = %.2fx wall, %.2fx CPU\n' "${pair%%:*}" \
    "$(ratio "$(awk -v b="$base_wall" -v f="$fw" -v e="$empty_wall" 'BEGIN {print b + f - e}')" "$base_wall")" \
    "$(ratio "$(awk -v b="$base_cpu" -v f="$fc" -v e="$empty_cpu" 'BEGIN {print b + f - e}')" "$base_cpu")"
done
