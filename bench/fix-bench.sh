#!/usr/bin/env bash
# Benchmark of `minsky doctor --fix --yes` and `--undo` on broken states (in-process, warm JVM):
# prints figures, asserts nothing.   bench/fix-bench.sh [SESSIONS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$here"
mvn -q -B test-compile
cp="$(mktemp)"
trap 'rm -f "$cp"' EXIT
mvn -q -B dependency:build-classpath -Dmdep.outputFile="$cp" >/dev/null
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), sqlite3 $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo none)"
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "target/test-classes:target/classes:$(cat "$cp")" \
  dev.minsky.doctor.fix.FixTiming "${1:-2000}"
