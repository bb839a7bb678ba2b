#!/usr/bin/env bash
# Core benchmark: seeds 1,000,000 jobs into the local PostgreSQL (127.0.0.1:5432, trust auth) and
# measures
#  - GET /api/v1/jobs/{id} throughput with wrk (32 connections) against `pgbench -S` (32 clients)
#    on the same PostgreSQL, as a ratio (issue 6 target ≥ 0.30);
#  - latency of GET by id and of list pages (first, 500th by offset and by cursor), with issue 6's
#    list targets (median ≤ 5 ms, cursor page 500 ≤ 1.2 × page 1), and the server's memory.
# Results go to stdout; copy them into docs/benchmarks.md with the machine facts.
#   bench/core.sh [jobs]    e.g. bench/core.sh 1000000   (BENCH_LIMITS=1: with project limits set)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
JOBS=${1:-1000000}
DB=${BENCH_DB:-jobplane_bench}
REFERENCE_DB=${BENCH_PGBENCH_DB:-jobplane_bench_pgbench}
PORT=${BENCH_PORT:-18080}
CLIENTS=32
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
ensure_database "$DB"
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
start_server "$WORK" "$PORT" "$JDBC"
machine_line
if [ "${BENCH_LIMITS:-}" = 1 ]; then
  # issue 16: limits on every project the seed uses, too high to hold anything back, so that the
  # list and the GET run against a store where limits are set (they read none of them)
  for p in default $(seq -f 'project-%g' 0 19); do
    curl -fsS -X PUT "http://127.0.0.1:$PORT/api/v1/projects/$p/limits" \
      -H "Authorization: Bearer $(cat "$WORK/admin.token")" -H 'Content-Type: application/json' \
      -d '{"max_running": 1000000, "max_queued": 1000000000}' >/dev/null
  done
  echo "limits enabled: 21 projects with max_running 1000000, max_queued 1000000000"
fi
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jobplane.bench.CoreBenchmark \
  --base-url "http://127.0.0.1:$PORT" --token-file "$WORK/admin.token" \
  --jdbc-url "$JDBC?user=$PGUSER" --jobs "$JOBS" --server-pid "$SERVER"

# pgbench's own tables at scale 10 hold 1,000,000 accounts: the same order of rows as the jobs
ensure_pgbench_reference "$REFERENCE_DB"
psql_admin -d "$DB" -tAc \
  "COPY (SELECT id FROM jobs TABLESAMPLE SYSTEM (1) LIMIT 10000) TO STDOUT" > "$WORK/ids.txt"
export JOBPLANE_IDS="$WORK/ids.txt" JOBPLANE_TOKEN
JOBPLANE_TOKEN=$(cat "$WORK/admin.token")
URL="http://127.0.0.1:$PORT"
run_wrk "$WORK/warm.txt" -t2 -c"$CLIENTS" -d5s -s bench/wrk/get-job.lua "$URL"
run_wrk "$WORK/get.txt" -t2 -c"$CLIENTS" -d"${BENCH_SECONDS}s" --latency -s bench/wrk/get-job.lua "$URL"
"$PGBENCH" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -n -S -c"$CLIENTS" -j2 -T5 "$REFERENCE_DB" >/dev/null 2>&1
TPS=$(pgbench_tps -n -S -c"$CLIENTS" -j2 -T"$BENCH_SECONDS" "$REFERENCE_DB")
echo
echo "| throughput ($CLIENTS clients, ${BENCH_SECONDS} s) | Jobplane req/s | pgbench TPS | ratio | target |"
echo "|---|---:|---:|---:|---|"
ratio_line "GET /api/v1/jobs/{id} (wrk) vs \`pgbench -S\`" "$(wrk_rps "$WORK/get.txt")" "$TPS" 0.30
echo
echo "wrk GET by id latency: $(wrk_latency "$WORK/get.txt"); server process: $(grep -E 'VmHWM|VmRSS' /proc/$SERVER/status | tr -s ' \n' ' ')"
