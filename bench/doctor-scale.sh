#!/usr/bin/env bash
# Doctor at scale (issue 8): builds stores of many sessions and runs `./minsky doctor --json` on each,
# printing the wall time (median of RUNS; sizes measured in interleaved rounds), whether every area was checked (no probe timed out or
# failed, doctor.incomplete.count = 0), the exit code, and the ratio to the 100-session time.
#   SQLite: 100, 100000, 1000000 sessions (bulk insert by sqlite3 into a schema made by `sessiondb init`)
#   JSON: 100 and 200000 (bench/gen-sessions.py, imported)
#   PostgreSQL (when initdb exists): 100, 100000 and 1000000 (generate_series in a throwaway cluster on a free
#   port, run as the postgres user when root, stopped and removed at the end)
# Every record's repoPath is under the store's own <state>/sessions/, where the first 100 workspaces
# exist: the probes really check every record's workspace (the rest are reported missing).
# Usage: bench/doctor-scale.sh      RUNS=3 (median); BACKENDS="sqlite json postgres"; TIMEOUT=10s (the default)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
runs=${RUNS:-3}
backends=(${BACKENDS:-sqlite json postgres})
work="$(mktemp -d /tmp/minsky-doctor-scale.XXXXXX)"
chmod 755 "$work"
# shellcheck source=bench/pg-cluster.sh
. "$here/bench/pg-cluster.sh"

cleanup() {
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT



psql_do() { PGPASSWORD="$pg_pass" psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }

# env for a store's home
envs_for() { echo "HOME=$1 XDG_STATE_HOME= XDG_CONFIG_HOME= XDG_DATA_HOME= NO_COLOR=1"; }

make_workspaces() { # home: the first 100 sessions' workspaces exist
  local state="$1/.local/state/minsky"
  mkdir -p "$state/sessions"
  for i in $(seq 0 99); do mkdir -p "$(printf '%s/sessions/task-md-%07d' "$state" "$i")"; done
}

build_sqlite() { # home n
  local home="$1" n="$2" state="$1/.local/state/minsky"
  env $(envs_for "$home") "$here/minsky" sessiondb init --backend sqlite >/dev/null
  sqlite3 "$state/sessions.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < $n - 1)
INSERT INTO sessions (session, repoName, repoUrl, createdAt, taskId, branch, repoPath, backendType)
SELECT printf('task-md-%07d', i), 'minsky', 'https://github.com/edobry/minsky.git',
       strftime('%Y-%m-%dT%H:%M:%S.000Z', CAST(strftime('%s', 'now') AS INTEGER) - 730 * 86400 + (i * 730 * 86400) / $n, 'unixepoch'),
       'md#' || (i % 5000), printf('task-md-%07d', i), printf('$state/sessions/task-md-%07d', i), 'github'
FROM c;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  make_workspaces "$home"
}

build_json() { # home n
  local home="$1" n="$2" state="$1/.local/state/minsky"
  python3 - "$n" "$work/export-$n.json" "$state" <<'PY'
import json, sys, time
n, out, state = int(sys.argv[1]), sys.argv[2], sys.argv[3]
now = time.time()
with open(out, "w") as f:
    f.write("[")
    for i in range(n):
        created = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now - 730 * 86400 + i * 730 * 86400 / n))
        name = "task-md-%07d" % i
        r = {"session": name, "repoName": "minsky", "repoUrl": "https://github.com/edobry/minsky.git",
             "createdAt": created, "taskId": "md#%d" % (i % 5000), "branch": name,
             "repoPath": "%s/sessions/%s" % (state, name), "backendType": "github"}
        f.write(("," if i else "") + json.dumps(r, separators=(",", ":")))
    f.write("]\n")
PY
  env $(envs_for "$home") "$here/minsky" sessiondb init --backend json >/dev/null
  env $(envs_for "$home") "$here/minsky" sessiondb import --file "$work/export-$n.json" >/dev/null
  make_workspaces "$home"
}

