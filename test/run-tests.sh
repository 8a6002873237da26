#!/usr/bin/env bash
# test/run-tests.sh: set everything up and run the whole schemasync test suite.
#
# Installs the Debian packages a fresh machine lacks, builds the extension
# with -Werror and installs it, starts a throwaway PostgreSQL, then runs:
#   1. the pg_regress suite (sql/*.sql against expected/*.out);
#   2. the model tests (test/model/run.sh: JSON Schema, psql workflow, fuzz);
#   3. the conformance runner over ../shared/corpus/pgschema, through the
#      schema-vs-schema path and through the JSONB model path;
#   4. the mutation sweep (test/sweep/run.sh: 20 seeds of generated schemas
#      and random mutations, applied both ways through both paths, the
#      catalogs compared after each apply);
#   5. the self-checks (test/selfcheck/run.sh): the regression suite and 10
#      seeds of the sweep against a build with SS_CHECK_DOCUMENT and
#      SS_CHECK_READS_SNAPSHOT, which compare two shortcuts of the extension
#      with the plain way, call by call (the normal build is put back after);
#   6. the quick benchmark (test/bench/run.sh --quick: N=100, no network),
#      which fails when a no-op diff is far slower than it should be, after
#      test/bench/check-options.sh (the benchmark refuses option combinations
#      it cannot honour, before it changes anything).
# Prints "N passed, M failed" and exits non-zero when anything failed.
set -euo pipefail
. "$(dirname "$0")/lib/pgserver.sh"

ss_setup

passed=0
failed=0

ss_log "pg_regress suite"
rm -rf "$SS_REPO/results" "$SS_REPO/regression.diffs" "$SS_REPO/regression.out"
if make -C "$SS_REPO" PG_CONFIG="$SS_BINDIR/pg_config" installcheck; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    ss_log "pg_regress failed; regression.diffs follows"
    cat "$SS_REPO/regression.diffs" 2>/dev/null || true
fi

ss_log "docs/guide.md is the rendering of the guide's regression test"
if bash "$SS_REPO/test/guide/render.sh" --check; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi

ss_log "model: schema validation, cross-database workflow, fuzz"
if "$SS_REPO/test/model/run.sh" --server-running; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi

ss_log "review: lock_timeout across two sessions"
if bash "$SS_REPO/test/review/lock-timeout.sh"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi

for path in schema model; do
    ss_log "conformance corpus, $path path"
    if bash "$SS_REPO/test/conformance/run.sh" --server-running --path "$path"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done

ss_log "mutation sweep: generated schemas, random mutations, four applies each (test/sweep/run.sh)"
if bash "$SS_REPO/test/sweep/run.sh" --server-running; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi

ss_log "self-checks: a build that compares its documents and history snapshots with the plain way's (test/selfcheck/run.sh)"
if bash "$SS_REPO/test/selfcheck/run.sh" --server-running; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi

ss_log "quick benchmark: options refused, then N=100 no-op diff within its bounds (test/bench/run.sh --quick)"
if bash "$SS_REPO/test/bench/check-options.sh" &&
    bash "$SS_REPO/test/bench/run.sh" --quick --server-running --out "$SS_TMP/bench-quick.md"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
