#!/usr/bin/env bash
# test/bench/run.sh: the schemasync benchmark (see docs/benchmarks.md).
#
# Usage: test/bench/run.sh [options]
#   --quick             N=100, 3 runs, no peers, no model and apply
#                       scenarios: the CI check (< 2 minutes)
#   --sizes LIST        table counts, comma-separated (default 100,1000,10000)
#   --runs K            runs of each schemasync scenario and of pg_dump (default 5)
#   --peer-runs K       runs of each peer scenario (default: min(runs, 3))
#   --no-peers          measure schemasync and pg_dump only
#   --light-above N     for sizes above N, measure only the schema diffs,
#                       pg_dump and the peers (no snapshot, model or apply
#                       scenarios: at 10,000 tables they take most of an hour)
#   --linear-pairs K    when 1,000 comes before 10,000 in --sizes: keep the
#                       1,000-table no-op database until the 10,000-table one
#                       is measured, then time K pairs of cold no-op diffs,
#                       one of each, alternated, for the 10k/1k ratio (the
#                       machine's speed moves between two sizes measured
#                       minutes apart; default 5, 0 for none)
#   --max-noop-ms MS    fail when a no-op diff's median (wall clock) is above
#                       MS (default 10000 with --quick, else no bound)
#   --max-noop-cpu-ms MS  fail when a no-op diff's median backend CPU time
#                       is above MS (default 1500 with --quick, else no
#                       bound): unlike wall clock, CPU time hardly moves with
#                       the machine's load, so this is the CI check
#   --warm-faults N     also check that a second diff in a session takes
#                       its memory back in huge pages: on a database of two
#                       N-table schemas, the no-op diff's minor page faults
#                       in the second call of a session over those of the
#                       first, median of the runs, must be at most
#                       --max-warm-fault-ratio R (default 0.6).  Default 1000
#                       with --quick, else not checked (0).  Skipped, with
#                       the reason, where Linux's transparent huge pages are
#                       off, the kernel is older than 6.1 (no MADV_COLLAPSE),
#                       /proc/self/stat cannot be read, or with --huge-pages
#                       (a first call then faults in its private memory only)
#   --server-running    use the server of the PG* environment (PGHOST, PGPORT,
#                       PGUSER, a superuser) instead of starting a throwaway one
#   --huge-pages        start the throwaway server with its shared memory in
#                       2 MB huge pages (huge_pages=on): reserves as many as
#                       it needs (vm.nr_hugepages, needs root or sudo) and
#                       gives them back on exit; not with --server-running
#   --seed S            generator seed (default 1)
#   --mutation-seed S   mutation seed (default 7)
#   --mutation-pct P    share of objects mutated, in % (default 1)
#   --tables-only       generate tables and their sub-objects only (no views,
#                       functions, enums, triggers; those are on by default)
#   --no-analyze        do not ANALYZE the catalogs after generating
#   --keep              keep the benchmark databases (with --server-running)
#   --out FILE          also write the report to FILE
#
# Exits non-zero when a no-op diff of two identical schemas returns rows, or
# when its median is above --max-noop-ms.  Any other failure of a scenario is
# reported in the tables, not fatal.  The report (markdown) is printed and
# written to test/bench/results/<UTC date>.md (rewritten after each size, so
# an interrupted run keeps what it measured).
#
# Environment: SSBENCH_TIMEOUT (s, default 1800) bounds one run of one
# scenario, of schemasync (its backend is then terminated) or of a peer;
# SSBENCH_LINEAR_SIZES ("1000 10000") the two sizes --linear-pairs compares.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$BENCH_DIR/../lib/pgserver.sh"

usage() {
    sed -n '3,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

quick=0
light_above=""
sizes=""
runs=""
peer_runs=""
peers=1
max_noop_ms=""
max_noop_cpu_ms=""
warm_faults=""
max_warm_fault_ratio=0.6
server_running=0
huge_pages=0
seed=1
mseed=7
pct=1
unmodeled=true
analyze=1
keep=0
out=""
linear_pairs=5
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --sizes) sizes=$2; shift ;;
        --sizes=*) sizes=${1#*=} ;;
        --runs) runs=$2; shift ;;
        --runs=*) runs=${1#*=} ;;
        --peer-runs) peer_runs=$2; shift ;;
        --peer-runs=*) peer_runs=${1#*=} ;;
        --no-peers) peers=0 ;;
        --light-above) light_above=$2; shift ;;
        --light-above=*) light_above=${1#*=} ;;
        --linear-pairs) linear_pairs=$2; shift ;;
        --linear-pairs=*) linear_pairs=${1#*=} ;;
        --max-noop-ms) max_noop_ms=$2; shift ;;
        --max-noop-ms=*) max_noop_ms=${1#*=} ;;
        --warm-faults) warm_faults=$2; shift ;;
        --warm-faults=*) warm_faults=${1#*=} ;;
        --max-warm-fault-ratio) max_warm_fault_ratio=$2; shift ;;
        --max-warm-fault-ratio=*) max_warm_fault_ratio=${1#*=} ;;
        --max-noop-cpu-ms) max_noop_cpu_ms=$2; shift ;;
        --max-noop-cpu-ms=*) max_noop_cpu_ms=${1#*=} ;;
        --server-running) server_running=1 ;;
        --huge-pages) huge_pages=1 ;;
        --seed) seed=$2; shift ;;
        --mutation-seed) mseed=$2; shift ;;
        --mutation-pct) pct=$2; shift ;;
        --with-unmodeled) unmodeled=true ;;   # the default; kept for old command lines
        --tables-only) unmodeled=false ;;
        --no-analyze) analyze=0 ;;
        --keep) keep=1 ;;
        --out) out=$2; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
if [ "$quick" = 1 ]; then
    sizes=${sizes:-100}
    MODEL_STATUS="left out of the quick run"
    runs=${runs:-3}
    peers=0
    max_noop_ms=${max_noop_ms:-10000}
    max_noop_cpu_ms=${max_noop_cpu_ms:-1500}
    warm_faults=${warm_faults:-1000}
fi
warm_faults=${warm_faults:-0}
sizes=${sizes:-100,1000,10000}
runs=${runs:-5}
peer_runs=${peer_runs:-$(( runs < 3 ? runs : 3 ))}
PEER_TIMEOUT=${SSBENCH_TIMEOUT:-${SSBENCH_PEER_TIMEOUT:-1800}}
SS_TIMEOUT=${SSBENCH_TIMEOUT:-1800}

# ---------------------------------------------------------------- server

