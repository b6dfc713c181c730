#!/usr/bin/env bash
# Contention benchmark (issue 13, point 1): W writer processes, each running N `minsky session start`
# one after another, all at once against one store; for W in 1 4 16 and each backend it prints
# sessions per second (all sessions / wall time) and p50/p99 of one `session start` (JVM start
# included), then checks: sessions in the store == W*N, 0 failed commands, 0 stack traces in any stderr.
# Usage: bench/contention-bench.sh [N]                      (default N=50)
#   WRITERS="1 4 16"  BACKENDS="json sqlite postgres"
#   BUSY=1   two CPU burners per core for the whole run (a machine made busy on purpose)
# PostgreSQL: a throwaway cluster (bench/pg-cluster.sh), stopped and removed at the end.
# Exits 1 when any check fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
n=${1:-50}
writers=(${WRITERS:-1 4 16})
backends=(${BACKENDS:-json sqlite postgres})
work="$(mktemp -d /tmp/minsky-contention.XXXXXX)"
chmod 755 "$work"
# shellcheck source=bench/pg-cluster.sh
. "$here/bench/pg-cluster.sh"
burners=()

cleanup() {
  local p
  for p in ${burners[@]+"${burners[@]}"}; do kill "$p" 2>/dev/null || true; done
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT

echo "building and warming up ./minsky ..." >&2
(cd "$here" && ./minsky --version >/dev/null)

if [ "${BUSY:-0}" = 1 ]; then
  for ((i = 0; i < 2 * $(nproc); i++)); do
    (while :; do :; done) &
    burners+=($!)
  done
  echo "busy: ${#burners[@]} CPU burners running" >&2
fi

# writer ID HOME_ENV...: N sequential starts; one line per command: "ms rc"
writer() {
  local id=$1 i t0 t1 rc; shift
  for ((i = 0; i < n; i++)); do
    t0=$(date +%s%N); rc=0
    "$@" "$here/minsky" session start "w$id-$i" --repo "https://example.com/r.git" >/dev/null 2>>"$work/err-$id" || rc=$?
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000000 )) $rc" >>"$work/times-$id"
  done
}

pct() { # PCT < sorted numbers
  awk -v p="$1" '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int((p / 100) * NR + 0.999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.2f", a[i] / 1000 }'
}

rows=() failures=0
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ] && [ -z "$pg_dir" ]; then
    start_postgres "max_connections = 60" || { rows+=("$(printf '%-8s  (no PostgreSQL binaries: skipped)' postgres)"); continue; }
  fi
  for w in "${writers[@]}"; do
    home="$work/home-$backend-$w"; mkdir -p "$home"
    envs=(env HOME="$home" XDG_STATE_HOME= XDG_CONFIG_HOME= MINSKY_SESSIONDB_BACKEND="$backend")
    if [ "$backend" = postgres ]; then
      db="contention_$w"
      PGPASSWORD="$pg_pass" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
      envs+=(MINSKY_POSTGRES_URL="postgresql://postgres:$pg_pass@127.0.0.1:$pg_port/$db")
    fi
    "${envs[@]}" "$here/minsky" sessiondb init --backend "$backend" >/dev/null
    rm -f "$work"/times-* "$work"/err-*
    echo "$backend: $w writers x $n starts ..." >&2
    t0=$(date +%s%N)
    pids=()
    for ((k = 0; k < w; k++)); do
      writer "$k" "${envs[@]}" &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    wall=$(( ($(date +%s%N) - t0) / 1000000 ))
    cat "$work"/times-* >"$work/all"
    failed=$(awk '$2 != 0' "$work/all" | wc -l)
    traces=$(cat "$work"/err-* 2>/dev/null | grep -cE '^\s+at [a-zA-Z]|Exception' || true)
    count=$("${envs[@]}" "$here/minsky" session list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    expected=$(( w * n ))
    p50=$(cut -d' ' -f1 "$work/all" | sort -n | pct 50)
    p99=$(cut -d' ' -f1 "$work/all" | sort -n | pct 99)
    rate=$(awk -v c="$count" -v ms="$wall" 'BEGIN { printf "%.2f", c / (ms / 1000) }')
    verdict=ok
    if [ "$count" != "$expected" ] || [ "$failed" != 0 ] || [ "$traces" != 0 ]; then
      verdict=FAIL; failures=$((failures + 1))
      cat "$work"/err-* 2>/dev/null | sort | uniq -c | sort -rn | head -5 >&2 || true
    fi
    rows+=("$(printf '%-8s %3d x %-4d | %8s | %7ss | %7ss | %5d/%-5d | %6d | %6d | %s' "$backend" "$w" "$n" "$rate" "$p50" "$p99" \
      "$count" "$expected" "$failed" "$traces" "$verdict")")
  done
done

echo
echo "minsky contention benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg)," \
  "busy=${BUSY:-0} (${#burners[@]} burners), $(java -version 2>&1 | head -1)"
echo "each writer runs its starts one after another through ./minsky (JVM start included); all writers at once"
printf '%-8s %-10s | %8s | %8s | %8s | %-11s | %6s | %6s | %s\n' backend writers sess/s p50 p99 "sessions" failed traces check
printf '%s\n' "--------------------+----------+----------+----------+-------------+--------+--------+------"
printf '%s\n' "${rows[@]}"
[ "$failures" = 0 ]
