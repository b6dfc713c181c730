#!/usr/bin/env bash
# Store benchmark (issue 2): for each backend and size, creates a store by importing an export of
# N sessions and times, end to end through ./minsky (JVM start included):
#   import, `session list --json`, `session list --limit 50`, `session get`, with peak RSS of each.
# Usage: bench/store-bench.sh [SIZES...]     (default: 1000 10000 100000)
#   BACKENDS="json sqlite postgres" to choose backends; RUNS=3 repetitions of each read (median shown).
# PostgreSQL: a throwaway cluster from /usr/lib/postgresql/*/bin on a free port (as the postgres user
# when run as root), stopped and removed at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
backends=(${BACKENDS:-json sqlite postgres})
runs=${RUNS:-3}
work="$(mktemp -d /tmp/minsky-bench.XXXXXX)"
chmod 755 "$work"
# shellcheck source=bench/pg-cluster.sh
. "$here/bench/pg-cluster.sh"

cleanup() {
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT



pg_url() { # a fresh database per store
  local db="bench_$1"
  PGPASSWORD="$pg_pass" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
  echo "postgresql://postgres:$pg_pass@127.0.0.1:$pg_port/$db"
}

# measure CMD...: prints "wall_ms rss_kb exit cpu_ms" (cpu = user + system time of the process and its
# children: on a machine shared with other work it shows what the command itself costs)
measure() {
  local out="$work/out" t0 t1 rc=0
  t0=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$work/rss" "$@" >"$out" 2>"$work/err" || rc=$?
  t1=$(date +%s%N)
  if [ $rc -ne 0 ]; then
    echo "FAILED (exit $rc): $*" >&2; tail -5 "$work/err" >&2
  fi
  read -r rss user sys < <(tail -1 "$work/rss")
  echo "$(( (t1 - t0) / 1000000 )) $rss $rc $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')"
}

median_of() { # runs a read $runs times, prints the line of the median by wall time
  local i results=()
  for ((i = 0; i < runs; i++)); do results+=("$(measure "$@")"); done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

cell() { # wall_ms rss_kb cpu_ms -> "1.23s/0.98s 123MB"
  awk -v w="$1" -v k="$2" -v c="$3" 'BEGIN { printf "%5.2fs/%5.2fs %4dMB", w / 1000, c / 1000, k / 1024 }'
}

echo "building and warming up ./minsky ..." >&2
(cd "$here" && MINSKY_NO_CDS=1 ./minsky --version >/dev/null)
for n in "${sizes[@]}"; do
  python3 "$here/bench/gen-sessions.py" "$n" "$work/sessions-$n.json"
done
# The launcher writes its class-data-sharing archive on the first run after a build, from the classes
# that run loads. Make that run a store read (not --version), as it would be for a user whose first
# command is 'session list'; the archive is a cache the launcher recreates, so dropping it is safe.
rm -f "$here/target/minsky.jsa"
warm="$work/warm"; mkdir -p "$warm"
HOME="$warm" XDG_STATE_HOME= XDG_CONFIG_HOME= MINSKY_NO_CDS=1 "$here/minsky" sessiondb init --backend sqlite >/dev/null
HOME="$warm" XDG_STATE_HOME= XDG_CONFIG_HOME= MINSKY_NO_CDS=1 "$here/minsky" sessiondb import --file "$work/sessions-${sizes[0]}.json" >/dev/null
HOME="$warm" XDG_STATE_HOME= XDG_CONFIG_HOME= "$here/minsky" session list --limit 50 >/dev/null

rows=()
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ] && [ -z "$pg_dir" ]; then
    start_postgres "shared_buffers = 64MB" || continue
  fi
  for n in "${sizes[@]}"; do
    home="$work/home-$backend-$n"; mkdir -p "$home"
    envs=(env HOME="$home" XDG_STATE_HOME= XDG_CONFIG_HOME= MINSKY_SESSIONDB_BACKEND="$backend")
    if [ "$backend" = postgres ]; then
      envs+=(MINSKY_POSTGRES_URL="$(pg_url "$n")")
    fi
    echo "$backend $n: init + import ..." >&2
    "${envs[@]}" "$here/minsky" sessiondb init --backend "$backend" >/dev/null
    read -r imp_ms imp_rss imp_rc imp_cpu < <(measure "${envs[@]}" "$here/minsky" sessiondb import --file "$work/sessions-$n.json")
    count=$("${envs[@]}" "$here/minsky" session list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    [ "$count" = "$n" ] || echo "WARNING: $backend store holds $count sessions, expected $n" >&2
    echo "$backend $n: reads ..." >&2
    read -r lj_ms lj_rss _ lj_cpu < <(median_of "${envs[@]}" "$here/minsky" session list --json)
    read -r l50_ms l50_rss _ l50_cpu < <(median_of "${envs[@]}" "$here/minsky" session list --limit 50)
    name=$(printf 'task-md-%06d' $(( n / 2 )))
    read -r get_ms get_rss _ get_cpu < <(median_of "${envs[@]}" "$here/minsky" session get "$name")
    rows+=("$(printf '%-8s %7s | %s | %s | %s | %s' "$backend" "$n" \
      "$(cell "$imp_ms" "$imp_rss" "$imp_cpu")" "$(cell "$lj_ms" "$lj_rss" "$lj_cpu")" \
      "$(cell "$l50_ms" "$l50_rss" "$l50_cpu")" "$(cell "$get_ms" "$get_rss" "$get_cpu")")")
    if [ "$imp_rc" != 0 ]; then rows[-1]+="  (import failed)"; fi
  done
done

echo
echo "minsky store benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "end to end through ./minsky (JVM start included); reads are the median of $runs runs"
echo "each cell: wall time / CPU time (user+sys) and peak RSS (/usr/bin/time %M)"
printf '%-8s %7s | %-20s | %-20s | %-20s | %-20s\n' backend sessions "import" "list --json" "list --limit 50" "get"
printf '%s\n' "-----------------+----------------------+----------------------+----------------------+---------------------"
printf '%s\n' "${rows[@]}"
echo
echo "targets (issue 2): import 100000 into sqlite < 5 s; list --limit 50 on 100000 < 0.5 s and < 256 MB; get < 0.5 s"
