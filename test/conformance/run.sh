#!/usr/bin/env bash
# test/conformance/run.sh: run the pgschema corpus through schemasync.
#
# For each case of ../shared/corpus/pgschema/cases/<category>/<case>/ and
# each direction (fwd: make old equal to new; rev: make new equal to old),
# loads old.sql into schema s_old and new.sql into schema s_new of a fresh
# database, skips the case when a side does not load on this server or uses
# object kinds schemasync does not model yet (unsupported.sql), else runs
# schemasync.apply, checks that a re-diff is empty and that the catalog
# fingerprints (test/lib/fingerprint.sql) of both schemas are equal.
#
# Usage: test/conformance/run.sh [--server-running] [--corpus DIR]
#            [--filter REGEX] [--direction fwd|rev|both] [--path schema|model]
#            [--verbose]
#
# --path model runs each case through the JSONB model instead: the
# reference's fingerprint is taken, its snapshot written to a file, the
# reference schema dropped (nothing but the model carries the desired state),
# and the model applied to the target with schema_map; the same checks follow.
#
# Prints a FAIL line per failing case, a table per category and the line
# "N passed, M failed, K skipped"; writes results/results.tsv.  Exits
# non-zero on a failure not listed in known-failures.tsv, or when a full run
# passes fewer cases than min-passed.  See README.md beside this file.
set -euo pipefail

CONF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONF_FINGERPRINT="$CONF_DIR/../lib/fingerprint.sql"
# shellcheck source=SCRIPTDIR/../lib/pgserver.sh
. "$CONF_DIR/../lib/pgserver.sh"

CONF_CORPUS="$SS_REPO/../shared/corpus/pgschema"
CONF_SERVER_RUNNING=0
CONF_FILTER=""
CONF_DIRECTIONS="fwd rev"
CONF_VERBOSE=0
CONF_USER=testuser
# privileges and owners are compared in every case (see README.md)
CONF_OPTIONS='{"allow_drops": true, "privileges": true, "owners": true}'
CONF_PATH=schema
# the roles the corpus creates (its README); dropped after every database
CONF_ROLES=(admin_role admin_user api_role api_user app_role app_user appname_apiuser
    column_reader demouser manager_role old_role owner_role reader readonly_role
    readonly_user test_admin)
CONF_RESULTS="$CONF_DIR/results"
CONF_DB="ss_conformance_$$"
CONF_WORK=""
CONF_REASON=""
CONF_CHANGES_ONLY=0
CONF_DETAIL=""

# conf_usage: print the usage and exit with the given status.
conf_usage() {
    sed -n 's/^# \{0,1\}//; /^Usage:/,/^$/p' "$0" | sed '$d'
    exit "${1:-0}"
}

# conf_parse_args ARGS...: set the CONF_* settings from the command line.
conf_parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --server-running) CONF_SERVER_RUNNING=1 ;;
            --path)
                [ $# -ge 2 ] || conf_usage 2
                case "$2" in
                    schema | model) CONF_PATH=$2 ;;
                    *) conf_usage 2 ;;
                esac
                shift ;;
            --corpus) [ $# -ge 2 ] || conf_usage 2; CONF_CORPUS=$2; shift ;;
            --filter) [ $# -ge 2 ] || conf_usage 2; CONF_FILTER=$2; shift ;;
            --direction)
                [ $# -ge 2 ] || conf_usage 2
                case "$2" in
                    fwd | rev) CONF_DIRECTIONS=$2 ;;
                    both) CONF_DIRECTIONS="fwd rev" ;;
                    *) conf_usage 2 ;;
                esac
                shift
                ;;
            --verbose) CONF_VERBOSE=1 ;;
            -h | --help) conf_usage 0 ;;
            *) echo "unknown argument: $1" >&2; conf_usage 2 ;;
        esac
        shift
    done
    if [ ! -d "$CONF_CORPUS/cases" ]; then
        echo "no corpus at $CONF_CORPUS (use --corpus DIR)" >&2
        exit 2
    fi
    CONF_CORPUS=$(cd "$CONF_CORPUS" && pwd)
}