# hp_reserve: with --huge-pages, have 112 free 2 MB pages for the
# throwaway server's shared memory (195 MB at its settings: shared_buffers
# 128 MB, and max_locks_per_transaction 1024 for the lock table), reserving
# what is missing (vm.nr_hugepages), and have the server refuse to start
# without them.  hp_release gives back what it reserved (after the server is
# stopped).
HP_BEFORE=""
HP_NEED=112
hp_reserve() {
    local free want
    if [ "$server_running" = 1 ]; then
        echo "run.sh: --huge-pages starts a throwaway server; the server of --server-running is used as it is configured" >&2
        exit 2
    fi
    if [ ! -w /proc/sys/vm/nr_hugepages ] && [ -z "$SS_SUDO" ]; then
        echo "run.sh: --huge-pages needs root or sudo to reserve huge pages" >&2
        exit 2
    fi
    HP_BEFORE=$(cat /proc/sys/vm/nr_hugepages)
    trap hp_release EXIT        # until the server's trap replaces it
    free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
    want=$((HP_BEFORE + (free < HP_NEED ? HP_NEED - free : 0)))
    echo "$want" | $SS_SUDO tee /proc/sys/vm/nr_hugepages >/dev/null
    free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
    if [ "$free" -lt "$HP_NEED" ]; then
        echo "run.sh: only $free huge pages of 2 MB are free, $HP_NEED are needed" >&2
        exit 2
    fi
    export SS_PG_OPTS="-c huge_pages=on"
    HP_INFO="2 MB huge pages (huge_pages=on; $((want - HP_BEFORE)) reserved by the run, given back on exit)"
}
hp_release() {
    [ -n "$HP_BEFORE" ] && echo "$HP_BEFORE" | $SS_SUDO tee /proc/sys/vm/nr_hugepages >/dev/null
    HP_BEFORE=""
    return 0
}
# called by ss_server_stop (test/lib/pgserver.sh) once the server is down,
# on every exit
ss_after_stop() {
    hp_release
}

HP_INFO=""
[ "$huge_pages" = 1 ] && hp_reserve

if [ "$server_running" = 1 ]; then
    if [ -z "${SS_BINDIR:-}" ]; then
        if [ -x "/usr/lib/postgresql/$SS_PG_MAJOR/bin/pg_config" ]; then
            SS_BINDIR=$("/usr/lib/postgresql/$SS_PG_MAJOR/bin/pg_config" --bindir)
            export PATH="$SS_BINDIR:$PATH"
        fi
    fi
    psql -X -q -At -c "SELECT 1" >/dev/null || { echo "run.sh: cannot connect with the PG* environment" >&2; exit 2; }
else
    ss_setup
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ssbench.XXXXXX")
chmod 755 "$WORK"
BENCH_DBS=""

bench_cleanup() {
    local db
    if [ "$keep" = 0 ] && [ -n "$BENCH_DBS" ]; then
        for db in $BENCH_DBS; do
            psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
        done
    fi
    rm -rf "$WORK"
}
if [ "$server_running" = 1 ]; then
    trap bench_cleanup EXIT
else
    trap 'bench_cleanup; ss_server_stop' EXIT
fi

sqlq() {
    psql -X -q -At -v ON_ERROR_STOP=1 "$@"
}

# sqlm ARGS...: sqlq for a measuring session, bounded by SS_TIMEOUT; on
# timeout its backend is terminated (a cancel may not stop every loop).
sqlm() {
    local rc=0
    PGAPPNAME=ssbench_measure timeout "$SS_TIMEOUT" psql -X -q -At -v ON_ERROR_STOP=1 "$@" || rc=$?
    if [ "$rc" = 124 ]; then
        sqlq -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                              WHERE application_name = 'ssbench_measure'" >/dev/null 2>&1 || true
        echo "no result within ${SS_TIMEOUT}s (SSBENCH_TIMEOUT); backend terminated" >&2
    fi
    return "$rc"
}

# the installed library, to tell when it changed during the run
so_sum() {
    local dir sum
    # the directory the server loads libraries from (a staged server's is
    # not the pg_config of the PATH's)
    dir=$(sqlq -d postgres -c "SELECT setting FROM pg_catalog.pg_config WHERE name = 'PKGLIBDIR'" 2>/dev/null ||
          pg_config --pkglibdir 2>/dev/null || true)
    sum=$(md5sum "$dir/schemasync.so" 2>/dev/null | cut -c1-12)
    echo "${sum:-?}"
}

now_ms() {
    echo $(( $(date +%s%N) / 1000000 ))
}

newdb() {                      # newdb NAME [TEMPLATE]
    sqlq -d postgres -c "DROP DATABASE IF EXISTS \"$1\"" 2>/dev/null
    if [ -n "${2:-}" ]; then
        sqlq -d postgres -c "CREATE DATABASE \"$1\" TEMPLATE \"$2\" STRATEGY file_copy"
    else
        sqlq -d postgres -c "CREATE DATABASE \"$1\" TEMPLATE template0"
    fi
    case " $BENCH_DBS " in *" $1 "*) ;; *) BENCH_DBS="$BENCH_DBS $1" ;; esac
}

dropdbs() {
    local db
    [ "$keep" = 1 ] && return 0
    for db in "$@"; do
        sqlq -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" 2>/dev/null || true
    done
}

ANALYZE_SQL="DO \$\$ DECLARE r regclass; BEGIN
  FOR r IN SELECT c.oid::regclass FROM pg_class c
            WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r' LOOP
    EXECUTE 'ANALYZE ' || r;
  END LOOP; END \$\$"

analyze_catalogs() {
    [ "$analyze" = 1 ] && sqlq -d "$1" -c "$ANALYZE_SQL"
    return 0
}

peer_url() {                   # a libpq URL of database $1 for the peers
    local user=${PGUSER:-$(id -un)} port=${PGPORT:-5432}
    case "${PGHOST:-}" in
        /*) echo "postgresql://$user@localhost:$port/$1?host=$PGHOST" ;;
        "") echo "postgresql://$user@localhost:$port/$1" ;;
        *) echo "postgresql://$user@$PGHOST:$port/$1" ;;
    esac
}

# ---------------------------------------------------------------- results

declare -A V        # "N|scenario|field" -> space-separated values
declare -A ROWS     # "N|scenario" -> row count
declare -A ERR      # "N|scenario" -> error text
declare -A INFO     # free facts
SCENARIOS="noop mutation createall snapshot model_noop model_mutation"

rec() {
    V[$1]="${V[$1]:-} $2"
}

oneline() {
    tr '\n\r|' '   ' | sed 's/  */ /g; s/^ //; s/ $//' | cut -c1-240
}

