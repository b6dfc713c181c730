#!/usr/bin/env bash
# Benchmark of `minsky doctor`: prints figures, asserts nothing (speed targets are read by people).
#   bench/doctor-bench.sh [RUNS]
# 1. whole run of `./minsky doctor` on a healthy SQLite store (the launcher: C1 JIT, SerialGC,
#    AppCDS): wall time and peak memory (/usr/bin/time), and the in-process phases (--timings);
# 2. the rule base: build time cold (first build in a JVM) and warm (rebuilt in the same JVM),
#    executable model built in code versus DRL rendered with FreeMarker and compiled;
# 3. rule evaluation with 1x and 20x the playbook rules (synthetic copies of the built-in playbooks);
# 4. what user playbooks added with --kb cost a whole run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
runs="${1:-7}"
cd "$here"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="" XDG_CONFIG_HOME="" NO_COLOR=1
mkdir -p "$HOME"

./minsky --version >/dev/null            # builds the jar when stale
java_flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable)

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "== jar: $(du -h target/minsky.jar | cut -f1) ($(unzip -l target/minsky.jar | tail -1 | awk '{print $2}') entries; the DRL/MVEL compiler stack is left out)"

# A healthy SQLite store with a few young sessions.
./minsky sessiondb init --backend sqlite >/dev/null
for i in 1 2 3 4 5; do ./minsky session start "s$i" --repo "https://example.com/r$i.git" >/dev/null; done

whole_run() { # label, args...
  local label="$1"; shift
  ./minsky doctor "$@" >/dev/null 2>&1 || true; ./minsky doctor "$@" >/dev/null 2>&1 || true   # CDS archive, page cache
  : > "$tmp/times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$tmp/t1" ./minsky doctor "$@" >/dev/null 2>&1 || true
    cat "$tmp/t1" >> "$tmp/times"
  done
  printf '%-44s wall median %ss (min %ss, max %ss), peak RSS median %s MB\n' "$label" \
    "$(cut -d' ' -f1 "$tmp/times" | median)" "$(cut -d' ' -f1 "$tmp/times" | sort -n | head -1)" \
    "$(cut -d' ' -f1 "$tmp/times" | sort -n | tail -1)" "$(( $(cut -d' ' -f2 "$tmp/times" | median | cut -d. -f1) / 1024 ))"
}

echo
echo "== 1. whole run on a healthy SQLite store ($runs runs, after 2 warm-up runs)"
set +e; ./minsky doctor >/dev/null 2>&1; code=$?; set -e
echo "exit code of 'minsky doctor' on the healthy store: $code (0 = healthy)"
whole_run "minsky doctor"
whole_run "minsky doctor --json" --json
echo "in-process phases of 3 runs (ms; rulebase.build is the cold build of that process):"
for _ in 1 2 3; do ./minsky doctor --timings 2>&1 >/dev/null | grep '^timings:' || true; done

# Synthetic playbooks: 19 renamed copies of the built-in ones, so 20x the rules in all.
syn="$tmp/kb20"; mkdir -p "$syn"
for i in $(seq 1 19); do
  for f in knowledge-base/*.yaml; do
    sed -E "s/^(  - id: )([a-z]+)\./\1syn$i.\2-/" "$f" > "$syn/syn$i-$(basename "$f")"
  done
done
syn1="$tmp/kb1"; mkdir -p "$syn1"
for f in knowledge-base/*.yaml; do sed -E "s/^(  - id: )([a-z]+)\./\1syn1.\2-/" "$f" > "$syn1/$(basename "$f")"; done

echo
echo "== 2. rule base: executable model built in code vs DRL from FreeMarker (built-in playbooks)"
# The jar leaves the DRL compiler out, and EngineBench and its DRL template are bench code that lives
# in src/test (not in the jar): both are run on Maven's test classpath, the same for every figure.
mvn -q -B test-compile >/dev/null
mvn -q -B dependency:build-classpath -Dmdep.outputFile="$tmp/cp.txt" -Dmdep.includeScope=test >/dev/null
fullcp="target/test-classes:target/classes:$(cat "$tmp/cp.txt")"
java "${java_flags[@]}" -cp "$fullcp" dev.minsky.doctor.engine.EngineBench
java "${java_flags[@]}" -cp "$fullcp" dev.minsky.doctor.engine.EngineBench --drl

echo
echo "== 3. rule evaluation: 1x vs 20x the playbook rules (executable model)"
echo "-- 1x"
java "${java_flags[@]}" -cp "$fullcp" dev.minsky.doctor.engine.EngineBench
echo "-- 20x"
java "${java_flags[@]}" -cp "$fullcp" dev.minsky.doctor.engine.EngineBench --kb "$syn"

echo
echo "== 4. what --kb user playbooks cost a whole run"
whole_run "minsky doctor (built-in only)"
whole_run "minsky doctor --kb <1 copy of the playbooks>" --kb "$syn1"
whole_run "minsky doctor --kb <19 copies, 20x rules>" --kb "$syn"
./minsky doctor --timings --kb "$syn" 2>&1 >/dev/null | grep '^timings:' || true
