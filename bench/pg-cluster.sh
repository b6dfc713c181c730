# Sourced by the bench scripts: a throwaway PostgreSQL cluster on a free loopback port, with SCRAM
# authentication as a hosted server has, started as the postgres user when run as root.
#   start_postgres [CONF_LINE...]   initdb + start under $work/pg; extra postgresql.conf lines
#   stop_postgres                   stops it (the caller's EXIT trap calls it)
# Sets pg_bin (the server's bin directory), pg_dir, pg_port and pg_pass; needs $work.
pg_dir="" pg_bin="" pg_port="" pg_pass=""

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  pg_bin="$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")" 2>/dev/null)" || true
  [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || { echo "no initdb on PATH or under /usr/lib/postgresql: skipping postgres" >&2; return 1; }
  pg_dir="$work/pg"
  mkdir -p "$pg_dir" && chmod 700 "$pg_dir"
  pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  pg_pass="bench-$RANDOM$RANDOM"
  echo "$pg_pass" > "$pg_dir/pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$pg_dir"; fi
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A scram-sha-256 --pwfile="$pg_dir/pwfile" -E UTF8 --no-sync >/dev/null
  {
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nmax_connections = 40\n" "$pg_port" "$pg_dir"
    printf '%s\n' "$@"
  } | as_pg sh -c "cat >> '$pg_dir/data/postgresql.conf'"
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start >/dev/null
}

stop_postgres() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}
