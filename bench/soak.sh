#!/usr/bin/env bash
# Soak (issue 13, point 6): MINUTES of a bounded mixed workload per backend through ./minsky —
# session start / end / delete / list / clean, export, doctor, and a migration to another backend
# and back — by WORKERS loops at once, a share of the commands killed with SIGKILL at a random moment.
# Every minute (and at the end) the workers pause and the invariants are checked:
#   * no acknowledged session lost: every `session start` that exited 0 (and was not ended, deleted or
#     cleaned since, nor had such a command killed on it) is in the configured store;
#   * the store verifies (`sessiondb verify` exits 0);
#   * no temp-file litter: after one more write, no .minsky-tmp-* file is left in the state directory;
#   * no stack trace in any command's stderr.
# Prints the counts each minute; exits 1 when an invariant broke or a command that was not killed failed.
# Usage: bench/soak.sh MINUTES     BACKENDS="json sqlite postgres" WORKERS=2 KILL_PCT=20
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
minutes=${1:?usage: bench/soak.sh MINUTES}
backends=(${BACKENDS:-json sqlite postgres})
workers=${WORKERS:-2}
kill_pct=${KILL_PCT:-20}
work="$(mktemp -d /tmp/minsky-soak.XXXXXX)"
chmod 755 "$work"
# shellcheck source=bench/pg-cluster.sh
. "$here/bench/pg-cluster.sh"
worker_pids=()

