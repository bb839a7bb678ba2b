#!/usr/bin/env bash
# Operator benchmark (issues 4 and 6): the real `jobplane operator` process (-Xmx256m unless
# --heap is given) against fabric8's mock API server (CRUD mode, run inside the benchmark JVM) and
# a fresh database on the local PostgreSQL (127.0.0.1:5432). Measures N applied Job resources ->
# one batch Job each with status QUEUED written, then every batch Job marked Complete ->
# resources and store SUCCEEDED, and the operator's whole-process memory (VmHWM, VmRSS).
#   bench/operator.sh [resources [OperatorBenchmark options]]
#   e.g. bench/operator.sh 1000 --heap 128m --jvm-arg -XX:NativeMemoryTracking=summary
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RESOURCES=${1:-1000}
DB=${BENCH_DB:-jobplane_bench_operator}
WORK=$(mktemp -d)
LOG_COPY=${BENCH_OPERATOR_LOG:-bench/target/operator.log}
trap 'cp "$WORK/operator.log" "$LOG_COPY" 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
fresh_database "$DB"
machine_line
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jobplane.bench.OperatorBenchmark \
  --jar app/target/jobplane.jar --crd charts/jobplane/crds/jobs.jobplane.io-v1.yml \
  --jdbc-url "jdbc:postgresql://$PGHOST:$PGPORT/$DB" --database-user "$PGUSER" \
  --resources "$RESOURCES" --work-dir "$WORK" "${@:2}" \
  || { echo "operator log (tail):"; tail -50 "$WORK/operator.log"; exit 1; }
