#!/usr/bin/env bash
# Benchmark of reading a -wal without SQLite (backend/sqlite/probe/WalFile): prints figures, asserts nothing.
#   bench/wal-bench.sh [RUNS]
# For WALs left by a writer killed with SIGKILL after 100, 10,000 and 100,000 commits (automatic
# checkpoints off; Python's sqlite3 module, one session per commit): the -wal size, how many
# committed frames `doctor --json` cites, the median time of the `sqlite.file` probe (which walks
# every frame and checks its checksum) and the wall time of the whole `./minsky doctor --json`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
runs="${1:-5}"
cd "$here"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="" XDG_CONFIG_HOME="" NO_COLOR=1
./minsky --version >/dev/null            # builds the jar when stale

cat > "$tmp/writer.py" <<'PY'
import os, signal, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db, isolation_level=None)
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("PRAGMA synchronous=OFF")  # the frames are the same; only the writer gets faster
for i in range(n):
    c.execute("INSERT INTO sessions (session, repoName, repoUrl, createdAt) VALUES (?, 'minsky', 'https://example.com/m.git', '2026-01-01T00:00:00Z')", (f"wal-{i}",))
os.kill(os.getpid(), signal.SIGKILL)
PY

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
for commits in 100 10000 100000; do
  export HOME="$tmp/home-$commits"
  mkdir -p "$HOME"
  ./minsky sessiondb init --backend sqlite >/dev/null
  db="$HOME/.local/state/minsky/sessions.db"
  # the writer kills itself with SIGKILL; bash's "Killed" line for it goes to /dev/null
  { python3 "$tmp/writer.py" "$db" "$commits" || true; } 2>/dev/null
  : > "$tmp/probe"; : > "$tmp/wall"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e' -o "$tmp/t1" ./minsky doctor --json > "$tmp/out.json" 2>/dev/null || true
    tail -1 "$tmp/t1" >> "$tmp/wall"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([p["millis"] for p in d["probes"] if p["id"]=="sqlite.file"][0])' "$tmp/out.json" >> "$tmp/probe"
  done
  frames="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(next((e["value"] for f in d["findings"] for e in f["evidence"] if e["fact"]=="sqlite.wal.uncheckpointedFrames"), "none"))' "$tmp/out.json")"
  printf '  %6s commits: -wal %6s, uncheckpointed frames cited %7s, sqlite.file probe median %4s ms, doctor wall median %ss\n' \
    "$commits" "$(du -h "$db-wal" | cut -f1)" "$frames" "$(median < "$tmp/probe")" "$(median < "$tmp/wall")"
done