cleanup() {
  local p
  for p in ${worker_pids[@]+"${worker_pids[@]}"}; do kill "$p" 2>/dev/null || true; done
  stop_postgres
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "building and warming up ./minsky ..." >&2
(cd "$here" && ./minsky --version >/dev/null)

# run TAG KILLABLE CMD...: runs ./minsky CMD in the background; with KILLABLE=1 and probability
# KILL_PCT it is sent SIGKILL after 0-3 s. Prints "exit CODE" or "killed"; stderr goes to $dir/err.
run() {
  local tag=$1 killable=$2; shift 2
  "${envs[@]}" "$here/minsky" "$@" >"$dir/out.$tag" 2>>"$dir/err.$tag" &
  local pid=$! rc=0 killed=0
  if [ "$killable" = 1 ] && [ $((RANDOM % 100)) -lt "$kill_pct" ]; then
    sleep "0.$((RANDOM % 10))$((RANDOM % 10))"; sleep $((RANDOM % 3))
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null && killed=1; fi
  fi
  wait "$pid" || rc=$?
  if [ "$killed" = 1 ]; then echo killed; else echo "exit $rc"; fi
}

# a worker: one command after another until the stop file appears; pauses while the pause file exists.
# ledger lines: "+NAME" acknowledged start, "~NAME" may be gone (ended/deleted/cleaned or a killed one)
worker() {
  local id=$1 i=0 op r name other
  while [ ! -f "$dir/stop" ]; do
    if [ -f "$dir/pause" ]; then touch "$dir/idle.$id"; sleep 0.2; continue; fi
    rm -f "$dir/idle.$id"
    i=$((i + 1)); op=$((RANDOM % 100))
    if [ $op -lt 50 ]; then
      name="w$id-$i"
      r=$(run "$id" 1 session start "$name" --repo "https://example.com/r.git")
      echo "start $r" >>"$dir/ops.$id"
      if [ "$r" = "exit 0" ]; then echo "+$name" >>"$dir/ledger.$id"; fi
    elif [ $op -lt 60 ] || [ $op -lt 65 ]; then
      # a session still acknowledged: its last ledger line is "+" (ending or deleting one twice is an error)
      name=$(awk '{ n = substr($0, 2); last[n] = substr($0, 1, 1) } END { for (n in last) if (last[n] == "+") print n }' \
        "$dir/ledger.$id" 2>/dev/null | shuf -n1 || true)
      [ -n "$name" ] || continue
      echo "~$name" >>"$dir/ledger.$id"
      if [ $op -lt 60 ]; then r=$(run "$id" 1 session end "$name"); echo "end $r" >>"$dir/ops.$id"
      else r=$(run "$id" 1 session delete "$name"); echo "delete $r" >>"$dir/ops.$id"; fi
    elif [ $op -lt 75 ]; then
      r=$(run "$id" 1 session list --json); echo "list $r" >>"$dir/ops.$id"
    elif [ $op -lt 80 ]; then
      # clean removes ended sessions: each one was marked "~" when its end was tried
      r=$(run "$id" 1 session clean --older-than 30d); echo "clean $r" >>"$dir/ops.$id"
    elif [ $op -lt 88 ]; then
      r=$(run "$id" 1 sessiondb export --all --format json); echo "export $r" >>"$dir/ops.$id"
    elif [ $op -lt 94 ]; then
      r=$(run "$id" 1 doctor --json); echo "doctor $r" >>"$dir/ops.$id"
    elif [ "$id" = 0 ]; then
      other=$([ "$backend" = json ] && echo sqlite || echo json)
      r=$(run "$id" 1 sessiondb migrate to "$other"); echo "migrate $r" >>"$dir/ops.$id"
      # back only from where the store now is: after a failed or killed-early migration it is still here
      if [ "$(configured)" != "$backend" ]; then
        r=$(run "$id" 1 sessiondb migrate to "$backend"); echo "migrate-back $r" >>"$dir/ops.$id"
      fi
    fi
  done
}

configured() { "${envs[@]}" "$here/minsky" config get sessiondb.backend 2>/dev/null | tail -1; }

# check LABEL: pause the workers, check the invariants, print the counts; returns 1 when one broke
check() {
  local label=$1 broke=0 k
  rm -f "$dir"/idle.*
  touch "$dir/pause"
  for ((k = 0; k < workers; k++)); do
    while [ ! -f "$dir/idle.$k" ] && [ ! -f "$dir/stop-done.$k" ]; do sleep 0.2; done
  done
  # a migration killed half-way is finished by running it again (issue 13, point 3)
  if [ "$(configured)" != "$backend" ]; then
    "${envs[@]}" "$here/minsky" sessiondb migrate to "$backend" >/dev/null 2>>"$dir/err.check" || true
  fi
  # one more write: it sweeps the temp files of killed writers
  local probe="check-$(date +%s%N)"
  if "${envs[@]}" "$here/minsky" session start "$probe" >/dev/null 2>>"$dir/err.check"; then echo "+$probe" >>"$dir/ledger.check"; fi
  "${envs[@]}" "$here/minsky" session list --json 2>>"$dir/err.check" >"$dir/list.json" || true
  python3 - "$dir" >"$dir/lost" <<'EOF'
import glob, json, sys
d = sys.argv[1]
must = {}
for f in glob.glob(d + "/ledger.*"):
    for line in open(f):
        line = line.strip()
        if line.startswith("+"): must[line[1:]] = True
        elif line.startswith("~"): must[line[1:]] = False
try:
    have = {r["session"] for r in json.load(open(d + "/list.json"))}
except Exception as e:
    print("UNREADABLE", e); sys.exit()
lost = sorted(n for n, m in must.items() if m and n not in have)
print(len([n for n, m in must.items() if m]), len(have), len(lost), " ".join(lost[:10]))
EOF
  read -r acked have lost_n lost_names <"$dir/lost" || true
  local vrc=0
  "${envs[@]}" "$here/minsky" sessiondb verify >"$dir/verify.out" 2>&1 || vrc=$?
  local litter
  litter=$(find "$state" -maxdepth 1 -name '.minsky-tmp-*' | wc -l)
  local traces
  traces=$(cat "$dir"/err.* 2>/dev/null | grep -cE '^\s+at [a-zA-Z]|Exception' || true)
  local ops killed failed
  ops=$(cat "$dir"/ops.* 2>/dev/null | wc -l)
  killed=$(cat "$dir"/ops.* 2>/dev/null | grep -c killed || true)
  # exit 1 from doctor is findings, not a failure
  failed=$(cat "$dir"/ops.* 2>/dev/null | grep -v killed | grep -vE 'exit 0$|^doctor exit 1$' | wc -l)
  printf '%-8s %-6s | ops %5d | killed %4d | failed %3d | acked %5d | in store %5d | lost %3s | verify %s | litter %2d | traces %2d\n' \
    "$backend" "$label" "$ops" "$killed" "$failed" "${acked:-?}" "${have:-?}" "${lost_n:-?}" "$([ $vrc = 0 ] && echo ok || echo "FAIL($vrc)")" "$litter" "$traces"
  if [ "${lost_n:-1}" != 0 ]; then echo "  LOST: $lost_names" >&2; broke=1; fi
  if [ $vrc != 0 ]; then sed 's/^/  verify: /' "$dir/verify.out" | head -5 >&2; broke=1; fi
  if [ "$litter" != 0 ]; then find "$state" -maxdepth 1 -name '.minsky-tmp-*' | sed 's/^/  litter: /' >&2; broke=1; fi
  if [ "$traces" != 0 ]; then grep -hE -B2 '^\s+at [a-zA-Z]|Exception' "$dir"/err.* | head -8 | sed 's/^/  trace: /' >&2; broke=1; fi
  if [ "$failed" != 0 ]; then
    broke=1
    cat "$dir"/ops.* | grep -v killed | grep -vE 'exit 0$|^doctor exit 1$' | sort | uniq -c | sed 's/^/  failed: /' >&2
    grep -h '^error:' "$dir"/err.* 2>/dev/null | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /' >&2 || true
  fi
  rm -f "$dir/pause"
  return $broke
}

status=0
summary=()
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ] && [ -z "$pg_dir" ]; then
    start_postgres "max_connections = 60" || { summary+=("postgres: no PostgreSQL binaries, skipped"); continue; }
  fi
  dir="$work/$backend"; mkdir -p "$dir/home"
  state="$dir/home/.local/state/minsky"
  envs=(env -u MINSKY_SESSIONDB_BACKEND -u MINSKY_POSTGRES_URL -u MINSKY_SESSIONDB_POSTGRES_URL HOME="$dir/home" XDG_STATE_HOME= XDG_CONFIG_HOME=)
  if [ "$backend" = postgres ]; then
    PGPASSWORD="$pg_pass" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE soak" >/dev/null
    "${envs[@]}" "$here/minsky" config set sessiondb.connectionString "postgresql://postgres:$pg_pass@127.0.0.1:$pg_port/soak" >/dev/null 2>&1
  fi
  "${envs[@]}" "$here/minsky" sessiondb init --backend "$backend" >/dev/null
  worker_pids=()
  for ((k = 0; k < workers; k++)); do
    (worker "$k"; touch "$dir/stop-done.$k") &
    worker_pids+=($!)
  done
  end=$(( $(date +%s) + minutes * 60 ))
  m=0
  while [ "$(date +%s)" -lt "$end" ]; do
    sleep $(( end - $(date +%s) < 60 ? (end - $(date +%s) > 0 ? end - $(date +%s) : 0) : 60 ))
    m=$((m + 1))
    [ "$(date +%s)" -lt "$end" ] || break
    check "min $m" || status=1
  done
  touch "$dir/stop"
  for p in "${worker_pids[@]}"; do wait "$p" || true; done
  worker_pids=()
  line=$(check "end") || status=1
  echo "$line"
  summary+=("$line")
done
echo
echo "minsky soak — $(date -u +%Y-%m-%dT%H:%MZ), $minutes min per backend, $workers workers, ${kill_pct}% of commands SIGKILLed," \
  "$(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg)"
printf '%s\n' "${summary[@]}"
exit $status
