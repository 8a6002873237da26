#!/usr/bin/env bash
# test/selfcheck/run.sh: the regression suite and the mutation sweep against a
# build that checks three of the extension's shortcuts, call by call, against
# the plain way of doing the same thing.
#
#   SS_CHECK_DOCUMENT        every model document written an object at a
#                            time (ss_models_to_jsonb, which lays out the
#                            "objects" array's JSONB framing itself) is
#                            compared byte for byte with the server's own
#                            serialization of the whole tree;
#   SS_CHECK_READS_SNAPSHOT  every snapshot an apply records in its history
#                            from the diffs' reads (ss_snapshot_of_reads,
#                            which takes texts from the read before the
#                            statements) is compared with a fresh snapshot();
#   SS_CHECK_PARALLEL_READ   every model of a reference schema that a
#                            parallel worker read (src/parallel.c) is
#                            compared, object for object and dependency for
#                            dependency, with the backend's own read of it;
#                            and every text a worker deparsed ahead of a
#                            model diff's read of its target (CHECK
#                            constraints, views, indexes; the backend waits
#                            for each in this build) with the backend's own
#                            deparsing of it.
#
# The regression suite runs twice: as it is, then with every diff's
# reference read by a worker (schemasync.parallel_read_relations = 0),
# without the suite "install", which counts the catalog scans of a diff
# (the check's second read adds one).  The sweep runs with the worker too.
#
# A difference is an ERROR in the call, so the suites fail; an equal result
# is written to the server's log only (LOG_SERVER_ONLY), so the suites'
# outputs are those of the normal build.  The script then counts those log
# lines and fails unless every check ran, so that a suite that stopped
# reaching them cannot pass unseen.  The normal build is installed again on
# the way out.
#
# Usage: test/selfcheck/run.sh [--server-running]
set -euo pipefail
. "$(dirname "$0")/../lib/pgserver.sh"

running=no
while [ $# -gt 0 ]; do
    case "$1" in
        --server-running) running=yes ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$running" = no ]; then
    ss_setup
fi

# the running server's tree (the staged copy of pgserver.sh, or the
# system's), its log (pgserver.sh writes it beside the data directory), and
# a directory of this script's own for the build
sysbin="/usr/lib/postgresql/$SS_PG_MAJOR/bin"
pgc="$sysbin/pg_config"
bindir=$(cd "$(dirname "$(command -v pg_ctl)")" && pwd)
if [ "$bindir" != "$sysbin" ] && [ "${bindir%"$sysbin"}" != "$bindir" ]; then
    destdir=${bindir%"$sysbin"}
else
    destdir=""
fi
serverlog="$(dirname "$(psql -XAtqc "SHOW data_directory" postgres)")/server.log"
if [ ! -r "$serverlog" ]; then
    echo "selfcheck: no server log at $serverlog (the server must be one of test/lib/pgserver.sh)" >&2
    exit 1
fi
build=$(mktemp -d "${TMPDIR:-/tmp}/schemasync-selfcheck.XXXXXX")
chmod 755 "$build"
mkdir -p "$build/test"
cp -a "$SS_REPO/Makefile" "$SS_REPO/schemasync.control" "$SS_REPO/src" \
    "$SS_REPO/sql" "$SS_REPO/expected" "$build/"
