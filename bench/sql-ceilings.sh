#!/usr/bin/env bash
# The database's share of issue 10's and 11's ratio targets: the statements the server issues for
# a GET by id and for a submit, run by pgbench with no Java and no HTTP at all, side by side with
# the references the targets name (pgbench -S -M prepared, 32 clients; a single-row INSERT, 16
# clients). A ratio the server's SQL cannot reach on its own is out of reach over HTTP on the same
# machine, where wrk, the server and PostgreSQL share the cores.
#   bench/sql-ceilings.sh [jobs-to-seed]     (default 50000; BENCH_ROUNDS: pairs of runs, default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
JOBS=${1:-50000}
ROUNDS=${BENCH_ROUNDS:-2}
DB=${BENCH_DB:-jobplane_bench_ceilings}
REFERENCE_DB=${BENCH_PGBENCH_DB:-jobplane_bench_pgbench}
INSERT_DB=${BENCH_REFERENCE_DB:-jobplane_bench_reference}
PORT=${BENCH_PORT:-18092}
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app -am
fresh_database "$DB"
ensure_database "$INSERT_DB"
insert_reference_table "$INSERT_DB"
ensure_pgbench_reference "$REFERENCE_DB"

# the server creates the schema (its migrations) and one finished job to read; then it stops, so
# that only PostgreSQL and pgbench share the machine
start_server "$WORK" "$PORT" "jdbc:postgresql://$PGHOST:$PGPORT/$DB"
URL="http://127.0.0.1:$PORT"
TOKEN=$(cat "$WORK/admin.token")
curl -fsS -X POST "$URL/api/v1/jobs" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"submit-bench","type":"bench","queue":"submit-bench"}' >/dev/null
stop_server
SERVER=
psql_admin -d "$DB" -qc "UPDATE job_tasks SET status = 'SUCCEEDED', worker_id = 'bench', started_at = now(), finished_at = now()"
psql_admin -d "$DB" -qc "UPDATE jobs SET status = 'SUCCEEDED', started_at = now(), finished_at = now()"
ID=$(psql_admin -d "$DB" -tAc "SELECT id FROM jobs LIMIT 1")
# a store that is not empty: the submits below add to these
"$PGBENCH" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -n -c4 -j2 -t $((JOBS / 4)) -M prepared \
  -f bench/wrk/submit-job.sql "$DB" >/dev/null 2>&1
machine_line
echo "store: $(psql_admin -d "$DB" -tAc 'SELECT count(*) FROM jobs') jobs"
echo
echo "| round | statement | clients | our SQL in pgbench, TPS | reference | reference TPS | ratio of the SQL alone | the issue's target over HTTP |"
echo "|---:|---|---:|---:|---|---:|---:|---|"
for round in $(seq 1 "$ROUNDS"); do
  ref=$(pgbench_tps -n -S -M prepared -c32 -j2 -T"$BENCH_SECONDS" "$REFERENCE_DB")
  ours=$(pgbench_tps -n -M prepared -c32 -j2 -T"$BENCH_SECONDS" -D id="$ID" -f bench/wrk/get-job.sql "$DB")
  awk -v r="$round" -v a="$ours" -v b="$ref" 'BEGIN { printf "| %s | GET by id (`bench/wrk/get-job.sql`) | 32 | %.0f | `pgbench -S -M prepared` | %.0f | %.3f | ≥ 0.15 |\n", r, a, b, a / b }'
  ref=$(pgbench_tps -n -c16 -j2 -T"$BENCH_SECONDS" -f bench/wrk/insert-row.sql "$INSERT_DB")
  ours=$(pgbench_tps -n -M prepared -c16 -j2 -T"$BENCH_SECONDS" -f bench/wrk/submit-job.sql "$DB")
  awk -v r="$round" -v a="$ours" -v b="$ref" 'BEGIN { printf "| %s | submit (`bench/wrk/submit-job.sql`) | 16 | %.0f | single-row INSERT | %.0f | %.3f | ≥ 0.25 |\n", r, a, b, a / b }'
done
