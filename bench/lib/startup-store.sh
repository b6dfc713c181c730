# Sourced by bench/startup-bench.sh and bench/startup-ab.sh (issue 12): builds, with the launcher
# MINSKY (default ./minsky), the healthy store both measure in the current HOME (a throwaway one:
# the caller sets HOME and clears XDG_* and MINSKY_SESSIONDB_BACKEND): SQLite, 100 young
# sessions (task-000 .. task-099, one an hour from 20 days ago), each with its workspace, and a
# fresh backup, as the doctor asks. Sets $state to the store's directory.
startup_store() {
  local minsky="${1:-./minsky}" i
  state="$HOME/.local/state/minsky"
  "$minsky" sessiondb init --backend sqlite >/dev/null
  mkdir -p "$state/sessions"
  sqlite3 "$state/sessions.db" >/dev/null <<SQL
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 99)
INSERT INTO sessions (session, repoName, repoUrl, createdAt, taskId, branch, repoPath, backendType)
SELECT printf('task-%03d', i), 'minsky', 'https://github.com/edobry/minsky.git',
       strftime('%Y-%m-%dT%H:%M:%S.000Z', CAST(strftime('%s', 'now') AS INTEGER) - 20 * 86400 + i * 3600, 'unixepoch'),
       'md#' || i, printf('task-%03d', i), printf('$state/sessions/task-%03d', i), 'github'
FROM c;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  for i in $(seq 0 99); do mkdir -p "$(printf '%s/sessions/task-%03d' "$state" "$i")"; done
  mkdir -p "$state/backups"
  "$minsky" sessiondb export --all --format json > "$state/backups/sessions-$(date -u +%Y%m%dT%H%M%SZ).json"
}
