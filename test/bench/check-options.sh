#!/usr/bin/env bash
# test/bench/check-options.sh: the benchmark command refuses what it cannot
# do, before it changes anything.
#
# Usage: test/bench/check-options.sh
#
# Checks, without a server (each case must end in seconds):
#   1. --huge-pages with --server-running (either order) exits 2 with a
#      message naming both options (the server of --server-running is used
#      as it is configured: the run must not reserve huge pages it will not
#      use);
#   2. an unknown option exits 2 with a message naming it.
# After each refusal vm.nr_hugepages must be what it was.
# Prints one line per case and exits non-zero when any fails.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN="$BENCH_DIR/run.sh"
HP_FILE=/proc/sys/vm/nr_hugepages
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0

# fail NAME WHY: report a failed case with run.sh's stderr, and count it.
fail() {
    echo "FAIL $1: $2; stderr:" >&2
    sed 's/^/    /' "$out" >&2
    failed=$((failed + 1))
}

# check NAME WANT_RC PATTERN -- ARGS...: run.sh with ARGS must exit WANT_RC
# within 30 s, its stderr must match PATTERN (grep -E), and vm.nr_hugepages
# must be unchanged.
check() {
    local name=$1 want=$2 pattern=$3 rc hp_before hp_after
    shift 4
    hp_before=$(cat "$HP_FILE" 2>/dev/null || echo "n/a")
    timeout 30 bash "$RUN" "$@" </dev/null >/dev/null 2>"$out"
    rc=$?
    hp_after=$(cat "$HP_FILE" 2>/dev/null || echo "n/a")
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit $rc, expected $want"
    elif ! grep -Eq -- "$pattern" "$out"; then
        fail "$name" "stderr does not match /$pattern/"
    elif [ "$hp_after" != "$hp_before" ]; then
        fail "$name" "vm.nr_hugepages went from $hp_before to $hp_after"
    else
        echo "ok   $name: refused (exit $rc), vm.nr_hugepages still $hp_after"
    fi
}

check "--huge-pages --server-running" 2 "--huge-pages.*--server-running" -- \
    --huge-pages --server-running --quick
check "--server-running --huge-pages" 2 "--huge-pages.*--server-running" -- \
    --server-running --huge-pages --quick
check "unknown option" 2 "unknown option --no-such-option" -- --no-such-option

[ "$failed" -eq 0 ]