fail_rec() {                   # fail_rec KEY FILE
    ERR[$1]=$(oneline <"$2")
    [ -n "${ERR[$1]}" ] || ERR[$1]="failed"
    ss_log "$1: ${ERR[$1]}"
}

# stat VALUES -> "min median" (or "- -")
stat() {
    printf '%s\n' $1 | awk 'NF' | sort -g | awk '
        { a[NR] = $1 }
        END {
            if (NR == 0) { print "- -"; exit }
            m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
            print a[1], m
        }'
}

vmax() {
    printf '%s\n' $1 | awk 'NF' | sort -g | tail -1
}

median() { stat "$1" | cut -d' ' -f2; }
vmin() { stat "$1" | cut -d' ' -f1; }

fmt_ms() {
    awk -v x="$1" 'BEGIN {
        if (x == "" || x == "-") print "-";
        else if (x < 10) printf "%.2f\n", x;
        else if (x < 100) printf "%.1f\n", x;
        else printf "%.0f\n", x }'
}

fmt_mb() {                     # kB -> MB
    awk -v x="$1" 'BEGIN { if (x == "" || x == "-") print "-"; else printf "%.0f\n", x / 1024 }'
}

ratio() {                      # ratio A B [DECIMALS] -> A/B (2 decimals below 10, none above, unless given)
    awk -v a="$1" -v b="$2" -v d="${3:-}" 'BEGIN {
        if (a == "" || a == "-" || b == "" || b == "-" || b == 0) print "-";
        else if (d != "") printf "%." d "f\n", a / b;
        else if (a / b < 10) printf "%.2f\n", a / b; else printf "%.0f\n", a / b }'
}

# ---------------------------------------------------------------- measuring

# measure_ss N DB SCENARIO QUERY: RUNS fresh connections, each timing QUERY
# twice (cold, warm) inside the backend.
measure_ss() {
    local n=$1 db=$2 sc=$3 q=$4 i line cold warm rows hwm shm ctx cpu
    ss_log "N=$n $sc"
    for i in $(seq 1 "$runs"); do
        if ! line=$(sqlm -d "$db" -c "SELECT concat_ws(' ', r->>'cold_ms', r->>'warm_ms', r->>'rows',
                          coalesce(r->'mem1'->>'VmHWM', '-'), coalesce(r->'mem1'->>'RssShmem', '0'),
                          r->>'ctx1', coalesce(r->>'cold_cpu_ms', '-'))
                     FROM schemasync_bench.measure(\$ssq\$$q\$ssq\$) AS r" 2>"$WORK/err"); then
            fail_rec "$n|$sc" "$WORK/err"
            return 0
        fi
        read -r cold warm rows hwm shm ctx cpu <<<"$line"
        [ "$cpu" != "-" ] && rec "$n|$sc|cpu" "$cpu"
        rec "$n|$sc|cold" "$cold"
        rec "$n|$sc|warm" "$warm"
        ROWS[$n|$sc]=$rows
        if [ "$hwm" != "-" ]; then
            rec "$n|$sc|hwm" "$hwm"
            rec "$n|$sc|priv" "$((hwm - shm))"
        fi
        rec "$n|$sc|ctx" "$ctx"
    done
}

