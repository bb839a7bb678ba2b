#!/usr/bin/env bash
# Embedded default: time from `java -jar app/target/jobplane.jar serve` (no --database-url) to the
# first 200 from /readyz, on a first start (empty --data-dir: initdb, migrations, admin token) and
# on a restart (the same --data-dir). Clock starts before the JVM is launched; /readyz is polled
# every 20 ms.
#   bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PORT=${BENCH_PORT:-18070}
WORK=$(mktemp -d)
trap 'stop; rm -rf "$WORK"' EXIT

stop() { [ -z "${SERVER:-}" ] || { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=; }; }

# start_once DATA_DIR: prints milliseconds to the first ready answer, then stops the server
start_once() {
  local t0 now
  t0=$(date +%s%N)
  java -jar app/target/jobplane.jar serve --port "$PORT" --host 127.0.0.1 --data-dir "$1" \
    > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz"; do
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; return 1; }
    sleep 0.02
  done
  now=$(date +%s%N)
  echo $(((now - t0) / 1000000))
  stop
}

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl app -am
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
first=() restart=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/data"
  first+=("$(start_once "$WORK/data")")
  restart+=("$(start_once "$WORK/data")")
done
summary() { tr ' ' '\n' <<< "$*" | sort -n | awk '{a[NR]=$1} END {printf "%d | %d | %d", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo
echo "| embedded default, $RUNS runs | median ms | min ms | max ms | raw ms |"
echo "|---|---:|---:|---:|---|"
echo "| first start (empty data dir) to /readyz | $(summary "${first[@]}") | ${first[*]} |"
echo "| restart (same data dir) to /readyz | $(summary "${restart[@]}") | ${restart[*]} |"
