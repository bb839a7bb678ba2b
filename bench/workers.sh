#!/usr/bin/env bash
# Worker protocol benchmark: claim-and-complete throughput with 1, 4 and 16 concurrent protocol
# clients, and the enqueue-to-start latency, against the local PostgreSQL (127.0.0.1:5432).
#   bench/workers.sh [jobs-per-round]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-2000}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${BENCH_DB:-jobplane_bench_workers}
PORT=${BENCH_PORT:-18090}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "CREATE DATABASE $DB" >/dev/null
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
java -Xmx512m -jar app/target/jobplane.jar serve --port "$PORT" --host 127.0.0.1 \
  --data-dir "$WORK" --database-url "$JDBC" --database-user "$PGUSER" --database-pool-size 24 \
  > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 1
done
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), PostgreSQL $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'SHOW server_version'), synchronous_commit $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'SHOW synchronous_commit')"
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jobplane.bench.WorkerBenchmark \
  --base-url "http://127.0.0.1:$PORT" --token-file "$WORK/admin.token" --jobs "$JOBS"