# measure_linear DBSMALL DBBIG: linear_pairs pairs of cold no-op diffs, one
# on each database, alternated, each in a new connection; their CPU times are
# kept under $lin_small|linear and $lin_big|linear.
measure_linear() {
    local i n db cpu
    ss_log "$lin_big/$lin_small: $linear_pairs pairs of cold no-op diffs, alternated"
    for i in $(seq 1 "$linear_pairs"); do
        for n in "$lin_small" "$lin_big"; do
            db=$1
            [ "$n" = "$lin_big" ] && db=$2
            if ! cpu=$(sqlm -d "$db" -c "SELECT coalesce(r->>'cold_cpu_ms', '-')
                     FROM schemasync_bench.measure(\$ssq\$SELECT * FROM schemasync.diff('a', 'b')\$ssq\$, false) AS r" 2>"$WORK/err"); then
                fail_rec "linear" "$WORK/err"
                return 0
            fi
            [ "$cpu" != "-" ] && rec "$n|linear|cpu" "$cpu"
        done
    done
}

# measure_apply N DB SCENARIO TARGET REFERENCE [MODEL]
#   with MODEL (a name in schemasync_bench.models), apply(model) to TARGET
measure_apply() {
    local n=$1 db=$2 sc=$3 i line apply ddl rows hwm shm model=NULL
    [ -n "${6:-}" ] && model="(SELECT model FROM schemasync_bench.models WHERE name = '$6')"
    ss_log "N=$n $sc"
    for i in $(seq 1 "$runs"); do
        if ! line=$(sqlm -d "$db" -c "SELECT concat_ws(' ', r->>'apply_ms', r->>'ddl_ms', r->>'rows',
                          coalesce(r->'mem1'->>'VmHWM', '-'), coalesce(r->'mem1'->>'RssShmem', '0'))
                     FROM schemasync_bench.measure_apply('$4', '$5',
                          '{\"allow_drops\": true}', 'both', $model) AS r" 2>"$WORK/err"); then
            fail_rec "$n|$sc" "$WORK/err"
            return 0
        fi
        read -r apply ddl rows hwm shm <<<"$line"
        rec "$n|$sc|apply" "$apply"
        rec "$n|$sc|ddl" "$ddl"
        # the same apply without the history row (and its two snapshots)
        if line=$(sqlm -d "$db" -c "SELECT r->>'apply_ms'
                     FROM schemasync_bench.measure_apply('$4', '$5',
                          '{\"allow_drops\": true, \"history\": false}', 'apply', $model) AS r" 2>"$WORK/err"); then
            rec "$n|$sc|apply_nohist" "$line"
        fi
        ROWS[$n|$sc]=$rows
        if [ "$hwm" != "-" ]; then
            rec "$n|$sc|hwm" "$hwm"
            rec "$n|$sc|priv" "$((hwm - shm))"
        fi
    done
}

# measure_cmd N KEY K OUTFILE CMD...: wall time of a command, K runs.
measure_cmd() {
    local n=$1 key=$2 k=$3 outf=$4 i t0 t1
    shift 4
    ss_log "N=$n $key"
    for i in $(seq 1 "$k"); do
        t0=$(now_ms)
        if ! "$@" >"$outf" 2>"$WORK/err"; then
            if [ ! -s "$WORK/err" ]; then
                echo "failed (non-zero exit status, or no result within ${PEER_TIMEOUT}s)" >"$WORK/err"
            fi
            tail -c 400 "$WORK/err" >"$WORK/err2"
            fail_rec "$n|$key" "$WORK/err2"
            return 0
        fi
        t1=$(now_ms)
        rec "$n|$key|wall" "$((t1 - t0))"
    done
    return 0
}

count_stmts() {                # statements in a SQL file: lines ending in ;
    grep -c ';[[:space:]]*$' "$1" 2>/dev/null || true
}

run_migra() {                  # run_migra FROM_DB TO_DB OUT
    timeout "$PEER_TIMEOUT" "$BENCH_DIR/node_modules/.bin/migra" run "$(peer_url "$1")" "$(peer_url "$2")" --unsafe
}

run_pgdump() {                 # run_pgdump DB
    timeout "$PEER_TIMEOUT" pg_dump --schema-only -d "$1" -f /dev/null
}

run_pgdelta() {                # run_pgdelta FROM_DB TO_DB -> SQL on stdout
    timeout "$PEER_TIMEOUT" "$BENCH_DIR/node_modules/.bin/pgdelta" plan --source "$(peer_url "$1")" \
        --desired "$(peer_url "$2")" --out "$WORK/plan.json" >"$WORK/pgdelta.log" 2>&1 || {
        tail -c 400 "$WORK/pgdelta.log" >&2
        return 1
    }
    rm -f "$WORK"/plan.sql "$WORK"/plan_*.sql
    # render exits 3 when the plan has no actions ("No changes"): not an error
    local rc=0 f i
    timeout "$PEER_TIMEOUT" "$BENCH_DIR/node_modules/.bin/pgdelta" render --plan "$WORK/plan.json" \
        --out "$WORK/plan.sql" --allow-drops >>"$WORK/pgdelta.log" 2>&1 || rc=$?
    if [ "$rc" != 0 ] && ! { [ "$rc" = 3 ] && grep -q "No changes" "$WORK/pgdelta.log"; }; then
        tail -c 400 "$WORK/pgdelta.log" >&2
        return 1
    fi
    # a plan whose statements need more than one transaction (ALTER TYPE ...
    # ADD VALUE before its use) is written as plan_1.sql, plan_2.sql, ...
    if [ -f "$WORK/plan.sql" ]; then
        cat "$WORK/plan.sql"
    else
        i=1
        while f="$WORK/plan_$i.sql"; [ -f "$f" ]; do
            cat "$f"
            i=$((i + 1))
        done
    fi
}

# ---------------------------------------------------------------- peers

declare -A PEER_STATUS     # tool -> "ok" or why not
declare -A PEER_VERSION
PEER_TOOLS="migra pg-delta"

install_peers() {
    local log="$WORK/npm.log" p
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        ss_log "installing nodejs and npm"
        $SS_SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 || true
        $SS_SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >>"$log" 2>&1 || true
    fi
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        for p in $PEER_TOOLS; do
            PEER_STATUS[$p]="not installed: node/npm could not be installed ($(tail -c 200 "$log" | oneline))"
        done
        return 0
    fi
    INFO[node]=$(node --version)
    ss_log "installing the peers with npm into test/bench/node_modules"
    npm install --prefix "$BENCH_DIR" --no-audit --no-fund --loglevel=error >"$log" 2>&1 || true
    if [ -x "$BENCH_DIR/node_modules/.bin/migra" ]; then
        PEER_STATUS[migra]=ok
        PEER_VERSION[migra]="@pgkit/migra $(node -p "require('$BENCH_DIR/node_modules/@pgkit/migra/package.json').version")"
    else
        PEER_STATUS[migra]="not installed: $(tail -c 300 "$log" | oneline)"
    fi
    if [ -x "$BENCH_DIR/node_modules/.bin/pgdelta" ]; then
        PEER_STATUS[pg-delta]=ok
        PEER_VERSION[pg-delta]="@supabase/pg-delta $(node -p "require('$BENCH_DIR/node_modules/@supabase/pg-delta/package.json').version")"
    else
        PEER_STATUS[pg-delta]="not installed: $(tail -c 300 "$log" | oneline)"
    fi
}

# ---------------------------------------------------------------- one size

MODEL_STATUS=${MODEL_STATUS:-}
LINEAR_SMALL_DB=""
# the alternated pairs: when the smaller size comes before the bigger one
read -r lin_small lin_big <<<"${SSBENCH_LINEAR_SIZES:-1000 10000}"
linear=0
if [ "$linear_pairs" -gt 0 ]; then
    for n in ${sizes//,/ }; do
        [ "$n" = "$lin_small" ] && [ "$linear" = 0 ] && linear=small
        [ "$n" = "$lin_big" ] && [ "$linear" = small ] && linear=1
    done
    [ "$linear" = 1 ] || linear=0
fi

bench_size() {
    local n=$1 p="ssbench_${1}_" t0 t1 base noop mut model light
    base="${p}base"; noop="${p}noop"; mut="${p}mut"; model="${p}model"

    ss_log "N=$n: generating the schemas"
    newdb "$base"
    sqlq -d "$base" -f "$BENCH_DIR/generate.sql"
    sqlq -d "$base" -f "$BENCH_DIR/harness.sql"
    sqlq -d "$base" -c "CREATE EXTENSION schemasync"
    t0=$(now_ms)
    sqlq -d "$base" -c "CALL schemasync_bench.generate('a', $n, $seed, $unmodeled)"
    t1=$(now_ms)
    INFO[$n|gen_ms]=$((t1 - t0))
    INFO[$n|objects]=$(sqlq -d "$base" -c "SELECT schemasync_bench.object_count('a')")

    newdb "$noop" "$base"
    sqlq -d "$noop" -c "CALL schemasync_bench.generate('b', $n, $seed, $unmodeled)"
    sqlq -d "$noop" -c "CREATE SCHEMA e"
    analyze_catalogs "$noop"

    newdb "$mut" "$base"
    sqlq -d "$mut" -c "CALL schemasync_bench.generate('m', $n, $seed, $unmodeled)"
    sqlq -d "$mut" -c "CALL schemasync_bench.mutate('m', $mseed, $pct)"
    INFO[$n|mutations]=$(sqlq -d "$mut" -c "SELECT count(*) FROM schemasync_bench.mutation_log WHERE kind <> 'skipped'")
    INFO[$n|mutation_kinds]=$(sqlq -d "$mut" -c "SELECT string_agg(kind || ' ' || c, ', ' ORDER BY c DESC, kind)
        FROM (SELECT kind, count(*) AS c FROM schemasync_bench.mutation_log GROUP BY kind) s")
    analyze_catalogs "$mut"

    # the engine's scenarios
    measure_ss "$n" "$noop" noop "SELECT * FROM schemasync.diff('a', 'b')"
    measure_ss "$n" "$mut" mutation "SELECT * FROM schemasync.diff('a', 'm')"
    measure_ss "$n" "$noop" createall "SELECT * FROM schemasync.diff('e', 'b')"

    # the model scenarios: detected once, measured when they work
    light=0
    mut_model=0
    if [ -n "$light_above" ] && [ "$n" -gt "$light_above" ]; then
        light=1
    elif [ -z "$MODEL_STATUS" ]; then
        MODEL_STATUS=$(sqlq -d "$noop" -c "SELECT schemasync_bench.model_support()" 2>&1 | oneline)
        ss_log "model scenarios: $MODEL_STATUS"
    fi
    if [ "$light" = 1 ]; then
        for sc in snapshot model_noop model_mutation; do
            ERR[$n|$sc]="left out (--light-above $light_above)"
        done
    elif [ "$MODEL_STATUS" = ok ]; then
        measure_ss "$n" "$noop" snapshot "SELECT schemasync.snapshot(ARRAY['a'])"
        INFO[$n|snapshot_bytes]=$(sqlq -d "$noop" -c "SELECT length(schemasync.snapshot(ARRAY['a'])::text)" 2>/dev/null || echo "-")
        if sqlq -d "$noop" -c "INSERT INTO schemasync_bench.models SELECT 'a', schemasync.snapshot(ARRAY['a'])" 2>"$WORK/err"; then
            measure_ss "$n" "$noop" model_noop \
                "SELECT * FROM schemasync.diff((SELECT model FROM schemasync_bench.models WHERE name = 'a'))"
        else
            fail_rec "$n|model_noop" "$WORK/err"
        fi
        newdb "$model" "$base"
        if sqlq -d "$model" -c "CALL schemasync_bench.mutate('a', $mseed, $pct)" 2>"$WORK/err" &&
           sqlq -d "$model" -c "COPY (SELECT 'mut', schemasync.snapshot(ARRAY['a'])) TO STDOUT" 2>"$WORK/err" |
               sqlq -d "$noop" -c "COPY schemasync_bench.models FROM STDIN" 2>>"$WORK/err"; then
            measure_ss "$n" "$noop" model_mutation \
                "SELECT * FROM schemasync.diff((SELECT model FROM schemasync_bench.models WHERE name = 'mut'))"
            mut_model=1
        else
            fail_rec "$n|model_mutation" "$WORK/err"
        fi
        dropdbs "$model"
    else
        for sc in snapshot model_noop model_mutation; do
            ERR[$n|$sc]="$MODEL_STATUS"
        done
    fi

    if [ "$quick" = 1 ]; then
        for sc in apply_mutation apply_createall apply_model_mutation; do
            ERR[$n|$sc]="left out of the quick run"
        done
    elif [ "$light" = 1 ]; then
        for sc in apply_mutation apply_createall apply_model_mutation; do
            ERR[$n|$sc]="left out (--light-above $light_above)"
        done
    else
        measure_apply "$n" "$mut" apply_mutation a m
        measure_apply "$n" "$noop" apply_createall e b
        if [ "$mut_model" = 1 ]; then
            measure_apply "$n" "$noop" apply_model_mutation a "" mut
        else
            ERR[$n|apply_model_mutation]="no model of the mutations (see diff(model))"
        fi
    fi

    # the floor: pg_dump --schema-only of the same database (schemas a, b)
    measure_cmd "$n" pg_dump "$runs" /dev/null run_pgdump "$noop"

    dropdbs "$mut"

    if [ "$peers" = 1 ]; then
        local pa="${p}pa" pb="${p}pb" pm="${p}pm" pe="${p}pe" db
        ss_log "N=$n: generating the peers' databases"
        newdb "$pa"
        sqlq -d "$pa" -f "$BENCH_DIR/generate.sql"
        sqlq -d "$pa" -c "CALL schemasync_bench.generate('public', $n, $seed, $unmodeled)"
        newdb "$pb" "$pa"
        newdb "$pm" "$pa"
        sqlq -d "$pm" -c "CALL schemasync_bench.mutate('public', $mseed, $pct)"
        newdb "$pe"
        for db in "$pa" "$pb" "$pm"; do
            sqlq -d "$db" -c "SET client_min_messages = warning; DROP SCHEMA schemasync_bench CASCADE"
            analyze_catalogs "$db"
        done
        measure_cmd "$n" pg_dump_one "$runs" /dev/null run_pgdump "$pa"
        if [ "${PEER_STATUS[migra]}" = ok ]; then
            measure_cmd "$n" migra_noop "$peer_runs" "$WORK/out" run_migra "$pa" "$pb"
            ROWS[$n|migra_noop]=$(count_stmts "$WORK/out")
            measure_cmd "$n" migra_mutation "$peer_runs" "$WORK/out" run_migra "$pa" "$pm"
            ROWS[$n|migra_mutation]=$(count_stmts "$WORK/out")
            measure_cmd "$n" migra_createall "$peer_runs" "$WORK/out" run_migra "$pe" "$pb"
            ROWS[$n|migra_createall]=$(count_stmts "$WORK/out")
        fi
        if [ "${PEER_STATUS[pg-delta]}" = ok ]; then
            measure_cmd "$n" pg-delta_noop "$peer_runs" "$WORK/out" run_pgdelta "$pa" "$pb"
            ROWS[$n|pg-delta_noop]=$(count_stmts "$WORK/out")
            measure_cmd "$n" pg-delta_mutation "$peer_runs" "$WORK/out" run_pgdelta "$pa" "$pm"
            ROWS[$n|pg-delta_mutation]=$(count_stmts "$WORK/out")
            measure_cmd "$n" pg-delta_createall "$peer_runs" "$WORK/out" run_pgdelta "$pe" "$pb"
            ROWS[$n|pg-delta_createall]=$(count_stmts "$WORK/out")
        fi
        dropdbs "$pa" "$pb" "$pm" "$pe"
    fi
    if [ "$n" = "$lin_small" ] && [ "$linear" = 1 ] && [ -z "${ERR[$n|noop]:-}" ]; then
        # the no-op database waits for the bigger one (measure_linear)
        LINEAR_SMALL_DB=$noop
        dropdbs "$base"
        return 0
    fi
    if [ "$n" = "$lin_big" ] && [ -n "$LINEAR_SMALL_DB" ]; then
        [ -z "${ERR[$n|noop]:-}" ] && measure_linear "$LINEAR_SMALL_DB" "$noop"
        dropdbs "$LINEAR_SMALL_DB"
    fi
    dropdbs "$noop" "$base"
}

# check_warm_faults N: the --warm-faults check (see the usage); sets status
# to 1 when it fails.
check_warm_faults() {
    local n=$1 db="ssbench_${1}_faults" thp kernel i line cold=() warm=() mc mw
    thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo "")
    kernel=$(uname -r)
    if [ -z "$thp" ] || [[ "$thp" == *"[never]"* ]]; then
        echo "skipped: the page faults of a second diff: transparent huge pages are off here (${thp:-not available})" >&2
        return 0
    fi
    if ! awk -v v="${kernel%%-*}" 'BEGIN { split(v, a, "."); exit !(a[1] > 6 || (a[1] == 6 && a[2] >= 1)) }'; then
        echo "skipped: the page faults of a second diff: Linux $kernel has no MADV_COLLAPSE (6.1)" >&2
        return 0
    fi
    if [ -n "$HP_INFO" ]; then
        # the first call's faults are then those of its private memory alone
        echo "skipped: the page faults of a second diff: the server's shared memory is in huge pages (--huge-pages)" >&2
        return 0
    fi
    ss_log "N=$n: the page faults of a second no-op diff in a session"
    newdb "$db"
    sqlq -d "$db" -f "$BENCH_DIR/generate.sql"
    sqlq -d "$db" -f "$BENCH_DIR/harness.sql"
    sqlq -d "$db" -c "CREATE EXTENSION schemasync"
    sqlq -d "$db" -c "CALL schemasync_bench.generate('a', $n, $seed, $unmodeled)"
    sqlq -d "$db" -c "CALL schemasync_bench.generate('b', $n, $seed, $unmodeled)"
    analyze_catalogs "$db"
    for i in $(seq 1 "$runs"); do
        if ! line=$(sqlm -d "$db" -c "SELECT concat_ws(' ', coalesce(r->>'cold_faults', '-'), coalesce(r->>'warm_faults', '-'), r->>'rows')
                 FROM schemasync_bench.measure(\$ssq\$SELECT * FROM schemasync.diff('a', 'b')\$ssq\$) AS r" 2>"$WORK/err"); then
            echo "FAIL: N=$n: the no-op diff of the page-fault check failed: $(oneline <"$WORK/err")" >&2
            status=1
            dropdbs "$db"
            return 0
        fi
        read -r mc mw _ <<<"$line"
        if [ "$mc" = "-" ]; then
            echo "skipped: the page faults of a second diff: /proc/self/stat cannot be read" >&2
            dropdbs "$db"
            return 0
        fi
        cold+=("$mc")
        warm+=("$mw")
    done
    dropdbs "$db"
    mc=$(median "${cold[*]}")
    mw=$(median "${warm[*]}")
    if awk -v w="$mw" -v c="$mc" -v r="$max_warm_fault_ratio" 'BEGIN { exit !(w > r * c) }'; then
        echo "FAIL: N=$n: a second no-op diff in a session took $mw minor page faults, more than $max_warm_fault_ratio of the first's $mc (runs: first ${cold[*]}, second ${warm[*]})" >&2
        status=1
    else
        echo "ok: N=$n: a second no-op diff in a session took $mw minor page faults, the first $mc (bound: $max_warm_fault_ratio of the first)" >&2
    fi
}

# ---------------------------------------------------------------- report

scenario_title() {
    case "$1" in
        noop) echo "no-op diff (identical schemas)" ;;
        mutation) echo "diff of ${pct}% mutations" ;;
        createall) echo "create-all diff (empty target)" ;;
        snapshot) echo "snapshot()" ;;
        model_noop) echo "diff(model), no-op" ;;
        model_mutation) echo "diff(model), ${pct}% mutations" ;;
        apply_mutation) echo "apply of the mutations" ;;
        apply_createall) echo "apply of create-all" ;;
        apply_model_mutation) echo "apply(model) of the mutations" ;;
    esac
}

