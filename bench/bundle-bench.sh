#!/usr/bin/env bash
# Benchmark of `minsky doctor --bundle`: prints figures, asserts nothing.
#   bench/bundle-bench.sh [RUNS]
# For stores of 100, 1,000 and 10,000 sessions (JSON backend; every third repo URL carries a
# token, and PGPASSWORD, a connection string and ~/.pgpass are set, so the sanitizer has secrets
# to look for): wall time of `doctor` alone, of `doctor --bundle`, and of `doctor --bundle
# --include-data` (zip and tar.gz), archive sizes, and how many values the manifest says were
# redacted and pseudonymized.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
runs="${1:-3}"
cd "$here"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
./minsky --version >/dev/null            # builds the jar when stale

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
timed() { # label, args...
  local label="$1"; shift
  ./minsky "$@" >/dev/null 2>&1 || true
  : > "$tmp/times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$tmp/t1" ./minsky "$@" >/dev/null 2>&1 || true
    tail -1 "$tmp/t1" >> "$tmp/times"   # time prefixes a "Command exited..." line on exit 1
  done
  printf '  %-40s wall median %5ss (min %ss), peak RSS median %s MB\n' "$label" \
    "$(cut -d' ' -f1 "$tmp/times" | median)" "$(cut -d' ' -f1 "$tmp/times" | sort -n | head -1)" \
    "$(( $(cut -d' ' -f2 "$tmp/times" | median | cut -d. -f1) / 1024 ))"
}
redactions() { # archive
  unzip -p "$1" manifest.json 2>/dev/null | python3 -c '
import json, sys
m = json.load(sys.stdin)
print("   ", ", ".join("%s %dB r=%d p=%d" % (f["name"], f["bytes"], f["redacted"], f["pseudonymized"]) for f in m["files"] if "bytes" in f))'
}

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
for n in 100 1000 10000; do
  export HOME="$tmp/home$n" XDG_STATE_HOME="" XDG_CONFIG_HOME="" NO_COLOR=1
  mkdir -p "$HOME"
  export MINSKY_SESSIONDB_BACKEND=json PGPASSWORD="bench-pg-secret-$n"
  export MINSKY_POSTGRES_URL="postgresql://minsky:bench%2Fsecret@db.example:5432/minsky"
  echo "db.example:5432:minsky:minsky:bench-pgpass-$n" > "$HOME/.pgpass"; chmod 600 "$HOME/.pgpass"
  python3 bench/gen-sessions.py "$n" "$tmp/s.json"
  python3 - "$tmp/s.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))
for i, r in enumerate(rs):
    if i % 3 == 0:
        r["repoUrl"] = "https://x-access-token:tok%08dabcdefgh@github.com/edobry/minsky.git" % i
json.dump(rs, open(sys.argv[1], "w"))
PY
  ./minsky sessiondb import --file "$tmp/s.json" >/dev/null 2>&1
  echo
  echo "== $n sessions ($runs runs after a warm-up run)"
  timed "doctor" doctor
  timed "doctor --bundle b.zip" doctor --bundle "$tmp/b.zip"
  timed "doctor --bundle b.zip --include-data" doctor --bundle "$tmp/d.zip" --include-data
  timed "doctor --bundle b.tar.gz --include-data" doctor --bundle "$tmp/d.tar.gz" --include-data
  printf '  sizes: b.zip %s, d.zip %s, d.tar.gz %s\n' "$(du -h "$tmp/b.zip" | cut -f1)" "$(du -h "$tmp/d.zip" | cut -f1)" "$(du -h "$tmp/d.tar.gz" | cut -f1)"
  echo "  manifest of d.zip (bytes, r=redacted, p=pseudonymized):"
  redactions "$tmp/d.zip"
done
