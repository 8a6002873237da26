#!/usr/bin/env bash
# test/model/run.sh: tests of the JSONB model beyond pg_regress.
#
#   1. every snapshot of the demo, regress-like and fuzz schemas validates
#      against docs/model.schema.json (python3-jsonschema);
#   2. the cross-database workflow (test/model/cross-db.sh): snapshot A into
#      a file, diff and apply B against it with psql, verify (schema shop,
#      and schema exts with extensions and a table that uses them);
#   3. the fuzzer (test/model/fuzz.sql): FUZZ_ITERATIONS mutated models
#      (default 2000), every rejection clean, no crash.
#
# Usage: test/model/run.sh [--server-running] [--iterations N] [--seed S]
set -euo pipefail
. "$(dirname "$0")/../lib/pgserver.sh"

iterations=${FUZZ_ITERATIONS:-2000}
seed=0.42
running=no
while [ $# -gt 0 ]; do
    case "$1" in
        --server-running) running=yes ;;
        --iterations) iterations=$2; shift ;;
        --seed) seed=$2; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$running" = no ]; then
    ss_setup
fi

passed=0
failed=0
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok: $name"
        passed=$((passed + 1))
    else
        echo "FAILED: $name"
        failed=$((failed + 1))
    fi
}

dropdb --if-exists ss_model_a >/dev/null 2>&1 || true
dropdb --if-exists ss_model_b >/dev/null 2>&1 || true
createdb ss_model_a
createdb ss_model_b
psql -XqAt -v ON_ERROR_STOP=1 -d ss_model_a -c "CREATE EXTENSION schemasync"
psql -XqAt -v ON_ERROR_STOP=1 -d ss_model_b -c "CREATE EXTENSION schemasync"

# database A: the demo's v2 shop in "shop", and the fuzz schemas
psql -XqAt -v ON_ERROR_STOP=1 -d ss_model_a <<SQL
CREATE SCHEMA shop;
SET search_path = shop;
\i $SS_REPO/test/demo/v2.sql
SQL
psql -XqAt -v ON_ERROR_STOP=1 -d ss_model_b -c "CREATE SCHEMA shop"

# database A: schema "exts" with two extensions and a table that uses them
# (an extension type, an extension operator class); B has none of them
psql -XqAt -v ON_ERROR_STOP=1 -d ss_model_a <<SQL
CREATE SCHEMA exts;
CREATE EXTENSION citext SCHEMA exts;
CREATE EXTENSION pg_trgm SCHEMA exts;
SET search_path = exts;
CREATE TABLE users (email citext PRIMARY KEY, name text NOT NULL);
CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
SQL
psql -XqAt -v ON_ERROR_STOP=1 -d ss_model_b -c "CREATE SCHEMA exts"

validate() {
    local tmp
    tmp=$(mktemp)
    psql -XAt -v ON_ERROR_STOP=1 -d ss_model_a -c "SELECT schemasync.snapshot()" >"$tmp"
    python3 - "$SS_REPO/docs/model.schema.json" "$tmp" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
for e in errors[:10]:
    print("schema violation at", "/".join(map(str, e.absolute_path)), ":", e.message)
print("validated a model of %d objects in %d schemas" % (len(doc["objects"]), len(doc["schemas"])))
sys.exit(1 if errors else 0)
PY
    local rc=$?
    rm -f "$tmp"
    return $rc
}

cross_db() {
    SS_A=ss_model_a SS_B=ss_model_b bash "$SS_REPO/test/model/cross-db.sh"
}

cross_db_extensions() {
    SS_SCHEMA=exts SS_A=ss_model_a SS_B=ss_model_b bash "$SS_REPO/test/model/cross-db.sh"
}

dump_restore() {
    # the same schema restored by pg_dump into another database: same model
    dropdb --if-exists ss_model_c >/dev/null 2>&1 || true
    createdb ss_model_c
    psql -XqAt -v ON_ERROR_STOP=1 -d ss_model_c -c "CREATE EXTENSION schemasync"
    pg_dump --schema-only -n shop ss_model_a | grep -v '^\\restrict\|^\\unrestrict' |
        psql -Xq -v ON_ERROR_STOP=1 -d ss_model_c >/dev/null
    local a c
    a=$(psql -XAt -d ss_model_a -c "SELECT schemasync.snapshot(ARRAY['shop']) - 'server_version_num'")
    c=$(psql -XAt -d ss_model_c -c "SELECT schemasync.snapshot(ARRAY['shop']) - 'server_version_num'")
    dropdb ss_model_c
    [ -n "$a" ] && [ "$a" = "$c" ]
}

fuzz() {
    PGOPTIONS="-c fuzz.iterations=$iterations" psql -X -v ON_ERROR_STOP=1 -v seed="$seed" \
        -d ss_model_a -f "$SS_REPO/test/model/fuzz.sql" 2>&1 | grep -E "fuzz:|WARNING|ERROR|FATAL|server closed"
    return "${PIPESTATUS[0]}"
}

check "snapshots validate against docs/model.schema.json" validate
check "cross-database workflow with psql" cross_db
check "cross-database workflow with extensions" cross_db_extensions
check "a pg_dump/restore of a schema has the same snapshot" dump_restore
check "fuzz: $iterations mutated models, clean rejections, no crash" fuzz
check "snapshots of the fuzz schemas validate too" validate

dropdb ss_model_a
dropdb ss_model_b
echo "model: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
