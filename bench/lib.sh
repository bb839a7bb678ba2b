# Shared by the bench/*.sh scripts: the local PostgreSQL, a Jobplane server, wrk and pgbench.

# The load generators come from Debian packages; a fresh machine gets them on first use.
for tool in wrk:wrk pgbench:postgresql-client; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    echo "installing ${tool#*:} (for ${tool%%:*})" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y -q "${tool#*:}" >/dev/null;
    else sudo apt-get install -y -q "${tool#*:}" >/dev/null; fi
  fi
done
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGBENCH=$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)
# loopback load generators and a shared machine: long enough to average out a neighbour's burst
BENCH_SECONDS=${BENCH_SECONDS:-20}

psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres "$@"; }

fresh_database() {
  psql_admin -c "DROP DATABASE IF EXISTS $1" >/dev/null
  psql_admin -c "CREATE DATABASE $1" >/dev/null
}

ensure_database() {
  psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 \
    || psql_admin -c "CREATE DATABASE $1" >/dev/null
}

# ensure_pgbench_reference DB: pgbench's own tables (scale 10) for `pgbench -S`, made once
ensure_pgbench_reference() {
  if ! psql_admin -d "$1" -tAc "SELECT 1 FROM pgbench_accounts LIMIT 1" 2>/dev/null | grep -q 1; then
    ensure_database "$1"
    "$PGBENCH" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -i -q -s 10 "$1" >/dev/null 2>&1
  fi
}

# insert_reference_table DB: the table bench/wrk/insert-row.sql inserts into (the submit reference)
insert_reference_table() {
  psql_admin -d "$1" -qc \
    "CREATE TABLE IF NOT EXISTS submit_reference (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
}

machine_line() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), PostgreSQL $(psql_admin -tAc 'SHOW server_version'), synchronous_commit $(psql_admin -tAc 'SHOW synchronous_commit'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# cpu_ticks PID: user + system CPU time of a process so far, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_server WORKDIR PORT JDBC_URL [more serve options]: sets SERVER (the pid); log in WORKDIR
start_server() {
  local work=$1 port=$2 jdbc=$3
  shift 3
  java -Xmx512m -jar app/target/jobplane.jar serve --port "$port" --host 127.0.0.1 \
    --data-dir "$work" --database-url "$jdbc" --database-user "$PGUSER" "$@" \
    > "$work/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.5
  done
  cat "$work/server.log"
  return 1
}

stop_server() {
  [ -z "${SERVER:-}" ] || { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
}

# pgbench_tps ARGS...: the TPS pgbench reports, without initial connection time
pgbench_tps() {
  "$PGBENCH" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$@" 2>&1 \
    | tee -a "${PGBENCH_LOG:-/dev/null}" \
    | awk '/^tps = /{print $3}'
}

# run_wrk OUT ARGS...: runs wrk into OUT; fails when any answer was not 2xx
run_wrk() {
  local out=$1
  shift
  wrk "$@" > "$out"
  if grep -q "Non-2xx" "$out"; then
    cat "$out" >&2
    return 1
  fi
}

wrk_rps() { awk '/^Requests\/sec:/{print $2}' "$1"; }

# wrk_latency OUT: "p50 X, p99 Y" from a run with --latency
wrk_latency() {
  awk '/^ +50%/{p50=$2} /^ +99%/{p99=$2} END {print "p50 " p50 ", p99 " p99}' "$1"
}

# ratio_line NAME JOBPLANE REFERENCE TARGET: a table row with the ratio and whether it meets
# TARGET (a minimum ratio, or - where the issue sets none)
ratio_line() {
  awk -v n="$1" -v a="$2" -v b="$3" -v t="$4" 'BEGIN {
    r = a / b
    v = t == "-" ? "no target" : (r >= t ? "met (≥ " t ")" : "missed (target ≥ " t ")")
    printf "| %s | %.0f | %.0f | %.2f | %s |\n", n, a, b, r, v
  }'
}

# c2_backlog PID: methods waiting for the JVM's optimizing compiler. On this 2-core machine its
# one C2 thread needed about 2 minutes of load to catch up (docs/benchmarks.md, issue 10), and a
# server measured before that costs several times the CPU per request it costs warm.
c2_backlog() { jcmd "$1" Compiler.queue 2>/dev/null | awk '/^C2 compile queue:/{q=1; next} q && /^ *[0-9]+ /{n++} END {print n + 0}'; }

# warm_wrk PID SECONDS MAX OUT WRK_ARGS...: repeats the wrk load in windows of SECONDS until at
# most 3 methods wait for C2, or MAX seconds have passed; sets WARMED to the seconds it took
warm_wrk() {
  local pid=$1 window=$2 max=$3 out=$4 backlog
  shift 4
  WARMED=0
  while :; do
    run_wrk "$out" -d"${window}s" "$@"
    WARMED=$((WARMED + window))
    backlog=$(c2_backlog "$pid")
    [ "$backlog" -le 3 ] && return 0
    if [ "$WARMED" -ge "$max" ]; then
      echo "warning: C2 queue still holds $backlog methods after ${WARMED}s of warm-up" >&2
      return 0
    fi
  done
}
