#!/usr/bin/env bash
# test/guide/render.sh: render docs/guide.md from expected/guide.out, the
# golden output of sql/guide.sql, so that every example in the guide is
# one the test suite runs, with its real output.
#
#   --# Title / --## Section   headings
#   --: text                   prose
#   --                         a paragraph break
#   anything else              SQL and its output, in code blocks
#
# Usage: test/guide/render.sh [--check]   (--check: fail if docs/guide.md is stale)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
awk '
function close_code() { if (incode) { print "```"; print ""; incode = 0 } }
/^--# /  { close_code(); print "# " substr($0, 5); print ""; next }
/^--## / { close_code(); print "## " substr($0, 6); print ""; next }
/^--: /  { close_code(); print substr($0, 5); prose = 1; next }
/^--$/   { close_code(); if (prose) { print ""; prose = 0 } next }
{
    if (prose) { print ""; prose = 0 }
    if (!incode) { print "```sql"; incode = 1 }
    print
}
END { close_code() }
' "$repo/expected/guide.out" | cat -s > "$out"
if [ "${1:-}" = "--check" ]; then
    if ! diff -q "$out" "$repo/docs/guide.md" >/dev/null; then
        echo "docs/guide.md is stale: run test/guide/render.sh" >&2
        diff -u "$repo/docs/guide.md" "$out" | head -20 >&2
        exit 1
    fi
    echo "ok: docs/guide.md matches expected/guide.out"
else
    cp "$out" "$repo/docs/guide.md"
fi
