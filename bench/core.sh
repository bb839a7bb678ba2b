#!/usr/bin/env bash
# Core benchmark: seeds 1,000,000 jobs into a PostgreSQL and measures GET by id, list pages
# (first, 500th by offset and by cursor) and the server's memory. Needs a PostgreSQL server
# (default: the local one on 127.0.0.1:5432, trust auth). Results go to stdout; copy them into
# docs/benchmarks.md with the machine facts.
#   bench/core.sh [jobs]    e.g. bench/core.sh 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-1000000}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${BENCH_DB:-jobplane_bench}
PORT=${BENCH_PORT:-18080}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "CREATE DATABASE $DB" >/dev/null
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"

java -Xmx512m -jar app/target/jobplane.jar serve --port "$PORT" --host 127.0.0.1 \
  --data-dir "$WORK" --database-url "$JDBC" --database-user "$PGUSER" \
  > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$WORK/server.log"; exit 1; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'SHOW server_version')"
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jobplane.bench.CoreBenchmark \
  --base-url "http://127.0.0.1:$PORT" --token-file "$WORK/admin.token" \
  --jdbc-url "$JDBC?user=$PGUSER" --jobs "$JOBS" --server-pid "$SERVER"
