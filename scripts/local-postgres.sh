#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for local runs and benchmarks (the tests start their own).
#   scripts/local-postgres.sh start DIR [PORT]   initialises DIR if empty, starts, prints the connection string
#   scripts/local-postgres.sh stop DIR
# As root the server runs as the `postgres` user (initdb refuses root). Needs PostgreSQL's server binaries:
# scripts/setup/postgres.sh installs them.
set -euo pipefail

command=${1:?usage: local-postgres.sh start|stop DIR [PORT]}
dir=$(realpath -m "${2:?data directory}")
port=${3:-55432}
bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -1)
if [[ -z $bin ]]; then
  echo "local-postgres: PostgreSQL server binaries not found; run scripts/setup/postgres.sh" >&2
  exit 1
fi

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case $command in
  start)
    password=local-dev-only
    if [[ ! -f $dir/data/PG_VERSION ]]; then
      mkdir -p "$dir"
      printf '%s' "$password" >"$dir/pwfile"
      if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres "$dir"; fi
      as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile="$dir/pwfile" -E UTF8 --no-sync >/dev/null
    fi
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
    ;;
  *)
    echo "usage: local-postgres.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
