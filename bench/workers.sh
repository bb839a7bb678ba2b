#!/usr/bin/env bash
# Write-path benchmarks against a fresh database on the local PostgreSQL (127.0.0.1:5432):
#  - submit throughput: POST /api/v1/jobs with wrk (16 connections; each 201 is a durable commit)
#    against pgbench running a durable single-row insert with 16 clients;
#  - worker claim+complete throughput with 1, 4 and 16 protocol clients over HTTP against
#    db-scheduler running the same number of tasks with as many threads on the same PostgreSQL
#    (issue 6 target: Jobplane ≥ 0.5 × db-scheduler);
#  - enqueue-to-start latency with idle workers polling.
#   bench/workers.sh [jobs-per-round]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
JOBS=${1:-2000}
DB=${BENCH_DB:-jobplane_bench_workers}
REFERENCE_DB=${BENCH_REFERENCE_DB:-jobplane_bench_reference}
PORT=${BENCH_PORT:-18090}
CLIENTS=16
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
fresh_database "$DB"
fresh_database "$REFERENCE_DB"
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
start_server "$WORK" "$PORT" "$JDBC" --database-pool-size 24
machine_line

psql_admin -d "$REFERENCE_DB" -qc \
  "CREATE TABLE submit_reference (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
export JOBPLANE_TOKEN
JOBPLANE_TOKEN=$(cat "$WORK/admin.token")
URL="http://127.0.0.1:$PORT"
run_wrk "$WORK/warm.txt" -t2 -c"$CLIENTS" -d5s -s bench/wrk/submit-job.lua "$URL"
run_wrk "$WORK/submit.txt" -t2 -c"$CLIENTS" -d"${BENCH_SECONDS}s" --latency -s bench/wrk/submit-job.lua "$URL"
TPS=$(pgbench_tps -n -c"$CLIENTS" -j2 -T"$BENCH_SECONDS" -f bench/wrk/insert-row.sql "$REFERENCE_DB")
echo
echo "| throughput ($CLIENTS clients, ${BENCH_SECONDS} s, durable commits) | Jobplane req/s | pgbench TPS | ratio | target |"
echo "|---|---:|---:|---:|---|"
ratio_line "POST /api/v1/jobs (wrk) vs pgbench single-row INSERT" "$(wrk_rps "$WORK/submit.txt")" "$TPS" -
echo
echo "wrk submit latency: $(wrk_latency "$WORK/submit.txt")"
echo

java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jobplane.bench.WorkerBenchmark \
  --base-url "$URL" --token-file "$WORK/admin.token" --jobs "$JOBS" \
  --reference-jdbc-url "jdbc:postgresql://$PGHOST:$PGPORT/$REFERENCE_DB?user=$PGUSER"