mkdir -p "$build/test/bench"
cp -a "$SS_REPO/test/lib" "$SS_REPO/test/regress" "$build/test/"
cp -a "$SS_REPO/test/bench/generate.sql" "$build/test/bench/"
find "$build/src" \( -name '*.o' -o -name '*.bc' \) -delete
rm -f "$build"/*.so

# install_build DIR: install the library built in DIR where the suites'
# server loads it (each new connection loads it again).
install_build() {
    if [ -n "$destdir" ]; then
        make -C "$1" PG_CONFIG="$pgc" DESTDIR="$destdir" install >/dev/null
    else
        $SS_SUDO make -C "$1" PG_CONFIG="$pgc" install >/dev/null
    fi
}
finish() {
    install_build "$SS_REPO" || ss_log "selfcheck: could not install the normal build again"
    rm -rf "$build"
    [ "$running" = yes ] || ss_server_stop
}
trap finish EXIT

ss_log "selfcheck: building with SS_CHECK_DOCUMENT, SS_CHECK_READS_SNAPSHOT and SS_CHECK_PARALLEL_READ"
log="$build/build.log"
if ! make -C "$build" PG_CONFIG="$pgc" \
    PG_CPPFLAGS="-I./src -DSS_CHECK_DOCUMENT -DSS_CHECK_READS_SNAPSHOT -DSS_CHECK_PARALLEL_READ" >"$log" 2>&1 ||
    grep -q "warning:" "$log"; then
    cat "$log" >&2
    exit 1
fi
install_build "$build"

# the server's log from here on is this run's
start=$(stat -c %s "$serverlog")

passed=0
failed=0
ss_log "selfcheck: pg_regress suite"
rm -rf "$build/results" "$build/regression.diffs" "$build/regression.out"
if make -C "$build" PG_CONFIG="$pgc" installcheck; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    cat "$build/regression.diffs" 2>/dev/null || true
fi

ss_log "selfcheck: pg_regress suite, every reference read by a parallel worker"
rm -rf "$build/results" "$build/regression.diffs" "$build/regression.out"
suites=$(cd "$build/sql" && ls ./*.sql | sed 's|^\./||; s|\.sql$||' |
    grep -v -x -e install -e schemasync -e 'schemasync--.*' | tr '\n' ' ')
if PGOPTIONS="-c schemasync.parallel_read_relations=0" \
    make -C "$build" PG_CONFIG="$pgc" installcheck REGRESS="$suites"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    cat "$build/regression.diffs" 2>/dev/null || true
fi

ss_log "selfcheck: mutation sweep, every reference read by a parallel worker"
if PGOPTIONS="-c schemasync.parallel_read_relations=0" \
    bash "$SS_REPO/test/sweep/run.sh" --server-running --seeds 1-10; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi

tail -c +"$((start + 1))" "$serverlog" >"$build/server.log"
documents=$(grep -a -c "document written an object at a time: the same" "$build/server.log" || true)
snapshots=$(grep -a -c "snapshot of reads same" "$build/server.log" || true)
unavailable=$(grep -a -c "snapshot of reads not available" "$build/server.log" || true)
parallel=$(grep -a -c "parallel worker read of schema .* is the same" "$build/server.log" || true)
ahead=$(grep -a -c "parallel worker deparsed ahead of schema .* are the same" "$build/server.log" || true)
# each kind of text deparsed ahead must have been compared at least once
ahead_kinds=$(grep -a -o "parallel worker deparsed ahead of schema .* are the same (taken: .*)" "$build/server.log" |
    sed -E 's/.*taken: ([0-9]+) of [0-9]+ CHECK constraints, ([0-9]+) of [0-9]+ views, ([0-9]+) of [0-9]+ indexes.*/\1 \2 \3/' |
    awk '{c += $1; v += $2; i += $3} END {printf "%d %d %d", c, v, i}')
read -r ahead_checks ahead_views ahead_indexes <<<"${ahead_kinds:-0 0 0}"
differ=$(grep -a -cE "(document written an object at a time|snapshot of reads) differs|differs? from this backend's" "$build/server.log" || true)
echo "selfcheck: $documents documents written an object at a time equal to the whole tree's;" \
    "$snapshots snapshots of reads equal to a fresh snapshot() ($unavailable not available from the reads);" \
    "$parallel models read by a parallel worker equal to the backend's;" \
    "$ahead reads whose texts a parallel worker deparsed ahead, equal to the backend's" \
    "($ahead_checks CHECK constraints, $ahead_views views, $ahead_indexes indexes); $differ differences"
if [ "$documents" -eq 0 ] || [ "$snapshots" -eq 0 ] || [ "$parallel" -eq 0 ] || [ "$ahead" -eq 0 ] ||
    [ "$ahead_checks" -eq 0 ] || [ "$ahead_views" -eq 0 ] || [ "$ahead_indexes" -eq 0 ]; then
    echo "FAILED: a check never ran: the suites no longer reach it" >&2
    failed=$((failed + 1))
elif [ "$differ" -ne 0 ]; then
    grep -a -m 5 -E "(document written an object at a time|snapshot of reads) differs|differs? from this backend's" "$build/server.log" >&2
    failed=$((failed + 1))
fi
echo "selfcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
