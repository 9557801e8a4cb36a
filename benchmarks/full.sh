#!/usr/bin/env bash
# make bench-full: 100,000 documents on SQLite and on PostgreSQL, then 1,000,000 on PostgreSQL
# where the machine allows (BENCH_MILLION=0 skips it), and 10 minutes of the load benchmark on
# each database. By hand; about an hour on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
port=${BENCH_PG_PORT:-55436}
pgdata=${BENCH_PG_DATA:-/tmp/archive-bench-pg}

"$python" -m benchmarks.run --documents 100000 "$@"

scripts/postgres.sh start "$pgdata" "$port"
trap 'scripts/postgres.sh stop "$pgdata"' EXIT
"$python" -m benchmarks.run --documents 100000 --postgres "postgres://postgres@127.0.0.1:$port/" "$@"

# The load benchmark: readers, curators and an import at once, 10 minutes on each database.
"$python" -m benchmarks.load --seconds 600 --postgres "postgres://postgres@127.0.0.1:$port/"

# A million documents need about 8 GB of disk for PostgreSQL and a few GB of memory.
free_gb=$(df -Pk "$pgdata" | awk 'NR==2 {print int($4 / 1024 / 1024)}')
mem_gb=$(awk '/MemTotal/ {print int($2 / 1024 / 1024)}' /proc/meminfo)
if [ "${BENCH_MILLION:-1}" != 0 ] && [ "$free_gb" -ge 20 ] && [ "$mem_gb" -ge 8 ]; then
  # Generating a million documents takes about 40 minutes on 2 cores: --reuse measures the
  # archive an earlier run left in the database bench_1000000. The import (about half an hour
  # for a million rows) is measured at 100,000; naive baselines, at tens of seconds a request,
  # are timed twice.
  "$python" -m benchmarks.run --documents 1000000 --postgres "postgres://postgres@127.0.0.1:$port/" \
    --reuse --skip import --repeat 20 --baseline-min-repeat 2 "$@"
else
  echo "Skipping 1,000,000 documents: ${free_gb} GB free disk, ${mem_gb} GB memory (need 20 and 8)."
fi
