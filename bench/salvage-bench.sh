#!/usr/bin/env bash
# Benchmark of the JSON salvage (dev.minsky.model.JsonSalvage) on stores of 1,000, 10,000 and
# 100,000 records with 4 KiB of garbage over the middle: records kept and time to read them.
# Prints figures, asserts nothing.   bench/salvage-bench.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$here"
./minsky --version >/dev/null            # builds target/minsky.jar when stale
java -cp target/minsky.jar bench/SalvageBench.java "${1:-5}"
