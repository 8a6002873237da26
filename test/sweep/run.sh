#!/usr/bin/env bash
# test/sweep/run.sh: the core invariant over many generated schemas and
# random mutations, through both paths and in both directions.
#
# For each seed, in a database of its own: the benchmark's generator
# (test/bench/generate.sql) makes three copies of the same schema of N
# tables (with views, functions, enums, sequences and triggers), "a", "o"
# and "m", and its mutator changes PCT% of the objects of "m" in ways
# chosen by the seed.  Then four applies, each followed by a comparison of
# the two schemas' catalog fingerprints (test/lib/fingerprint.sql, which
# reads pg_catalog without schemasync):
#   1. schema path, forward:  apply('a', 'm')              a must equal m
#   2. model path, back:      apply(snapshot(o) as "a")    a must equal o
#   3. model path, forward:   apply(snapshot(m) as "a")    a must equal m
#   4. schema path, back:     apply('a', 'o')              a must equal o
# Every apply also proves itself (its re-diff must be empty, or it fails);
# the fingerprints check that what it proved is what the catalog holds.
# A failing apply, a fingerprint difference, or a setup that fails (the
# generator or the mutator) fails the run; the differing fingerprint lines
# are shown.  The mutator logs as skipped a change that names what an
# earlier one of the same seed took away; the summary counts them.
#
# Usage: test/sweep/run.sh [--server-running] [--seeds FIRST-LAST] [--tables N] [--pct P]
#   --server-running  use the server of the PG* variables (as test/run-tests.sh
#                     does) instead of starting a throwaway one
# Defaults: seeds 1-20, 12 tables, 20% of the objects mutated.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

server_running=false
first=1
last=20
tables=12
pct=20
while [ $# -gt 0 ]; do
    case "$1" in
        --server-running) server_running=true ;;
        --seeds) first=${2%-*}; last=${2#*-}; shift ;;
        --tables) tables=$2; shift ;;
        --pct) pct=$2; shift ;;
        *) echo "usage: $0 [--server-running] [--seeds FIRST-LAST] [--tables N] [--pct P]" >&2; exit 2 ;;
    esac
    shift
done

if ! $server_running; then
    . "$repo/test/lib/pgserver.sh"
    ss_setup
fi

# the generator and the fingerprint, read by the server's OS user
lib="$(mktemp -d)"
trap 'rm -rf "$lib"' EXIT
cp "$repo/test/bench/generate.sql" "$repo/test/lib/fingerprint.sql" "$lib/"
chmod -R a+rX "$lib"

psql_db() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$@"
}

# compare LABEL EXPECTED: in the seed's database, the fingerprints of a and
# EXPECTED must be equal; prints the lines that differ
compare() {
    local step=$1 other=$2 out
    out=$(psql_db "$db" -c "SELECT * FROM ss_test.fingerprint_diff('a', '$other')")
    if [ -n "$out" ]; then
        echo "seed $seed, $step: the catalogs of a and $other differ (-: only in a, +: only in $other):"
        echo "$out" | head -40
        return 1
    fi
}

# model_apply SCHEMA: the SQL that applies a snapshot of SCHEMA to "a"
# (a DO block: CALL takes no subquery)
model_apply() {
    cat <<SQL
DO \$\$
DECLARE
    model jsonb := schemasync.snapshot(ARRAY['$1']);
BEGIN
    CALL schemasync.apply(model, '{"schema_map": {"$1": "a"}, "allow_drops": true}');
END
\$\$;
SQL
}

# step LABEL EXPECTED SQL: runs SQL in the seed's database; then the
# fingerprints of a and EXPECTED must be equal
step() {
    local out
    if ! out=$(psql_db "$db" -c "$3" 2>&1); then
        echo "seed $seed, $1: $out"
        return 1
    fi
    compare "$1" "$2"
}

passed=0
failed=0
total_rows=0
total_made=0
total_skipped=0
start=$(date +%s)
for seed in $(seq "$first" "$last"); do
    db="ss_sweep_$seed"
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
    createdb "$db"
    if ! setup=$(psql_db "$db" 2>&1 <<SQL
SET client_min_messages = warning;
\i $lib/generate.sql
\i $lib/fingerprint.sql
CREATE EXTENSION schemasync;
CALL schemasync_bench.generate('a', $tables, $seed, true);
CALL schemasync_bench.generate('o', $tables, $seed, true);
CALL schemasync_bench.generate('m', $tables, $seed, true);
CALL schemasync_bench.mutate('m', $seed, $pct);
SQL
    ); then
        echo "seed $seed: setting up failed:"
        echo "$setup" | head -20
        failed=$((failed + 1))
        continue
    fi
    rows=$(psql_db "$db" -c "SELECT count(*) FROM schemasync.diff('a', 'm', '{\"allow_drops\": true}')")
    total_rows=$((total_rows + rows))
    read -r made skipped < <(psql_db "$db" -F ' ' -c "SELECT count(*) FILTER (WHERE kind <> 'skipped'),
        count(*) FILTER (WHERE kind = 'skipped') FROM schemasync_bench.mutation_log")
    total_made=$((total_made + made))
    total_skipped=$((total_skipped + skipped))
    ok=true
    step "1 schema path, a -> m" m \
        "CALL schemasync.apply('a', 'm', '{\"allow_drops\": true}')" || ok=false
    $ok && { step "2 model path, a -> snapshot of o" o "$(model_apply o)" || ok=false; }
    $ok && { step "3 model path, a -> snapshot of m" m "$(model_apply m)" || ok=false; }
    $ok && { step "4 schema path, a -> o" o \
        "CALL schemasync.apply('a', 'o', '{\"allow_drops\": true}')" || ok=false; }
    if $ok; then
        passed=$((passed + 1))
        dropdb "$db"
    else
        failed=$((failed + 1))
        $server_running && echo "seed $seed: database $db kept for inspection"
    fi
done
echo "sweep: seeds $first-$last, $tables tables, ${pct}% mutated ($total_made mutations made, $total_skipped skipped; $total_rows diff rows forward in all): $passed passed, $failed failed in $(( $(date +%s) - start )) s"
[ "$failed" -eq 0 ]
