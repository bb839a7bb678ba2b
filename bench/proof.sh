#!/usr/bin/env bash
# Issue 6's benchmarks in one run (never part of `mvn -B verify`): each figure is measured with its
# reference in the same run. Needs the local PostgreSQL (127.0.0.1:5432, trust auth, user
# postgres), wrk, pgbench and curl. The output (Markdown) goes to stdout and to
# bench/target/proof-<time>.md; copy it into docs/benchmarks.md.
#   bench/proof.sh [jobs]    jobs in the store for the read benchmarks, default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl psql; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk curl postgresql-client)"; exit 1; }
done
[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
mkdir -p bench/target
OUT=bench/target/proof-$(date +%Y%m%d-%H%M%S).md
export SKIP_BUILD=1
{
  echo "## Reads at ${1:-1000000} jobs"; bench/core.sh "${1:-1000000}"; echo
  echo "## Writes and workers"; bench/workers.sh; echo
  echo "## Operator"; bench/operator.sh 1000; echo
  echo "## Embedded start"; bench/startup.sh; echo
} | tee "$OUT"
echo "written to $OUT"
