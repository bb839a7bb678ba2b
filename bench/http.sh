#!/usr/bin/env bash
# Issue 10's serving-path benchmark: the product's Jetty container against Grizzly (bench module
# only), same composition root and settings, on a store seeded with 1,000,000 jobs in the local
# PostgreSQL (127.0.0.1:5432, trust auth). For each container:
#  - GET /api/v1/jobs/{id} with wrk (32 connections) against `pgbench -S -M prepared` (32 clients)
#    on pgbench's own tables, run right after it, as a ratio (target ≥ 0.15, aim 0.35; p99 ≤ 20 ms),
#    and the server's CPU time per request (user + system, from /proc), which a neighbour's load
#    disturbs far less than the throughput;
#  - 1,000 idle live streams (SSE) on a fresh server: growth of its threads (< +50) and RSS
#    (< +200 MiB).
# GET runs go in the order jetty, grizzly, grizzly, jetty (BENCH_ROUNDS such blocks) so that a
# load that drifts during the run favours neither container. Results go to stdout.
#   bench/http.sh [jobs]    e.g. bench/http.sh 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_SECONDS=${BENCH_SECONDS:-15}
. bench/lib.sh
JOBS=${1:-1000000}
DB=${BENCH_DB:-jobplane_bench_http}
REFERENCE_DB=${BENCH_PGBENCH_DB:-jobplane_bench_pgbench}
PORT=${BENCH_PORT:-18090}
ROUNDS=${BENCH_ROUNDS:-1} # blocks of four GET runs: jetty, grizzly, grizzly, jetty
# warm-up: at least WARMUP seconds of the same load, then more until the JIT has caught up (see
# warm_until_compiled), at most MAX_WARMUP seconds
WARMUP=${BENCH_WARMUP:-15}
MAX_WARMUP=${BENCH_MAX_WARMUP:-300}
STREAMS=${BENCH_STREAMS:-1000}
CLIENTS=32
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app,bench -am
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
ensure_database "$DB"
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"

# start_with CONTAINER DIR [ServeWith options]: the server with that container; sets SERVER
start_with() {
  local container=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  java -Xmx512m -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
    -cp "$CP" io.jobplane.bench.ServeWith --container "$container" --port "$PORT" \
    --data-dir "$dir" --database-url "$JDBC" --database-user "$PGUSER" "$@" \
    > "$dir/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && return 0
    sleep 0.5
  done
  cat "$dir/server.log"
  return 1
}

# wrk_ms OUT PERCENT: a latency percentile of a --latency run, in milliseconds
wrk_ms() {
  awk -v p="$2%" '$1 == p {
    v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v) }
    else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
    printf "%.2f", v
  }' "$1"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# warm_until_compiled DIR URL: the GET load until the JIT has caught up (warm_wrk in lib.sh), so
# that the measured run is the steady state; sets WARMED
warm_until_compiled() {
  warm_wrk "$SERVER" "$WARMUP" "$MAX_WARMUP" "$1/warm.txt" -t2 -c"$CLIENTS" \
    -s bench/wrk/get-job.lua "$2"
}

TICK=$(getconf CLK_TCK)

# the schema comes from the server's migrations; the seeder tops the store up to $JOBS
start_with jetty "$WORK/seed"
java -cp "$CP" io.jobplane.bench.Seeder "$JDBC?user=$PGUSER" "$JOBS"
stop_server
SERVER=
psql_admin -d "$DB" -tAc \
  "COPY (SELECT id FROM jobs TABLESAMPLE SYSTEM (1) LIMIT 10000) TO STDOUT" > "$WORK/ids.txt"

# pgbench's own tables at scale 10 hold 1,000,000 accounts: the same order of rows as the jobs
ensure_pgbench_reference "$REFERENCE_DB"

machine_line
echo "main at: $(git log -1 --format='%h %s' main 2>/dev/null | cut -c1-100)"
echo "this tree: $(git log -1 --format='%h %s' | cut -c1-100)"

ORDER=()
for _ in $(seq 1 "$ROUNDS"); do ORDER+=(jetty grizzly grizzly jetty); done