peer_median() {                # peer_median N TOOL SCENARIO
    local v=${V[$1|$2_$3|wall]:-}
    [ -n "$v" ] && median "$v" || echo "-"
}

write_report() {
    local n sc mn md wm hwm priv dump mig pgd r tool peer_sc v k status
    local noop_1k noop_10k hwm_10k
    echo "# schemasync benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)"
    local pages=$HP_INFO
    [ -n "$pages" ] || pages="pages of the default size (huge_pages=$(sqlq -d postgres -c 'SHOW huge_pages'), none reserved by the run)"
    echo "- PostgreSQL $(sqlq -d postgres -c 'SHOW server_version'), shared_buffers $(sqlq -d postgres -c 'SHOW shared_buffers') in $pages; pg_dump $(pg_dump --version | sed "s/^pg_dump (PostgreSQL) //")"
    local so_end
    so_end=$(so_sum)
    echo "- schemasync $(sqlq -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'schemasync'") (git ${INFO[git]}), library md5 ${INFO[so]}"
    if [ "$so_end" != "${INFO[so]}" ]; then
        echo "- **warning: the installed schemasync.so changed during the run (md5 ${INFO[so]} at the start, $so_end now): some numbers may come from another build**"
    fi
    if [ "$peers" = 1 ]; then
        for tool in $PEER_TOOLS; do
            if [ "${PEER_STATUS[$tool]}" = ok ]; then
                echo "- peer $tool: ${PEER_VERSION[$tool]} (node ${INFO[node]:-?})"
            else
                echo "- peer $tool: ${PEER_STATUS[$tool]}"
            fi
        done
    else
        echo "- peers: not measured (--no-peers or --quick)"
    fi
    echo "- runs: $runs per schemasync scenario and pg_dump, $peer_runs per peer scenario; generator seed $seed, mutation seed $mseed, ${pct}% mutated; views, functions, enums, triggers: $([ "$unmodeled" = true ] && echo on || echo off); catalogs analyzed after generating: $([ "$analyze" = 1 ] && echo yes || echo no)"
    for n in ${sizes//,/ }; do
        echo "- N=$n: ${INFO[$n|objects]:-?} objects per schema (tables, columns, indexes, sequences, constraints); ${INFO[$n|mutations]:-?} mutations (${INFO[$n|mutation_kinds]:-}); generating one schema took $(fmt_ms "${INFO[$n|gen_ms]:-}") ms${INFO[$n|snapshot_bytes]:+; snapshot ${INFO[$n|snapshot_bytes]} bytes}"
    done
    echo
    echo "## schemasync"
    echo
    echo "Server-side times in ms (clock_timestamp() in the backend), each run in a new connection: *cold* is the first call of the connection, *warm* a second call in it. *CPU* is the backend's CPU time (user + system, from /proc/self/stat, 10 ms resolution) of the cold call: on a loaded machine it stays close to what the wall clock would show on an idle one. Memory: the backend's peak RSS (VmHWM) and that minus the shared memory it touched (RssShmem), in MB. The ratios are the other tool's median over schemasync's cold median (above 1: schemasync is faster)."
    echo
    echo "| N | scenario | rows | min | median | warm median | CPU median | VmHWM MB | private MB | pg_dump ÷ | migra ÷ | pg-delta ÷ |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in ${sizes//,/ }; do
        dump=$(median "${V[$n|pg_dump|wall]:-}")
        for sc in $SCENARIOS; do
            if [ -n "${ERR[$n|$sc]:-}" ]; then
                echo "| $n | $(scenario_title "$sc") | ${ERR[$n|$sc]} | | | | | | | | | |"
                continue
            fi
            [ -n "${V[$n|$sc|cold]:-}" ] || continue
            read -r mn md <<<"$(stat "${V[$n|$sc|cold]}")"
            wm=$(median "${V[$n|$sc|warm]:-}")
            hwm=$(vmax "${V[$n|$sc|hwm]:-}")
            priv=$(vmax "${V[$n|$sc|priv]:-}")
            peer_sc=$sc
            case "$sc" in model_noop) peer_sc=noop ;; model_mutation) peer_sc=mutation ;; snapshot) peer_sc=none ;; esac
            mig=$(peer_median "$n" migra "$peer_sc")
            pgd=$(peer_median "$n" pg-delta "$peer_sc")
            echo "| $n | $(scenario_title "$sc") | ${ROWS[$n|$sc]:-} | $(fmt_ms "$mn") | $(fmt_ms "$md") | $(fmt_ms "$wm") | $(fmt_ms "$(median "${V[$n|$sc|cpu]:-}")") | $(fmt_mb "$hwm") | $(fmt_mb "$priv") | $(ratio "$dump" "$md") | $(ratio "$mig" "$md") | $(ratio "$pgd" "$md") |"
        done
    done
    echo
    echo "## apply"
    echo
    echo "\`CALL schemasync.apply(target, reference, '{\"allow_drops\": true}')\` in a new connection, rolled back; then the same statements alone (EXECUTE of each row's ddl, search_path set to the target), rolled back; then the apply again with \`\"history\": false\`. apply(model) of the mutations is \`CALL schemasync.apply(model, '{\"allow_drops\": true}')\` of the diff(model) scenario's model (a snapshot of the mutated schema) on the no-op database's schema a, measured the same way. The overhead is apply minus the statements alone: the diff before and the verifying diff after, and with history (the default) a snapshot of the target before and after and their fingerprints for the \`schemasync.history\` row. Medians in ms."
    echo
    echo "| N | apply of | rows | apply min | apply median | statements alone | overhead | overhead ÷ cold diff | no history: apply median | no history: overhead | VmHWM MB | private MB |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in ${sizes//,/ }; do
        for sc in apply_mutation apply_createall apply_model_mutation; do
            if [ -n "${ERR[$n|$sc]:-}" ]; then
                echo "| $n | $(scenario_title "$sc") | ${ERR[$n|$sc]} | | | | | | | | | |"
                continue
            fi
            [ -n "${V[$n|$sc|apply]:-}" ] || continue
            read -r mn md <<<"$(stat "${V[$n|$sc|apply]}")"
            local dd ov base_sc nh nhov
            dd=$(median "${V[$n|$sc|ddl]}")
            ov=$(awk -v a="$md" -v b="$dd" 'BEGIN { printf "%.1f", a - b }')
            nh=$(median "${V[$n|$sc|apply_nohist]:-}")
            nhov=""
            [ "$nh" != "-" ] && nhov=$(awk -v a="$nh" -v b="$dd" 'BEGIN { printf "%.1f", a - b }')
            base_sc=${sc#apply_}
            echo "| $n | $(scenario_title "$sc") | ${ROWS[$n|$sc]:-} | $(fmt_ms "$mn") | $(fmt_ms "$md") | $(fmt_ms "$dd") | $(fmt_ms "$ov") | $(ratio "$ov" "$(median "${V[$n|$base_sc|cold]:-}")") | $(fmt_ms "$nh") | $(fmt_ms "$nhov") | $(fmt_mb "$(vmax "${V[$n|$sc|hwm]:-}")") | $(fmt_mb "$(vmax "${V[$n|$sc|priv]:-}")") |"
        done
    done
    echo
    echo "## the floor and the peers"
    echo
    echo "Wall-clock times in ms of the command (process start included), each run against a server already warm. pg_dump --schema-only runs on the database of the no-op diff (schemas a and b, 2N tables), and on one of the peers' databases (N tables). The peers compare two databases holding the same generated schema in public; rows counts the statements they print."
    echo
    echo "| N | tool | scenario | rows | min | median |"
    echo "|---:|---|---|---:|---:|---:|"
    for n in ${sizes//,/ }; do
        for k in pg_dump pg_dump_one; do
            if [ -n "${ERR[$n|$k]:-}" ]; then
                echo "| $n | pg_dump | --schema-only | ${ERR[$n|$k]} | | |"
            elif [ -n "${V[$n|$k|wall]:-}" ]; then
                read -r mn md <<<"$(stat "${V[$n|$k|wall]}")"
                echo "| $n | pg_dump | --schema-only, $([ $k = pg_dump ] && echo "2N tables (a, b)" || echo "N tables (public)") | | $(fmt_ms "$mn") | $(fmt_ms "$md") |"
            fi
        done
        if [ "$peers" = 1 ]; then
            for tool in $PEER_TOOLS; do
                if [ "${PEER_STATUS[$tool]}" != ok ]; then
                    echo "| $n | $tool | all | ${PEER_STATUS[$tool]} | | |"
                    continue
                fi
                for sc in noop mutation createall; do
                    k="${tool}_$sc"
                    if [ -n "${ERR[$n|$k]:-}" ]; then
                        echo "| $n | $tool | $(scenario_title "$sc") | ${ERR[$n|$k]} | | |"
                    elif [ -n "${V[$n|$k|wall]:-}" ]; then
                        read -r mn md <<<"$(stat "${V[$n|$k|wall]}")"
                        echo "| $n | $tool | $(scenario_title "$sc") | ${ROWS[$n|$k]:-} | $(fmt_ms "$mn") | $(fmt_ms "$md") |"
                    fi
                done
            done
        fi
    done
    echo
    echo "## targets (docs/benchmarks.md)"
    echo
    echo "| target | measured | verdict |"
    echo "|---|---|---|"
    verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
        if (a == "" || a == "-") { print "not measured"; exit }
        ok = (op == "<") ? (a + 0 < b + 0) : (a + 0 <= b + 0); print ok ? "met" : "missed" }'; }
    noop_1k=$(median "${V[1000|noop|cold]:-}")
    noop_10k=$(median "${V[10000|noop|cold]:-}")
    echo "| no-op diff, 1,000 tables < 100 ms | $(fmt_ms "$noop_1k") ms | $(verdict "$noop_1k" "<" 100) |"
    echo "| no-op diff, 10,000 tables < 1 s | $(fmt_ms "$noop_10k") ms | $(verdict "$noop_10k" "<" 1000) |"
    r=$(ratio "$noop_10k" "$noop_1k" 1)
    echo "| 10k / 1k no-op ratio ≤ 11 | $r | $(verdict "$r" "<=" 11) |"
    if [ -n "${V[$lin_small|linear|cpu]:-}" ] && [ -n "${V[$lin_big|linear|cpu]:-}" ]; then
        r=$(ratio "$(median "${V[$lin_big|linear|cpu]}")" "$(median "${V[$lin_small|linear|cpu]}")" 1)
        echo "| $lin_big / $lin_small tables no-op ratio ≤ 11, alternated ($linear_pairs pairs, CPU medians $(fmt_ms "$(median "${V[$lin_big|linear|cpu]}")") / $(fmt_ms "$(median "${V[$lin_small|linear|cpu]}")") ms) | $r | $(verdict "$r" "<=" 11) |"
    elif [ -n "${ERR[linear]:-}" ]; then
        echo "| $lin_big / $lin_small tables no-op ratio ≤ 11, alternated | ${ERR[linear]} | not measured |"
    fi
    for n in ${sizes//,/ }; do
        # every scenario a peer has too; the model's against the peers' same changes
        for sc in noop mutation createall model_noop model_mutation; do
            md=$(median "${V[$n|$sc|cold]:-}")
            [ "$md" = "-" ] && continue
            case "$sc" in model_noop) peer_sc=noop ;; model_mutation) peer_sc=mutation ;; *) peer_sc=$sc ;; esac
            local best="-" bt=""
            for tool in $PEER_TOOLS; do
                v=$(peer_median "$n" "$tool" "$peer_sc")
                if [ "$v" != "-" ] && { [ "$best" = "-" ] || awk -v a="$v" -v b="$best" 'BEGIN { exit !(a < b) }'; }; then
                    best=$v; bt=$tool
                fi
            done
            if [ "$best" != "-" ]; then
                r=$(ratio "$best" "$md")
                echo "| N=$n $(scenario_title "$sc"): ≥ 10× faster than the fastest peer | ${r}× ($bt) | $(verdict 10 "<=" "$r") |"
            fi
            dump=$(median "${V[$n|pg_dump|wall]:-}")
            if [ "$dump" != "-" ] && [ "$md" != "-" ]; then
                echo "| N=$n $(scenario_title "$sc"): not slower than pg_dump --schema-only | $(fmt_ms "$md") vs $(fmt_ms "$dump") ms | $(verdict "$md" "<=" "$dump") |"
            fi
        done
    done
    hwm_10k=$(vmax "${V[10000|noop|priv]:-} ${V[10000|mutation|priv]:-} ${V[10000|createall|priv]:-}")
    echo "| backend memory of a 10k diff < 500 MB (private peak) | $(fmt_mb "$hwm_10k") MB | $(verdict "$(fmt_mb "$hwm_10k")" "<" 500) |"
}