# conf_vlog MESSAGE: print a line in --verbose mode only.
conf_vlog() {
    if [ "$CONF_VERBOSE" -eq 1 ]; then
        printf '%s\n' "$*"
    fi
    return 0
}

# conf_map_schema SCHEMA <IN >OUT: the one place that moves a corpus file
# from schema public to SCHEMA.  Rewrites, case-insensitively:
#   - the qualifier "public." / "\"public\"." when it starts a name (so
#     "public.public.id" becomes "SCHEMA.public.id": the table "public"
#     keeps its name);
#   - "SCHEMA public" (ALTER DEFAULT PRIVILEGES IN SCHEMA public, ...);
#   - the word public in a search_path setting (SET search_path = ...,
#     set_config('search_path', ...)), up to the end of the statement or line.
# Everything else stays as written: the role PUBLIC ("TO PUBLIC"), a table
# named public, and the files are run with search_path SCHEMA,public so
# that bare names land in SCHEMA and setup.sql's objects in public resolve.
conf_map_schema() {
    SS_SCHEMA="$1" perl -pe '
        BEGIN { $s = $ENV{SS_SCHEMA} }
        s{(search_path\b[^;\n]*)}{
            my $x = $1;
            $x =~ s/(?<![\w."])(?:"public"|public)(?![\w"])/$s/gi;
            $x
        }gie;
        s/\b(SCHEMA\s+)(?:"public"|public)(?![\w".])/$1$s/gi;
        s/(?<![\w."])(?:"public"|public)\./$s./gi;
    '
}

# conf_psql DB SEARCH_PATH PSQL_ARGS...: psql as the corpus superuser on DB,
# stopping at the first error, with the given search_path ("" = default).
conf_psql() {
    local db=$1 path=$2
    shift 2
    PGOPTIONS="-c client_min_messages=warning${path:+ -c search_path=$path}" \
        psql -X -q -v ON_ERROR_STOP=1 -U "$CONF_USER" -d "$db" "$@"
}

# conf_first_error FILE: the first error line of a psql log (else its first
# line), without the path of the work directory.
conf_first_error() {
    local line
    line=$(grep -m1 -E '(ERROR|FATAL|PANIC):' "$1" || true)
    [ -n "$line" ] || line=$(grep -m1 -v '^[[:space:]]*$' "$1" || true)
    [ -n "$line" ] || line="(no output)"
    line=${line//"psql:$CONF_WORK/"/}
    printf '%s\n' "$line" | tr '\t' ' ' | sed 's/  */ /g'
}

# conf_ensure_user: create the superuser role testuser that the corpus
# expects, when missing, connected as the server's own PGUSER.
conf_ensure_user() {
    local su
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$CONF_USER') THEN
            CREATE ROLE $CONF_USER SUPERUSER LOGIN;
        END IF; END \$\$;" >/dev/null
    su=$(psql -X -At -U "$CONF_USER" -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if [ "$su" != t ]; then
        echo "role $CONF_USER exists but is not a superuser" >&2
        exit 2
    fi
}

# conf_drop_db: drop the case database, then the corpus roles.
conf_drop_db() {
    local roles
    roles=$(IFS=,; echo "${CONF_ROLES[*]}")
    if ! psql -X -q -v ON_ERROR_STOP=1 -U "$CONF_USER" -d postgres \
        -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $CONF_DB WITH (FORCE)" \
        -c "DROP ROLE IF EXISTS $roles" >"$CONF_WORK/drop.log" 2>&1; then
        echo "warning: cleanup failed: $(conf_first_error "$CONF_WORK/drop.log")" >&2
    fi
}

# conf_load CASE_DIR: a fresh database with setup.sql, old.sql in s_old and
# new.sql in s_new.  Returns 0 when loaded, 2 when a side does not load on
# this server (CONF_REASON says why), 1 on a harness error.
conf_load() {
    local dir=$1 side schema
    conf_drop_db
    if ! createdb -U "$CONF_USER" -T template0 "$CONF_DB" 2>"$CONF_WORK/err.log"; then
        CONF_REASON="harness: createdb: $(conf_first_error "$CONF_WORK/err.log")"
        return 1
    fi
    if ! conf_psql "$CONF_DB" "" -c "CREATE EXTENSION schemasync" \
        -c "CREATE SCHEMA s_old" -c "CREATE SCHEMA s_new" \
        -f "$CONF_FINGERPRINT" >"$CONF_WORK/err.log" 2>&1; then
        CONF_REASON="harness: $(conf_first_error "$CONF_WORK/err.log")"
        return 1
    fi
    if [ -f "$dir/setup.sql" ]; then
        cp "$dir/setup.sql" "$CONF_WORK/setup.sql"
        if ! conf_psql "$CONF_DB" "" -f "$CONF_WORK/setup.sql" >"$CONF_WORK/err.log" 2>&1; then
            CONF_REASON="does not load: $(conf_first_error "$CONF_WORK/err.log")"
            return 2
        fi
    fi
    for side in old new; do
        schema="s_$side"
        conf_map_schema "$schema" <"$dir/$side.sql" >"$CONF_WORK/$side.sql"
        if ! conf_psql "$CONF_DB" "$schema,public" -f "$CONF_WORK/$side.sql" \
            >"$CONF_WORK/err.log" 2>&1; then
            CONF_REASON="does not load: $(conf_first_error "$CONF_WORK/err.log")"
            return 2
        fi
    done
    return 0
}

# conf_unsupported: the unmodeled kinds in s_old and s_new, comma-separated
# (empty when none); also reports, as "harness: ...", objects that leaked
# into schema public although the mapping should have moved them.
conf_unsupported() {
    local out
    if ! out=$(conf_psql "$CONF_DB" "" -At -v schemas=s_old,s_new \
        -f "$CONF_DIR/unsupported.sql" \
        -c "SELECT 'harness: ' || count(*) || ' object(s) of the case in schema public'
            FROM (SELECT c.oid, 'pg_class'::regclass AS cls FROM pg_class c
                  WHERE c.relnamespace = 'public'::regnamespace
                  UNION ALL SELECT p.oid, 'pg_proc'::regclass FROM pg_proc p
                  WHERE p.pronamespace = 'public'::regnamespace
                  UNION ALL SELECT t.oid, 'pg_type'::regclass FROM pg_type t
                  WHERE t.typnamespace = 'public'::regnamespace
                    AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
                    AND t.typrelid = 0) o
            WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.cls
                              AND d.objid = o.oid AND d.deptype = 'e')
            HAVING count(*) > 0" 2>"$CONF_WORK/err.log"); then
        echo "harness: unsupported.sql: $(conf_first_error "$CONF_WORK/err.log")"
        return 0
    fi
    printf '%s\n' "$out" | paste -sd, - | sed 's/,/, /g'
}

# conf_fingerprint SCHEMA OUT: the catalog fingerprint of SCHEMA into OUT.
conf_fingerprint() {
    conf_psql "$CONF_DB" "" -At \
        -c "SELECT * FROM ss_test.fingerprint('$1')" >"$2" 2>"$CONF_WORK/err.log"
}

# conf_check TARGET REFERENCE LOG: apply, re-diff, compare fingerprints.
# Returns 0 on success; else 1 with CONF_REASON (first error) and
# CONF_DETAIL (fingerprint difference lines), details written to LOG.
conf_check() {
    local target=$1 reference=$2 log=$3 n
    local args="'$target', '$reference', '$CONF_OPTIONS'"
    CONF_REASON=""
    CONF_DETAIL=""
    if [ "$CONF_PATH" = model ]; then
        conf_check_model "$target" "$reference" "$log"
        return $?
    fi
    if ! n=$(conf_psql "$CONF_DB" "" -At -c "CALL schemasync.apply($args)" \
        -c "SELECT count(*) FROM schemasync.diff($args)" 2>"$CONF_WORK/err.log"); then
        CONF_REASON="apply: $(conf_first_error "$CONF_WORK/err.log")"
        {
            echo "== apply failed"
            cat "$CONF_WORK/err.log"
        } >"$log"
    elif [ "$n" != 0 ]; then
        CONF_REASON="re-diff after apply: $n statement(s) left"
        echo "== re-diff after apply is not empty" >"$log"
    else
        if ! conf_fingerprint "$target" "$CONF_WORK/fp.target" ||
            ! conf_fingerprint "$reference" "$CONF_WORK/fp.reference"; then
            CONF_REASON="harness: fingerprint: $(conf_first_error "$CONF_WORK/err.log")"
            return 1
        fi
        if diff "$CONF_WORK/fp.target" "$CONF_WORK/fp.reference" >"$CONF_WORK/fp.diff"; then
            return 0
        fi
        CONF_DETAIL=$(grep '^[<>]' "$CONF_WORK/fp.diff" | sed "s/^</$target:/; s/^>/$reference:/" | head -n 10)
        CONF_REASON="fingerprint differs ($(grep -c '^[<>]' "$CONF_WORK/fp.diff") line(s), first 10 below)"
        {
            echo "== fingerprints differ after apply ($target vs $reference)"
            cat "$CONF_WORK/fp.diff"
        } >"$log"
    fi
    # what the engine plans now (after a failed apply: the whole plan)
    {
        echo "== schemasync.diff($args)"
        conf_psql "$CONF_DB" "" -c "SELECT ordinal, kind, action, ddl FROM schemasync.diff($args)" 2>&1 || true
    } >>"$log"
    return 1
}

# conf_check_model TARGET REFERENCE LOG: the model path of conf_check: the
# reference's fingerprint, its snapshot into a file, the reference dropped,
# the model applied to the target (schema_map), re-diff, fingerprints.
conf_check_model() {
    local target=$1 reference=$2 log=$3 n model="$CONF_WORK/model.json"
    local opts="{\"allow_drops\": true, \"privileges\": true, \"owners\": true, \"schema_map\": {\"$reference\": \"$target\"}}"
    if ! conf_fingerprint "$reference" "$CONF_WORK/fp.reference"; then
        CONF_REASON="harness: fingerprint: $(conf_first_error "$CONF_WORK/err.log")"
        return 1
    fi
    if ! conf_psql "$CONF_DB" "" -At -c "SELECT schemasync.snapshot(ARRAY['$reference'], '{\"privileges\": true, \"owners\": true}')" \
        >"$model" 2>"$CONF_WORK/err.log"; then
        CONF_REASON="snapshot: $(conf_first_error "$CONF_WORK/err.log")"
        cp "$CONF_WORK/err.log" "$log"
        return 1
    fi
    if ! conf_psql "$CONF_DB" "" -At -c "SELECT schemasync.snapshot(ARRAY['$reference'])" \
        >"$CONF_WORK/plain.json" 2>"$CONF_WORK/err.log"; then
        CONF_REASON="snapshot: $(conf_first_error "$CONF_WORK/err.log")"
        cp "$CONF_WORK/err.log" "$log"
        return 1
    fi
    if ! conf_psql "$CONF_DB" "" -q -c "DROP SCHEMA $reference CASCADE" 2>"$CONF_WORK/err.log"; then
        CONF_REASON="harness: drop reference: $(conf_first_error "$CONF_WORK/err.log")"
        return 1
    fi
    conf_materialize_agree "$target" "$reference" "$CONF_WORK/plain.json" "$log" || return 1
    # psql interpolates variables in scripts, not in -c commands
    if ! n=$(conf_psql "$CONF_DB" "" -At -v model="$(cat "$model")" -v opts="$opts" \
        2>"$CONF_WORK/err.log" <<'SQL'
CALL schemasync.apply(:'model'::jsonb, :'opts'::jsonb);
SELECT count(*) FROM schemasync.diff(:'model'::jsonb, :'opts'::jsonb);
SQL
    ); then
        CONF_REASON="apply(model): $(conf_first_error "$CONF_WORK/err.log")"
        {
            echo "== apply(model) failed"
            cat "$CONF_WORK/err.log"
            echo "== model"
            cat "$model"
        } >"$log"
        return 1
    fi
    if [ "$n" != 0 ]; then
        CONF_REASON="re-diff after apply(model): $n statement(s) left"
        echo "== re-diff after apply(model) is not empty" >"$log"
        return 1
    fi
    if ! conf_fingerprint "$target" "$CONF_WORK/fp.target"; then
        CONF_REASON="harness: fingerprint: $(conf_first_error "$CONF_WORK/err.log")"
        return 1
    fi
    if diff "$CONF_WORK/fp.target" "$CONF_WORK/fp.reference" >"$CONF_WORK/fp.diff"; then
        return 0
    fi
    CONF_DETAIL=$(grep '^[<>]' "$CONF_WORK/fp.diff" | sed "s/^</$target:/; s/^>/$reference:/" | head -n 10)
    CONF_REASON="fingerprint differs ($(grep -c '^[<>]' "$CONF_WORK/fp.diff") line(s), first 10 below)"
    {
        echo "== fingerprints differ after apply(model) ($target vs $reference)"
        cat "$CONF_WORK/fp.diff"
    } >"$log"
    return 1
}

# conf_materialize_agree TARGET REFERENCE MODEL LOG: the diff of a model
# (without privileges and owners) computed by materializing only what differs
# from the target ("materialize": "changes", the default) must be the very
# rows, errors included, of the diff that materializes all of it.  Counts the
# cases where the changes were materialized alone (CONF_CHANGES_ONLY).
conf_materialize_agree() {
    local target=$1 reference=$2 model=$3 log=$4 how
    for how in changes all; do
        PGOPTIONS="-c client_min_messages=debug1" \
            psql -X -q -v ON_ERROR_STOP=1 -U "$CONF_USER" -d "$CONF_DB" -At \
            -v model="$(cat "$model")" \
            -v opts="{\"allow_drops\": true, \"materialize\": \"$how\", \"schema_map\": {\"$reference\": \"$target\"}}" \
            >"$CONF_WORK/rows.$how" 2>"$CONF_WORK/err.$how" <<'SQL'
SELECT ordinal, kind, identity, action, ddl, destructive, hazards, lock,
       transactional, depends_on, reason
FROM schemasync.diff(:'model'::jsonb, :'opts'::jsonb);
SQL
        grep -E '^(ERROR|DETAIL|HINT):' "$CONF_WORK/err.$how" >>"$CONF_WORK/rows.$how" || true
    done
    if grep -q 'differ from a snapshot of the target' "$CONF_WORK/err.changes"; then
        CONF_CHANGES_ONLY=$((CONF_CHANGES_ONLY + 1))
    fi
    if ! diff "$CONF_WORK/rows.all" "$CONF_WORK/rows.changes" >"$CONF_WORK/rows.diff"; then
        CONF_REASON="diff(model) materializing the changes differs from materializing all ($(grep -c '^[<>]' "$CONF_WORK/rows.diff") line(s))"
        {
            echo "== diff(model): materialize all (<) vs changes (>)"
            cat "$CONF_WORK/rows.diff"
            echo "== model"
            cat "$model"
        } >"$log"
        return 1
    fi
    return 0
}

# conf_load_known: read known-failures.tsv into CONF_KNOWN["case<TAB>dir"].
conf_load_known() {
    local c d r
    declare -gA CONF_KNOWN=()
    [ -f "$CONF_DIR/known-failures.tsv" ] || return 0
    while IFS=$'\t' read -r c d r; do
        case "$c" in "" | "#"* | case) continue ;; esac
        if [ "$d" = both ]; then
            CONF_KNOWN["$c"$'\t'fwd]=$r
            CONF_KNOWN["$c"$'\t'rev]=$r
        else
            CONF_KNOWN["$c"$'\t'"$d"]=$r
        fi
    done <"$CONF_DIR/known-failures.tsv"
}

# conf_record CASE DIR STATUS SECONDS REASON: one result (pass, fail, skip);
# a listed failure becomes "known"; prints the FAIL lines.
conf_record() {
    local name=$1 dir=$2 status=$3 secs=$4 reason=$5 key="$1"$'\t'"$2"
    if [ "$status" = fail ] && [ -n "${CONF_KNOWN[$key]+x}" ]; then
        status=known
    fi
    case "$status" in
        fail) echo "FAIL $name [$dir]: $reason" ;;
        known) echo "FAIL $name [$dir]: $reason (known failure)" ;;
        pass) conf_vlog "PASS $name [$dir]" ;;
        skip) conf_vlog "SKIP $name [$dir]: $reason" ;;
    esac
    if [ "$status" = fail ] || [ "$status" = known ]; then
        if [ -n "$CONF_DETAIL" ]; then
            printf '%s\n' "$CONF_DETAIL" | sed 's/^/    /'
        fi
        conf_vlog "    log: $CONF_RESULTS/${name//\//__}.$dir.log"
    fi
    if [ "$status" != fail ] && [ "$status" != known ] && [ -n "${CONF_KNOWN[$key]+x}" ]; then
        CONF_NOTES+=("note: $name [$dir] is listed in known-failures.tsv but now is '$status': remove it")
    fi
    if [ -n "$CONF_DETAIL" ]; then
        reason="$reason: $(printf '%s\n' "$CONF_DETAIL" | awk 'NR > 1 { printf " | " } { printf "%s", $0 }')"
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$dir" "$status" "$secs" \
        "$(printf '%s' "$reason" | tr '\t\n' '  ')" >>"$CONF_RESULTS/results.tsv"
}

# conf_since T0: the seconds elapsed since T0 (an $EPOCHREALTIME value).
conf_since() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

# conf_record_all CASE STATUS REASON: the same result for every selected
# direction of a case (a case that is skipped, or fails before a direction).
conf_record_all() {
    local name=$1 status=$2 reason=$3 d
    for d in $CONF_DIRECTIONS; do
        if [ "$status" = fail ]; then
            echo "$reason" >"$CONF_RESULTS/${name//\//__}.$d.log"
        fi
        conf_record "$name" "$d" "$status" 0 "$reason"
    done
}

# conf_run_case CASE_DIR: both (or the chosen) directions of one case.  The
# case is loaded afresh for each direction; whether it loads and what kinds
# it uses is decided once, on the first load.
conf_run_case() {
    local dir=$1 name d rc t0 kinds first=1 log
    name="$(basename "$(dirname "$dir")")/$(basename "$dir")"
    for d in $CONF_DIRECTIONS; do
        t0=$EPOCHREALTIME
        CONF_DETAIL=""
        log="$CONF_RESULTS/${name//\//__}.$d.log"
        rc=0
        conf_load "$dir" || rc=$?
        if [ "$rc" -eq 2 ]; then
            conf_record_all "$name" skip "$CONF_REASON"
            return 0
        elif [ "$rc" -ne 0 ]; then
            echo "$CONF_REASON" >"$log"
            conf_record "$name" "$d" fail "$(conf_since "$t0")" "$CONF_REASON"
            continue
        fi
        if [ "$first" -eq 1 ]; then
            first=0
            kinds=$(conf_unsupported)
            case "$kinds" in
                "") ;;
                harness:*) conf_record_all "$name" fail "$kinds"; return 0 ;;
                *) conf_record_all "$name" skip "unsupported: $kinds"; return 0 ;;
            esac
        fi
        if [ "$d" = fwd ]; then
            conf_check s_old s_new "$log" && rc=0 || rc=$?
        else
            conf_check s_new s_old "$log" && rc=0 || rc=$?
        fi
        if [ "$rc" -eq 0 ]; then
            rm -f "$log"
            conf_record "$name" "$d" pass "$(conf_since "$t0")" ""
        else
            conf_record "$name" "$d" fail "$(conf_since "$t0")" "$CONF_REASON"
        fi
    done
}