ROWS=()
run=0
export JOBPLANE_IDS="$WORK/ids.txt" JOBPLANE_TOKEN
URL="http://127.0.0.1:$PORT"
for container in "${ORDER[@]}"; do
  run=$((run + 1))
  dir="$WORK/get-$run-$container"
  start_with "$container" "$dir"
  JOBPLANE_TOKEN=$(cat "$dir/admin.token")
  before=$(load)
  warm_until_compiled "$dir" "$URL"
  ticks=$(cpu_ticks "$SERVER")
  run_wrk "$dir/get.txt" -t2 -c"$CLIENTS" -d"${BENCH_SECONDS}s" --latency \
    -s bench/wrk/get-job.lua "$URL"
  ticks=$(($(cpu_ticks "$SERVER") - ticks))
  requests=$(awk '/requests in/{print $1}' "$dir/get.txt")
  rss=$(awk '/VmRSS/{printf "%.0f", $2 / 1024}' "/proc/$SERVER/status")
  threads=$(awk '/Threads/{print $2}' "/proc/$SERVER/status")
  stop_server
  SERVER=
  "$PGBENCH" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -n -S -M prepared -c"$CLIENTS" -j2 -T5 \
    "$REFERENCE_DB" >/dev/null 2>&1
  tps=$(pgbench_tps -n -S -M prepared -c"$CLIENTS" -j2 -T"$BENCH_SECONDS" "$REFERENCE_DB")
  rps=$(wrk_rps "$dir/get.txt")
  p50=$(wrk_ms "$dir/get.txt" 50)
  p99=$(wrk_ms "$dir/get.txt" 99)
  ROWS+=("$(awk -v n="$run" -v c="$container" -v a="$rps" -v b="$tps" -v p50="$p50" \
    -v p99="$p99" -v l="$before" -v rss="$rss" -v th="$threads" -v ticks="$ticks" -v w="$WARMED" \
    -v tick="$TICK" -v req="$requests" 'BEGIN {
      r = a / b
      t = r >= 0.35 ? "met, above the aim 0.35" : (r >= 0.15 ? "met (≥ 0.15)" : "missed (≥ 0.15)")
      printf "| %d | %s | %d s | %.0f | %s | %s | %.2f | %.0f | %.3f | %s; p99 %s | %s | %s MiB, %s threads |\n",
        n, c, w, a, p50, p99, ticks * 1000 / tick / req, b, r, t, (p99 <= 20 ? "met" : "missed"), l,
        rss, th
    }')")
  echo "$container $rps $tps $ticks $requests $p50 $p99" >> "$WORK/results"
  echo "run $run ($container) done: $rps req/s, pgbench $tps TPS" >&2
done

echo
echo "| run | container | warm-up | GET by id req/s | p50 ms | p99 ms | server CPU ms per request | \`pgbench -S -M prepared\` TPS | ratio | targets: ratio ≥ 0.15 (aim 0.35), p99 ≤ 20 ms | load average before | server after the run |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "| container | runs | mean req/s | mean ratio | server CPU ms per request (all runs) | median of the runs' p50 / worst p99, ms |"
echo "|---|---:|---:|---:|---:|---|"
for container in jetty grizzly; do
  # sorted by p50 for the median
  sort -k6,6g "$WORK/results" | awk -v c="$container" -v tick="$TICK" '$1 == c {
      n++; rps += $2; ratio += $2 / $3; ticks += $4; req += $5; p50[n] = $6
      if ($7 > p99) p99 = $7
    } END {
      m = n % 2 ? p50[(n + 1) / 2] : (p50[n / 2] + p50[n / 2 + 1]) / 2
      printf "| %s | %d | %.0f | %.3f | %.2f | %.2f / %.2f |\n", c, n, rps / n, ratio / n,
        ticks * 1000 / tick / req, m, p99
    }'
done

echo
echo "Idle live streams, a fresh server each, streams held 20 s (past one 15 s heartbeat):"
echo
echo "| container | streams open after 20 s | time to open them | threads before → after (growth) | RSS before → after (growth) | targets: threads < +50, RSS < +200 MiB |"
echo "|---|---:|---:|---|---|---|"
for container in jetty grizzly; do
  dir="$WORK/streams-$container"
  start_with "$container" "$dir" --max-streams-per-token $((STREAMS * 2))
  # a few requests first, so that "before" is a server that has served, not one just started
  JOBPLANE_TOKEN=$(cat "$dir/admin.token")
  run_wrk "$dir/warm.txt" -t1 -c4 -d3s -s bench/wrk/get-job.lua "$URL"
  sleep 2
  # resuming after the newest event: a stream without Last-Event-ID replays the whole timeline
  newest=$(psql_admin -d "$DB" -tAc "SELECT coalesce(max(id), 0) FROM job_events")
  java -cp "$CP" io.jobplane.bench.IdleStreamsBenchmark --port "$PORT" \
    --token-file "$dir/admin.token" --server-pid "$SERVER" --streams "$STREAMS" \
    --last-event-id "$newest" \
    --label "$container (load average $(load))" || true
  stop_server
  SERVER=
done