# ---------------------------------------------------------------- main

INFO[start]=$(now_ms)
INFO[so]=$(so_sum)
INFO[git]="$(git -C "$SS_REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$SS_REPO" status --porcelain -- src sql 2>/dev/null)" ] && echo ', with uncommitted changes in src/ or sql/' || true)"
mkdir -p "$BENCH_DIR/results"
report="$BENCH_DIR/results/$(date -u +%Y-%m-%dT%H%M%SZ).md"

save_report() {
    write_report >"$WORK/report.md"
    echo "" >>"$WORK/report.md"
    echo "Total benchmark time: $(( ($(now_ms) - ${INFO[start]}) / 1000 )) s${1:+ ($1)}." >>"$WORK/report.md"
    cp "$WORK/report.md" "$report"
    if [ -n "$out" ]; then cp "$WORK/report.md" "$out"; fi
}

if [ "$peers" = 1 ]; then
    install_peers
fi
done_sizes=""
for n in ${sizes//,/ }; do
    bench_size "$n"
    done_sizes="$done_sizes $n"
    [ "$done_sizes" = " ${sizes//,/ }" ] || save_report "sizes done so far:$done_sizes"
done
save_report
cat "$WORK/report.md"
ss_log "report written to $report"

# ---------------------------------------------------------------- checks

status=0
[ "$warm_faults" -gt 0 ] && check_warm_faults "$warm_faults"
for n in ${sizes//,/ }; do
    if [ -n "${ERR[$n|noop]:-}" ]; then
        echo "FAIL: N=$n: the no-op diff failed: ${ERR[$n|noop]}" >&2
        status=1
        continue
    fi
    if [ "${ROWS[$n|noop]:-0}" != 0 ]; then
        echo "FAIL: N=$n: the no-op diff of two identical schemas returned ${ROWS[$n|noop]} rows" >&2
        status=1
    fi
    if [ -n "$max_noop_ms" ]; then
        md=$(median "${V[$n|noop|cold]:-}")
        if awk -v a="$md" -v b="$max_noop_ms" 'BEGIN { exit !(a > b) }'; then
            echo "FAIL: N=$n: the no-op diff's median is $md ms, above the bound of $max_noop_ms ms" >&2
            status=1
        else
            echo "ok: N=$n: no-op diff median $(fmt_ms "$md") ms (bound $max_noop_ms ms), 0 rows" >&2
        fi
    fi
    if [ -n "$max_noop_cpu_ms" ]; then
        md=$(median "${V[$n|noop|cpu]:-}")
        if [ "$md" = "-" ]; then
            echo "warning: N=$n: the backend's CPU time could not be read (/proc/self/stat); CPU bound not checked" >&2
        elif awk -v a="$md" -v b="$max_noop_cpu_ms" 'BEGIN { exit !(a > b) }'; then
            echo "FAIL: N=$n: the no-op diff's median CPU time is $md ms, above the bound of $max_noop_cpu_ms ms" >&2
            status=1
        else
            echo "ok: N=$n: no-op diff median CPU time $(fmt_ms "$md") ms (bound $max_noop_cpu_ms ms)" >&2
        fi
    fi
done
exit $status