# conf_report: the per-category table and the summary line; returns 1 when
# the run must fail.
conf_report() {
    local min=0 full=0 passed failed known skipped
    printf '\n%-26s %7s %7s %7s %7s\n' category passed failed known skipped
    awk -F'\t' 'NR > 1 {
            split($1, p, "/"); cats[p[1]] = 1; n[p[1], $3]++; n["total", $3]++
        }
        END {
            for (c in cats)
                printf "%s\t%d\t%d\t%d\t%d\n", c, n[c, "pass"], n[c, "fail"], n[c, "known"], n[c, "skip"]
            printf "~total\t%d\t%d\t%d\t%d\n", n["total", "pass"], n["total", "fail"], n["total", "known"], n["total", "skip"]
        }' "$CONF_RESULTS/results.tsv" | LC_ALL=C sort |
        awk -F'\t' '{ sub(/^~/, "", $1); printf "%-26s %7d %7d %7d %7d\n", $1, $2, $3, $4, $5 }'
    echo
    passed=$(awk -F'\t' '$3 == "pass"' "$CONF_RESULTS/results.tsv" | wc -l)
    failed=$(awk -F'\t' '$3 == "fail"' "$CONF_RESULTS/results.tsv" | wc -l)
    known=$(awk -F'\t' '$3 == "known"' "$CONF_RESULTS/results.tsv" | wc -l)
    skipped=$(awk -F'\t' '$3 == "skip"' "$CONF_RESULTS/results.tsv" | wc -l)
    if [ "${#CONF_NOTES[@]}" -gt 0 ]; then
        printf '%s\n' "${CONF_NOTES[@]}"
    fi
    if [ "$CONF_PATH" = model ]; then
        echo "(diff(model) materialized only the changes in $CONF_CHANGES_ONLY case(s), with the same rows as materializing all)"
    fi
    echo "($known of the failures are listed in known-failures.tsv; run time ${SECONDS}s)"
    echo "$passed passed, $((failed + known)) failed, $skipped skipped"
    local minfile="$CONF_DIR/min-passed"
    [ "$CONF_PATH" = model ] && minfile="$CONF_DIR/min-passed-model"
    if [ -f "$minfile" ]; then
        min=$(tr -dc '0-9' <"$minfile")
        min=${min:-0}
    fi
    [ -z "$CONF_FILTER" ] && [ "$CONF_DIRECTIONS" = "fwd rev" ] && full=1
    if [ "$failed" -gt 0 ]; then
        echo "conformance: $failed failure(s) not listed in known-failures.tsv" >&2
        return 1
    fi
    if [ "$full" -eq 1 ] && [ "$CONF_PATH" = model ] && [ "$CONF_CHANGES_ONLY" -eq 0 ]; then
        echo "conformance: no case materialized only the changes of its model: the comparison proved nothing" >&2
        return 1
    fi
    if [ "$full" -eq 1 ] && [ "$passed" -lt "$min" ]; then
        echo "conformance: $passed passed, fewer than min-passed ($min)" >&2
        return 1
    fi
    return 0
}

