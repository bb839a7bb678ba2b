#!/usr/bin/env bash
# Issue 14's target: the dashboard's jobs list renders its first page in under 1 s with 100,000
# jobs. A server on the local PostgreSQL (127.0.0.1:5432; the embedded default runs the same
# PostgreSQL and queries), its store topped up to JOBS jobs by the seeder, restarted so that the
# first browser's first navigation is the JVM's first list request; then DashboardBenchmark drives
# Debian's headless Chromium (installed on first use) and prints the first-page times.
#   bench/dashboard.sh [jobs] [browsers] [navigations]    e.g. bench/dashboard.sh 100000 3 5
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
JOBS=${1:-100000}
BROWSERS=${2:-3}
NAVIGATIONS=${3:-5}
DB=${BENCH_DB:-jobplane_bench_dashboard}
PORT=${BENCH_PORT:-18095}
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "installing chromium and chromium-driver" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q chromium chromium-driver >/dev/null;
  else sudo apt-get install -y -q chromium chromium-driver >/dev/null; fi
fi
[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
fresh_database "$DB"
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"

# the schema comes from the server's migrations; then the seeder fills the store
start_server "$WORK" "$PORT" "$JDBC"
stop_server
java -cp "$CP" io.jobplane.bench.Seeder "$JDBC?user=$PGUSER" "$JOBS"
psql_admin -d "$DB" -c "ANALYZE" >/dev/null

machine_line
start_server "$WORK" "$PORT" "$JDBC"
java -cp "$CP" io.jobplane.bench.DashboardBenchmark "http://127.0.0.1:$PORT" \
  "$(cat "$WORK/admin.token")" "$BROWSERS" "$NAVIGATIONS"
