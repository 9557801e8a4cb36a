#!/usr/bin/env bash
# The archive beyond one machine, on loopback: a PostgreSQL primary and a streaming replica
# (pg_basebackup -R), Redis as the shared page cache, and gunicorn serving the site with
# WhiteNoise. Shows public pages read from the replica, a curator's edit reaching the primary and
# then the replica, and the Redis page cache dropping the old page; then a second application
# server and a task worker beside the first, and an edit saved through one served by the other,
# whose index applies it as a delta (scripts/two_servers_demo.py). Exits non-zero on any surprise.
#
#   scripts/replica_demo.sh [PRIMARY_PORT] [REPLICA_PORT] [REDIS_PORT] [HTTP_PORT]
#
# Installs postgresql and redis-server from Debian's packages if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

primary_port=${1:-55436}
replica_port=${2:-55437}
redis_port=${3:-56379}
http_port=${4:-8026}
python=${PYTHON:-.venv/bin/python}
work=$(mktemp -d /tmp/archive-replica-demo.XXXXXX)
[ "$(id -u)" = 0 ] && chmod 755 "$work"
pids=()

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${bin:-}" ] && as_postgres "$bin/pg_ctl" -D "$work/replica" -m fast stop >/dev/null 2>&1 || true
  scripts/postgres.sh stop "$work/primary" || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v redis-server >/dev/null; then
  echo "Installing redis-server from Debian's packages..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

echo "== Primary on 127.0.0.1:$primary_port"
scripts/postgres.sh start "$work/primary" "$primary_port"
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | head -1)")
primary="postgres://postgres@127.0.0.1:$primary_port/archive"
replica="postgres://postgres@127.0.0.1:$replica_port/archive"

echo "== Migrate and fill the primary (seed records if present, and a generated archive)"
export SECRET_KEY=replica-demo-only DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1,localhost,testserver
DATABASE_URL=$primary "$python" manage.py migrate --noinput -v0
if [ -f fixtures/seed.json ]; then DATABASE_URL=$primary "$python" manage.py load_seeds; fi
DATABASE_URL=$primary "$python" manage.py generate_archive --documents 500

echo "== Replica on 127.0.0.1:$replica_port: pg_basebackup -R, then hot standby"
mkdir -m 700 "$work/replica"
[ "$(id -u)" = 0 ] && chown postgres "$work/replica"
as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$work/replica" -R -X stream -c fast
as_postgres "$bin/pg_ctl" -D "$work/replica" -l "$work/replica/server.log" -w \
  -o "-p $replica_port -k /tmp -c listen_addresses=127.0.0.1 -c hot_standby=on" start >/dev/null
as_postgres "$bin/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -Atc \
  "SELECT 'primary streams to: ' || client_addr || ' (' || state || ')' FROM pg_stat_replication"

echo "== The router at work (scripts/replica_demo.py)"
DATABASE_URL=$primary DATABASE_REPLICA_URLS=$replica PAGE_CACHE_SECONDS=0 STATIC_MANIFEST=0 \
  "$python" scripts/replica_demo.py

echo "== gunicorn (2 workers) + WhiteNoise + Redis page cache, reads from the replica"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >/dev/null &
pids+=($!)
export DATABASE_URL=$primary DATABASE_REPLICA_URLS=$replica REDIS_URL="redis://127.0.0.1:$redis_port/0"
export STATIC_ROOT="$work/static" STATIC_MANIFEST=1
"$python" manage.py collectstatic --noinput -v0
"$python" -m gunicorn archive_site.wsgi:application --workers 2 --bind "127.0.0.1:$http_port" \
  --no-control-socket --log-level warning &
pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$http_port/" && break; sleep 0.1; done

base="http://127.0.0.1:$http_port"
record=$(as_postgres "$bin/psql" -h 127.0.0.1 -p "$replica_port" -U postgres -d archive -Atc \
  "SELECT record_id FROM documents_document WHERE status='published' ORDER BY record_id LIMIT 1")
page="$base/documents/$record/"
header() { curl -s -D - -o /dev/null "$1" | tr -d '\r' | awk -v h="$2" 'tolower($1)==tolower(h)":" {print $2}'; }
first=$(header "$page" X-Archive-Cache)
second=$(header "$page" X-Archive-Cache)
echo "   $page: first visit cache=$first, second visit cache=$second"
[ "$first" = miss ] && [ "$second" = hit ] || { echo "FAILED: expected a miss, then a hit"; exit 1; }

css=$(curl -s "$base/" | grep -o '/static/archive/site\.[0-9a-f]*\.css' | head -1)
encoding=$(curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null "$base$css" | tr -d '\r' | awk 'tolower($1)=="content-encoding:" {print $2}')
echo "   stylesheet $css served by WhiteNoise, Content-Encoding: ${encoding:-none}"
[ -n "$css" ] && [ "$encoding" = gzip ] || { echo "FAILED: hashed, compressed static files expected"; exit 1; }

echo "   A curator corrects the document (on the primary); Redis drops the cached page:"
DATABASE_URL=$primary "$python" manage.py shell -c "
from documents.models import Document
d = Document.objects.get(record_id=$record)
d.title = d.title + ' (revised)'
d.save()
"
sleep 0.5  # streaming replication on loopback takes milliseconds
after=$(header "$page" X-Archive-Cache)
shown=$(curl -s "$page" | grep -c '(revised)' || true)
echo "   next visit cache=$after, revised title shown: $([ "$shown" -gt 0 ] && echo yes || echo no)"
[ "$after" = miss ] && [ "$shown" -gt 0 ] || { echo "FAILED: the edit should reach visitors"; exit 1; }
echo "== A second application server (gunicorn on :$((http_port + 1))) and a task worker, same primary, replica and Redis"
# One worker, so that the process whose index the visitor warms is the one that must take the
# change as a delta (with two, the other might build its index only after the save).
LOG_LEVEL=INFO "$python" -m gunicorn archive_site.wsgi:application --workers 1 \
  --bind "127.0.0.1:$((http_port + 1))" --no-control-socket --log-level warning 2>"$work/server-b.log" &
pids+=($!)
"$python" manage.py db_worker >"$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$((http_port + 1))/" && break; sleep 0.1; done
"$python" manage.py shell -c "
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser('two-servers-demo', '', 'two-servers-demo-password')
"
pk=$(as_postgres "$bin/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -d archive -Atc \
  "SELECT id FROM documents_document WHERE record_id=$record")
"$python" scripts/two_servers_demo.py "$base" "http://127.0.0.1:$((http_port + 1))" "$pk" "$record" \
  two-servers-demo two-servers-demo-password || { echo "Server B's log:"; cat "$work/server-b.log"; exit 1; }
deltas=$(grep -c "applied the change log" "$work/server-b.log" || true)
echo "   server B's index took the change as a delta: $(grep "applied the change log" "$work/server-b.log" | tail -1)"
[ "$deltas" -gt 0 ] || { echo "FAILED: server B should apply the change log as a delta"; cat "$work/server-b.log"; exit 1; }
echo "== Done: replica reads, primary writes, shared cache invalidation, WhiteNoise, two servers following one change log all work."
