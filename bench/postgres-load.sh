#!/usr/bin/env bash
# Many machines on one store (issue 10): CLIENTS concurrent CLI processes (default 32) run
# `session start` against one throwaway PostgreSQL server whose max_connections (default 20) is
# below the number of clients, through ./minsky (the packaged jar, JVM start included). Prints
# sessions/s, p50/p99 of `session start`, how many waited for a connection slot, the error count,
# and checks 0 lost, 0 duplicated, 0 failed (exit 1 otherwise).
# Usage: bench/postgres-load.sh            CLIENTS=32 PER_CLIENT=5 MAX_CONNECTIONS=20
#   MINSKY_POSTGRES_WAIT_MS is passed on (how long a client waits for a slot; minsky's default 30000,
#   sessiondb.connectionWait).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
clients=${CLIENTS:-32}
per=${PER_CLIENT:-5}
maxconn=${MAX_CONNECTIONS:-20}
work="$(mktemp -d /tmp/minsky-pgload.XXXXXX)"
chmod 755 "$work"
# shellcheck source=bench/pg-cluster.sh
. "$here/bench/pg-cluster.sh"
cleanup() {
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT

start_postgres "max_connections = $maxconn" "superuser_reserved_connections = 3" "fsync = off" >/dev/null
PGPASSWORD="$pg_pass" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE load" >/dev/null
url="postgresql://postgres:$pg_pass@127.0.0.1:$pg_port/load"
export HOME="$work/home" MINSKY_POSTGRES_URL="$url"
mkdir -p "$HOME"
echo "building and warming up ./minsky ..." >&2
(cd "$here" && ./minsky --version >/dev/null)
"$here/minsky" sessiondb init --backend postgres >/dev/null

echo "postgres-load: $clients clients x $per session start, server max_connections=$maxconn (superuser_reserved_connections=3)"
client() { # client number: runs its session starts one after another, one line per command
  local c=$1 i t0 t1 rc
  for ((i = 0; i < per; i++)); do
    t0=$(date +%s%N); rc=0
    "$here/minsky" session start "load-c$c-s$i" --repo "/tmp/load-$c" >/dev/null 2>>"$work/err-$c" || rc=$?
    t1=$(date +%s%N)
    echo "$rc $(( (t1 - t0) / 1000000 ))" >>"$work/times-$c"
  done
}
t_start=$(date +%s%N)
for ((c = 0; c < clients; c++)); do client "$c" & done
wait
t_end=$(date +%s%N)

cat "$work"/times-* >"$work/all"
total=$(wc -l <"$work/all")
failed=$(awk '$1 != 0' "$work/all" | wc -l)
waited=$(cat "$work"/err-* 2>/dev/null | grep -c "waiting for a free connection slot" || true)
read -r p50 p99 < <(awk '{print $2}' "$work/all" | sort -n | awk '{a[NR]=$1} END {i50=int(NR*0.5+0.5); i99=int(NR*0.99+0.5); if(i50<1)i50=1; if(i99<1)i99=1; print a[i50], a[i99]}')
read -r rows distinct < <(PGPASSWORD="$pg_pass" "$pg_bin/psql" -At -F ' ' -h 127.0.0.1 -p "$pg_port" -U postgres -d load \
  -c "SELECT count(*), count(DISTINCT session) FROM sessions WHERE session LIKE 'load-c%'")
expected=$((clients * per))
secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
rate=$(awk -v n="$((total - failed))" -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", n / ((b - a) / 1e9) }')
lost=$((expected - distinct))
dup=$((rows - distinct))
echo "commands:        $total in ${secs} s ($rate sessions/s)"
echo "session start:   p50 ${p50} ms, p99 ${p99} ms (JVM start included)"
echo "waited for slot: $waited commands said 'waiting for a free connection slot'"
echo "errors:          $failed failed commands"
echo "sessions:        $rows rows, $distinct distinct of $expected: lost $lost, duplicated $dup"
if [ "$failed" -ne 0 ]; then
  echo "first errors:" >&2
  cat "$work"/err-* | grep -v '^minsky: waiting' | head -5 >&2
fi
if [ "$failed" -eq 0 ] && [ "$lost" -eq 0 ] && [ "$dup" -eq 0 ]; then
  echo "OK: 0 lost, 0 duplicated, 0 failed"
else
  echo "FAIL"; exit 1
fi
