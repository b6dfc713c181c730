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
pg_dir="" pg_bin="" pg_port="" pg_pass=""

cleanup() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$pg_bin/initdb" ] || { echo "no PostgreSQL binaries under /usr/lib/postgresql: skipping postgres" >&2; return 1; }
  pg_dir="$work/pg"
  mkdir -p "$pg_dir" && chmod 700 "$pg_dir"
  pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  pg_pass="bench-$RANDOM$RANDOM"
  echo "$pg_pass" > "$pg_dir/pwfile"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$pg_dir"
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A scram-sha-256 --pwfile="$pg_dir/pwfile" -E UTF8 --no-sync >/dev/null
  as_pg sh -c "cat >> '$pg_dir/data/postgresql.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_dir'
max_connections = 40
shared_buffers = 64MB
CONF
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start >/dev/null
}

pg_url() { # a fresh database per store
  local db="bench_$1"
  PGPASSWORD="$pg_pass" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
  echo "postgresql://postgres:$pg_pass@127.0.0.1:$pg_port/$db"
}

# measure NAME CMD...: runs CMD with the store's environment; appends "seconds rss_kb exit" to $work/m
measure() {
  local out="$work/out" t0 t1 rc=0
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >"$out" 2>"$work/err" || rc=$?
  t1=$(date +%s%N)
  if [ $rc -ne 0 ]; then
    echo "FAILED (exit $rc): $*" >&2; tail -5 "$work/err" >&2
  fi
  echo "$(( (t1 - t0) / 1000000 )) $(tail -1 "$work/rss") $rc"
}

median_of() { # runs a read $runs times, prints "ms rss" of the median by time
  local i results=()
  for ((i = 0; i < runs; i++)); do results+=("$(measure "$@")"); done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

ms() { awk -v m="$1" 'BEGIN { printf "%.2f s", m / 1000 }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%d MB", k / 1024 }'; }

echo "building and warming up ./minsky ..." >&2
(cd "$here" && ./minsky --version >/dev/null)
for n in "${sizes[@]}"; do
  python3 "$here/bench/gen-sessions.py" "$n" "$work/sessions-$n.json"
done
# the launcher writes its class-data archive on the first run after a build: make that run a real one
warm="$work/warm"; mkdir -p "$warm"
HOME="$warm" XDG_STATE_HOME= XDG_CONFIG_HOME= "$here/minsky" sessiondb init --backend "${backends[0]}" >/dev/null
HOME="$warm" XDG_STATE_HOME= XDG_CONFIG_HOME= "$here/minsky" sessiondb import --file "$work/sessions-${sizes[0]}.json" >/dev/null
HOME="$warm" XDG_STATE_HOME= XDG_CONFIG_HOME= "$here/minsky" session list --limit 50 >/dev/null

rows=()
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ] && [ -z "$pg_dir" ]; then
    start_postgres || continue
  fi
  for n in "${sizes[@]}"; do
    home="$work/home-$backend-$n"; mkdir -p "$home"
    envs=(env HOME="$home" XDG_STATE_HOME= XDG_CONFIG_HOME= MINSKY_SESSIONDB_BACKEND="$backend")
    if [ "$backend" = postgres ]; then
      envs+=(MINSKY_POSTGRES_URL="$(pg_url "$n")")
    fi
    echo "$backend $n: init + import ..." >&2
    "${envs[@]}" "$here/minsky" sessiondb init --backend "$backend" >/dev/null
    read -r imp_ms imp_rss imp_rc < <(measure "${envs[@]}" "$here/minsky" sessiondb import --file "$work/sessions-$n.json")
    count=$("${envs[@]}" "$here/minsky" session list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    [ "$count" = "$n" ] || echo "WARNING: $backend store holds $count sessions, expected $n" >&2
    echo "$backend $n: reads ..." >&2
    read -r lj_ms lj_rss _ < <(median_of "${envs[@]}" "$here/minsky" session list --json)
    read -r l50_ms l50_rss _ < <(median_of "${envs[@]}" "$here/minsky" session list --limit 50)
    name=$(printf 'task-md-%06d' $(( n / 2 )))
    read -r get_ms get_rss _ < <(median_of "${envs[@]}" "$here/minsky" session get "$name")
    rows+=("$(printf '%-9s %8s | %9s %7s | %9s %7s | %9s %7s | %9s %7s' "$backend" "$n" \
      "$(ms "$imp_ms")" "$(mb "$imp_rss")" "$(ms "$lj_ms")" "$(mb "$lj_rss")" \
      "$(ms "$l50_ms")" "$(mb "$l50_rss")" "$(ms "$get_ms")" "$(mb "$get_rss")")")
    if [ "$imp_rc" != 0 ]; then rows[-1]+="  (import failed)"; fi
  done
done

echo
echo "minsky store benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "end to end through ./minsky (JVM start included); reads are the median of $runs runs; RSS is peak (/usr/bin/time %M)"
printf '%-9s %8s | %-17s | %-17s | %-17s | %-17s\n' backend sessions "import" "list --json" "list --limit 50" "get"
printf '%s\n' "--------------------+-------------------+-------------------+-------------------+------------------"
printf '%s\n' "${rows[@]}"
echo
echo "targets (issue 2): import 100000 into sqlite < 5 s; list --limit 50 on 100000 < 0.5 s and < 256 MB; get < 0.5 s"
