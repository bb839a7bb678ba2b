#!/usr/bin/env bash
# Issue 10 benchmark: a queued job's waiting.position in a queue of 1,000,000 QUEUED jobs.
# Seeds the jobs (one task each, priorities 0..3) into one queue of a bench database on the local
# PostgreSQL (127.0.0.1:5432, trust auth, superuser: the seed turns per-row triggers off), starts
# the server and measures GET /api/v1/jobs/{id} of the last job in the queue (the position count
# stops at its cap of 1,000), of the job at position 1,000, of the first one and of a SUCCEEDED
# job as the reference without a position (median, p95, p99 of 200 sequential requests each,
# taking turns), then EXPLAIN ANALYZEs the count statement itself. A second run reuses the seeded
# queue. Results go to stdout; copy them into docs/benchmarks.md.
#   bench/queue-position.sh [jobs]    e.g. bench/queue-position.sh 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
JOBS=${1:-1000000}
DB=${BENCH_DB:-jobplane_bench_position}
PORT=${BENCH_PORT:-18085}
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -o -DskipTests package -pl app,bench -am
ensure_database "$DB"
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
start_server "$WORK" "$PORT" "$JDBC"
machine_line
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.jobplane.bench.QueuePositionBenchmark \
  --base-url "http://127.0.0.1:$PORT" --token-file "$WORK/admin.token" \
  --jdbc-url "$JDBC?user=$PGUSER" --jobs "$JOBS"
