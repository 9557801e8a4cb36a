#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for tests and benchmarks.
#   scripts/postgres.sh start DIR PORT   -> installs PostgreSQL with apt if missing, starts it
#   scripts/postgres.sh stop DIR
# The server trusts local connections as user "postgres"; use
#   DATABASE_URL=postgres://postgres@127.0.0.1:PORT/archive
set -euo pipefail

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

# With PostgreSQL comes its RUM index (postgresql-15-rum; migration 0034 creates it), which ranks
# full-text search inside the index. Without the package search still works, ranked by
# ts_rank_cd, so a server that cannot get it still starts.
install_postgres() {
  export DEBIAN_FRONTEND=noninteractive
  if ! find_bin >/dev/null; then
    echo "Installing PostgreSQL and its RUM index from Debian's packages..."
    apt-get update -qq
    apt-get install -y -qq postgresql postgresql-15-rum >/dev/null \
      || apt-get install -y -qq postgresql >/dev/null
  fi
  local major
  major=$(basename "$(dirname "$(find_bin)")")
  if [ ! -f "/usr/share/postgresql/$major/extension/rum.control" ]; then
    echo "Installing PostgreSQL's RUM index from Debian's packages..."
    { apt-get update -qq && apt-get install -y -qq "postgresql-$major-rum" >/dev/null; } \
      || echo "postgresql-$major-rum is not available: search ranks without the RUM index" >&2
  fi
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:?usage: postgres.sh start DIR PORT | stop DIR}
dir=${2:?data directory}
case "$cmd" in
  start)
    port=${3:?port}
    install_postgres
    bin=$(find_bin)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    # A server already running on this directory (an earlier run's, or one started by hand) is
    # used as it is.
    if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    fi
    as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='archive'" | grep -q 1 \
      || as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres archive
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (data in $dir)"
    ;;
  stop)
    bin=$(find_bin)
    as_postgres "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null || true
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