# conf_exit: remove the work directory and the database; stop our server.
conf_exit() {
    if [ -n "$CONF_WORK" ] && [ -d "$CONF_WORK" ]; then
        if [ "$CONF_SERVER_RUNNING" -eq 1 ]; then
            conf_drop_db
        fi
        rm -rf "$CONF_WORK"
    fi
    if [ "$CONF_SERVER_RUNNING" -eq 0 ]; then
        ss_server_stop
    fi
}

# conf_main ARGS...: set up, run every selected case, report.
conf_main() {
    local dir name
    conf_parse_args "$@"
    if [ "$CONF_SERVER_RUNNING" -eq 0 ]; then
        ss_setup
    fi
    CONF_WORK=$(mktemp -d "${TMPDIR:-/tmp}/schemasync-conformance.XXXXXX")
    trap conf_exit EXIT
    trap 'exit 130' INT TERM
    CONF_NOTES=()
    conf_load_known
    conf_ensure_user
    [ "$CONF_PATH" = model ] && CONF_RESULTS="$CONF_RESULTS/model"
    mkdir -p "$CONF_RESULTS"
    rm -f "$CONF_RESULTS"/*.log
    printf 'case\tdirection\tstatus\tseconds\treason\n' >"$CONF_RESULTS/results.tsv"
    ss_log "conformance corpus: $CONF_CORPUS (directions: $CONF_DIRECTIONS; path: $CONF_PATH)"
    for dir in "$CONF_CORPUS"/cases/*/*/; do
        dir=${dir%/}
        name="$(basename "$(dirname "$dir")")/$(basename "$dir")"
        if [ -n "$CONF_FILTER" ] && ! printf '%s\n' "$name" | grep -qE -- "$CONF_FILTER"; then
            continue
        fi
        conf_run_case "$dir"
    done
    conf_report
}

# run unless sourced (sourcing gives the functions to ad-hoc tools)
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    conf_main "$@"
fi
