#!/usr/bin/env bash
# Write-path benchmarks against a fresh database on the local PostgreSQL (127.0.0.1:5432):
#  - submit throughput: POST /api/v1/jobs with wrk (16 connections; each 201 is a durable commit)
#    against pgbench running a durable single-row insert with 16 clients (issue 11 target ≥ 0.25),
#    measured once the JIT has caught up (warm_wrk in lib.sh);
#  - worker claim+complete throughput with 1, 4 and 16 protocol clients over HTTP, one task a call
#    and in batches of 10 (POST /api/v1/leases/reports), against db-scheduler running the same
#    number of tasks with as many threads on the same PostgreSQL (issue 11 targets: batched ≥ 1.0×,
#    one at a time ≥ 0.5×);
#  - enqueue-to-start with 4 idle `jobplane worker`s at their default settings (long-polling), and
#    what the server saw while they idled;
#  - our claim+complete SQL in pgbench (bench/wrk/claim-complete.sql) against the same over HTTP
#    (issue 11 target ≥ 0.5).
#   bench/workers.sh [jobs-per-round]      (BENCH_LIMITS=1: with project limits set, issue 16;
#   BENCH_WORKER_ARGS: more WorkerBenchmark options, e.g. "--warmup-jobs 2000 --idle-seconds 5";
#   BENCH_LATENCY_ONLY=1: enqueue-to-start and the idle window alone, about a minute;
#   BENCH_SUBMIT_ONLY=1: the submit figures alone, about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
JOBS=${1:-2000}
DB=${BENCH_DB:-jobplane_bench_workers}
REFERENCE_DB=${BENCH_REFERENCE_DB:-jobplane_bench_reference}
PORT=${BENCH_PORT:-18090}
CLIENTS=16
OURS_PER_CLIENT=${BENCH_OURS_PER_CLIENT:-500}
OURS_JOBS=$((CLIENTS * OURS_PER_CLIENT))
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
fresh_database "$DB"
fresh_database "$REFERENCE_DB"
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
start_server "$WORK" "$PORT" "$JDBC" --database-pool-size 24
machine_line

insert_reference_table "$REFERENCE_DB"
export JOBPLANE_TOKEN
JOBPLANE_TOKEN=$(cat "$WORK/admin.token")
URL="http://127.0.0.1:$PORT"
if [ "${BENCH_LIMITS:-}" = 1 ]; then
  # issue 16: limits on the project every job here goes to (default), too high to hold anything
  # back, so that each submit takes the project's admission lock and counts its waiting jobs, and
  # each claim try-locks the project and reads its running room
  curl -fsS -X PUT "$URL/api/v1/projects/default/limits" \
    -H "Authorization: Bearer $JOBPLANE_TOKEN" -H 'Content-Type: application/json' \
    -d '{"max_running": 1000000, "max_queued": 1000000000}' >/dev/null
  echo "limits enabled: project default max_running 1000000, max_queued 1000000000"
fi
# WorkerBenchmark against this server; it ANALYZEs the server's database after each batch of
# submits, as autovacuum would on a PostgreSQL that runs it
worker_benchmark() {
  java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jobplane.bench.WorkerBenchmark \
    --base-url "$URL" --token-file "$WORK/admin.token" --worker-jar app/target/jobplane.jar \
    --reference-jdbc-url "jdbc:postgresql://$PGHOST:$PGPORT/$REFERENCE_DB?user=$PGUSER" \
    --database-jdbc-url "$JDBC?user=$PGUSER" "$@" ${BENCH_WORKER_ARGS:-}
}
if [ "${BENCH_LATENCY_ONLY:-}" = 1 ]; then
  worker_benchmark --latency-only
  exit 0
fi
warm_wrk "$SERVER" 15 300 "$WORK/warm.txt" -t2 -c"$CLIENTS" -s bench/wrk/submit-job.lua "$URL"
echo "submit warm-up: ${WARMED} s of the same load, until the JIT had caught up"
TICKS=$(cpu_ticks "$SERVER")
run_wrk "$WORK/submit.txt" -t2 -c"$CLIENTS" -d"${BENCH_SECONDS}s" --latency -s bench/wrk/submit-job.lua "$URL"
TICKS=$(($(cpu_ticks "$SERVER") - TICKS))
TPS=$(pgbench_tps -n -c"$CLIENTS" -j2 -T"$BENCH_SECONDS" -f bench/wrk/insert-row.sql "$REFERENCE_DB")
echo
echo "| throughput ($CLIENTS clients, ${BENCH_SECONDS} s, durable commits) | Jobplane req/s | pgbench TPS | ratio | target |"
echo "|---|---:|---:|---:|---|"
ratio_line "POST /api/v1/jobs (wrk) vs pgbench single-row INSERT" "$(wrk_rps "$WORK/submit.txt")" "$TPS" 0.25
echo
echo "wrk submit latency: $(wrk_latency "$WORK/submit.txt"); server CPU $(awk -v t="$TICKS" -v r="$(wrk_rps "$WORK/submit.txt")" -v s="$BENCH_SECONDS" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz * 1000 / (r * s) }') ms per submit"
echo
[ "${BENCH_SUBMIT_ONLY:-}" = 1 ] && exit 0

worker_benchmark --jobs "$JOBS" --ours-jobs "$OURS_JOBS" --figures-file "$WORK/http16.txt"

# Our SQL without HTTP: the statements the server issues for a claim (max_tasks 1) and a complete,
# run by pgbench with 16 clients over the jobs WorkerBenchmark submitted to queue pgbench-ours
# (bench/wrk/claim-complete.sql), against the same over HTTP (16 workers, one task a call).
# (WorkerBenchmark ANALYZEd the database after submitting them)
OURS=$(pgbench_tps -n -M prepared -c"$CLIENTS" -j2 -t"$OURS_PER_CLIENT" -f bench/wrk/claim-complete.sql "$DB")
HTTP16=$(cat "$WORK/http16.txt")
echo
echo "| claim + complete, 16 clients | jobs/s | ratio | target |"
echo "|---|---:|---:|---|"
echo "| our SQL in pgbench (bench/wrk/claim-complete.sql) | $OURS | - | - |"
awk -v h="$HTTP16" -v o="$OURS" 'BEGIN {
  r = h / o
  printf "| our SQL over HTTP (16 workers, one task a call) | %.0f | %.2f | ≥ 0.50: %s |\n", h, r, (r >= 0.5 ? "met" : "missed")
}'
