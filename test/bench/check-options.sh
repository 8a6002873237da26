#!/usr/bin/env bash
# test/bench/check-options.sh: the benchmark command refuses what it cannot
# do, before it changes anything.
#
# Usage: test/bench/check-options.sh
#
# Checks, without a server (each case must end in seconds):
#   1. --huge-pages with --server-running exits 2 with a message naming both
#      options, and leaves vm.nr_hugepages as it was (the server of
#      --server-running is used as it is configured: the run must not
#      reserve huge pages it will not use);
#   2. an unknown option exits 2 with the usage.
# Prints one line per case and exits non-zero when any fails.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN="$BENCH_DIR/run.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0

# check NAME WANT_RC PATTERN -- ARGS...: run.sh with ARGS must exit WANT_RC
# within 30 s, and its stderr must match PATTERN (grep -E).
check() {
    local name=$1 want=$2 pattern=$3 rc
    shift 4
    timeout 30 bash "$RUN" "$@" </dev/null >/dev/null 2>"$out"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want; stderr:" >&2
        sed 's/^/    /' "$out" >&2
        return 1
    fi
    if ! grep -Eq -- "$pattern" "$out"; then
        echo "FAIL $name: stderr does not match /$pattern/:" >&2
        sed 's/^/    /' "$out" >&2
        return 1
    fi
    return 0
}

hp_file=/proc/sys/vm/nr_hugepages
hp_before=$(cat "$hp_file" 2>/dev/null || echo "n/a")
if check "--huge-pages --server-running" 2 "--huge-pages.*--server-running" -- \
        --huge-pages --server-running --quick; then
    hp_after=$(cat "$hp_file" 2>/dev/null || echo "n/a")
    if [ "$hp_after" != "$hp_before" ]; then
        echo "FAIL --huge-pages --server-running: vm.nr_hugepages went from $hp_before to $hp_after" >&2
        failed=$((failed + 1))
    else
        echo "ok   --huge-pages --server-running: refused (exit 2), vm.nr_hugepages still $hp_before"
    fi
else
    failed=$((failed + 1))
fi

# the same, the options the other way round
if check "--server-running --huge-pages" 2 "--huge-pages.*--server-running" -- \
        --server-running --huge-pages --quick; then
    echo "ok   --server-running --huge-pages: refused (exit 2)"
else
    failed=$((failed + 1))
fi

if check "unknown option" 2 "unknown option --no-such-option" -- --no-such-option; then
    echo "ok   unknown option: refused (exit 2)"
else
    failed=$((failed + 1))
fi

[ "$failed" -eq 0 ]