build_postgres() { # home n
  local home="$1" n="$2" state="$1/.local/state/minsky" db="scale_$2"
  psql_do -d postgres -c "CREATE DATABASE $db" >/dev/null
  mkdir -p "$home/.config/minsky"
  printf 'sessiondb:\n  backend: postgres\n  connectionString: "postgresql://postgres:%s@127.0.0.1:%s/%s"\n' \
    "$pg_pass" "$pg_port" "$db" > "$home/.config/minsky/config.yaml"
  env $(envs_for "$home") "$here/minsky" sessiondb init --backend postgres >/dev/null
  psql_do -d "$db" >/dev/null <<SQL
INSERT INTO sessions (session, repo_name, repo_url, created_at, task_id, branch, repo_path, backend_type)
SELECT format('task-md-%s', lpad(i::text, 7, '0')), 'minsky', 'https://github.com/edobry/minsky.git',
       date_trunc('second', now()) - interval '730 days' + (i * interval '730 days') / $n,
       'md#' || (i % 5000), format('task-md-%s', lpad(i::text, 7, '0')),
       format('$state/sessions/task-md-%s', lpad(i::text, 7, '0')), 'github'
FROM generate_series(0, $n - 1) AS i;
VACUUM ANALYZE sessions;
SQL
  make_workspaces "$home"
}

# run home: prints "wall_ms exit complete sessions"
run_doctor() {
  local home="$1" out="$work/doctor.json" t0 t1 rc
  t0=$(date +%s%N)
  rc=0
  env $(envs_for "$home") "$here/minsky" doctor --json ${TIMEOUT:+--timeout "$TIMEOUT"} >"$out" 2>"$work/doctor.err" || rc=$?
  t1=$(date +%s%N)
  python3 - "$out" "$(( (t1 - t0) / 1000000 ))" "$rc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
facts = {f["id"]: f.get("value") for f in d.get("facts", [])}
bad = [p["id"] + ":" + p["status"] for p in d.get("probes", []) if p["status"] in ("timeout", "failed")]
complete = "yes" if not bad and facts.get("doctor.incomplete.count") == 0 else "NO " + ",".join(bad)
print(sys.argv[2], sys.argv[3], complete.replace(" ", "_"), facts.get("sessions.count"))
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "building ./minsky ..." >&2
"$here/minsky" --version >/dev/null
rows=()
for backend in "${backends[@]}"; do
  case "$backend" in
    sqlite) sizes=(100 100000 1000000) ;;
    json) sizes=(100 200000) ;;
    postgres) sizes=(100 100000 1000000); start_postgres "shared_buffers = 128MB" "fsync = off" || continue ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
  # every size is built first and then measured in rounds (one run of each size per round), so a
  # change of the machine's load falls on all sizes alike and the ratio stays a side-by-side figure
  for n in "${sizes[@]}"; do
    home="$work/$backend-$n"
    mkdir -p "$home"
    echo "$backend $n: building the store ..." >&2
    "build_$backend" "$home" "$n"
    run_doctor "$home" >/dev/null # warm the page cache and the class-data archive
  done
  declare -A times=() last=()
  for r in $(seq "$runs"); do
    echo "$backend: round $r of $runs ..." >&2
    for n in "${sizes[@]}"; do
      last[$n]="$(run_doctor "$work/$backend-$n")"
      times[$n]+="${last[$n]%% *} "
    done
  done
  base=""
  for n in "${sizes[@]}"; do
    read -r _ rc complete count <<<"${last[$n]}"
    ms="$(printf '%s\n' ${times[$n]} | median)"
    [ -n "$base" ] || base="$ms"
    ratio="$(python3 -c "print(f'{$ms / $base:.2f}')")"
    row="$(printf '%-8s %8s %9s %7s ms %6sx  exit %s  every area checked: %s' "$backend" "$n" "${count:-?}" "$ms" "$ratio" "$rc" "$complete")"
    echo "$row" >&2
    rows+=("$row")
    rm -rf "$work/$backend-$n"
  done
  unset times last
  [ "$backend" != postgres ] || stop_postgres
done
echo "minsky doctor at scale — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg)"
echo "./minsky doctor --json ${TIMEOUT:+--timeout $TIMEOUT }(JVM start included), median of $runs runs; ratio to the 100-session run of the same backend"
printf '%-8s %8s %9s %10s %7s\n' backend sessions counted wall ratio
printf '%s\n' "${rows[@]}"
echo "target: 1,000,000 sessions within 3x the 100-session time on SQLite and PostgreSQL, every area checked"
