#!/usr/bin/env bash
# Start-up of two builds side by side (issue 12): prints, asserts nothing.
#   bench/startup-ab.sh OTHER_CHECKOUT [RUNS]     (default 9 runs after one warm-up round)
# OTHER_CHECKOUT is another checkout of minsky with its target/minsky.jar built (e.g. the commit
# before a change: `git worktree add /tmp/base COMMIT` and `./minsky --version` there, or
# `git archive COMMIT | tar -x -C /tmp/base` and a copy of the old jar in /tmp/base/target). Both
# launchers run on the same healthy 100-session SQLite store as bench/startup-bench.sh (both build
# it with bench/lib/startup-store.sh), the eight commands interleaved in every round (the two
# builds alternate, so a change of the machine's load hits both alike), and the script prints per
# build and command the median wall time and CPU (user+sys) with the ratio to that build's own
# `--version`, then the ratio new/old.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
other="$(cd "${1:?usage: bench/startup-ab.sh OTHER_CHECKOUT [RUNS]}" && pwd -P)"
runs="${2:-9}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="" XDG_CONFIG_HOME="" XDG_DATA_HOME="" NO_COLOR=1 MINSKY_SESSIONDB_BACKEND=""
mkdir -p "$HOME"
builds=("$other" "$here")
labels=("old" "new")
for b in "${builds[@]}"; do "$b/minsky" --version >/dev/null; done   # jar and class-data archive when stale

# shellcheck source=bench/lib/startup-store.sh
. "$here/bench/lib/startup-store.sh"
startup_store "$here/minsky"                               # sets $state
for k in 0 1; do
  set +e; "${builds[$k]}/minsky" doctor --json >/dev/null 2>&1; code=$?; set -e
  echo "== ${labels[$k]} (${builds[$k]}): 'minsky doctor --json' exit code $code (0 = healthy)"
done
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"

cmds=("--version" "doctor --json" "session list --limit 50 --json" "session get task-042 --json")
one() { # build index, command index -> appends "wall cpu" to $tmp/t.<b>.<c>
  # shellcheck disable=SC2086
  /usr/bin/time -f '%e %U %S' -o "$tmp/one" "${builds[$1]}/minsky" ${cmds[$2]} >/dev/null 2>&1 || true
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$tmp/one" >> "$tmp/t.$1.$2"
}
round() { # alternate which build goes first, command by command
  local r="$1"
  for c in "${!cmds[@]}"; do
    if (( (r + c) % 2 )); then one 0 "$c"; one 1 "$c"; else one 1 "$c"; one 0 "$c"; fi
  done
}
round 0                                                     # warm-up (page cache)
for k in 0 1; do for c in "${!cmds[@]}"; do : > "$tmp/t.$k.$c"; done; done
for r in $(seq "$runs"); do round "$r"; done
echo "== load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck source=bench/lib/stats.sh
. "$here/bench/lib/stats.sh"
echo
printf '%-4s %-32s %8s %8s %9s %9s\n' "" "command ($runs runs, medians)" "wall s" "CPU s" "wall/ver" "CPU/ver"
for k in 0 1; do
  bw="$(cut -d' ' -f1 "$tmp/t.$k.0" | median)"; bc="$(cut -d' ' -f2 "$tmp/t.$k.0" | median)"
  for c in "${!cmds[@]}"; do
    w="$(cut -d' ' -f1 "$tmp/t.$k.$c" | median)"; u="$(cut -d' ' -f2 "$tmp/t.$k.$c" | median)"
    echo "$w $u" > "$tmp/m.$k.$c"
    printf '%-4s %-32s %8.3f %8.3f %8.2fx %8.2fx\n' "${labels[$k]}" "${cmds[$c]}" "$w" "$u" \
      "$(ratio "$w" "$bw")" "$(ratio "$u" "$bc")"
  done
done
echo
printf '%-37s %9s %9s\n' "new / old" "wall" "CPU"
for c in "${!cmds[@]}"; do
  read -r ow oc < "$tmp/m.0.$c"; read -r nw nc < "$tmp/m.1.$c"
  printf '%-37s %8.2fx %8.2fx\n' "${cmds[$c]}" "$(ratio "$nw" "$ow")" "$(ratio "$nc" "$oc")"
done
