#!/usr/bin/env bash
# test/model/cross-db.sh: move a schema ($SS_SCHEMA, default shop) from
# database $SS_A to database $SS_B through a model file, with psql only, as
# docs/model.md shows.
set -euo pipefail
A=${SS_A:?database A}
B=${SS_B:?database B}
S=${SS_SCHEMA:-shop}
model=$(mktemp --suffix=.json)
trap 'rm -f "$model"' EXIT

# 1. snapshot A into a file
psql -d "$A" -XAtc "SELECT schemasync.snapshot(ARRAY['$S'])" > "$model"
echo "model file: $(wc -c < "$model") bytes"

# 2-4. in B: review the diff, apply it, verify with a second diff
out=$(psql -d "$B" -X -v ON_ERROR_STOP=1 -At 2>&1 <<SQL
\set model \`cat $model\`
SELECT 'statements: ' || count(*) FROM schemasync.diff(:'model'::jsonb);
CALL schemasync.apply(:'model'::jsonb, '{"allow_drops": true}');
SELECT 'left: ' || count(*) FROM schemasync.diff(:'model'::jsonb);
SELECT 'same model: ' || (schemasync.snapshot(ARRAY['$S']) - 'server_version_num' = (:'model'::jsonb - 'server_version_num'));
SQL
)
echo "$out"
grep -q "^left: 0$" <<<"$out" && grep -q "^same model: true$" <<<"$out" && ! grep -q "^statements: 0$" <<<"$out"
