#!/usr/bin/env bash
# test/demo.sh: the main job, end to end, on a throwaway server.
#
# Builds and installs schemasync, starts a throwaway PostgreSQL, deploys
# version 1 of a small shop schema (test/demo/v1.sql) with some rows, builds
# the desired version 2 (test/demo/v2.sql) in a reference schema, then shows
# the diff, the guarded apply, the apply, and the verification.
set -euo pipefail
. "$(dirname "$0")/lib/pgserver.sh"

ss_setup
DEMO="$SS_REPO/test/demo"

step() {
    printf '\n\033[1m### %s\033[0m\n' "$*"
}

psql_demo() {
    psql -X -v ON_ERROR_STOP=1 -d demo "$@"
}

createdb demo
psql_demo -qc "CREATE EXTENSION schemasync"

step "1. The live schema 'shop' is at version 1 (test/demo/v1.sql), with data"
psql_demo -q <<SQL
CREATE SCHEMA shop;
SET search_path = shop;
\i $DEMO/v1.sql
INSERT INTO customers (email, full_name, legacy_code) VALUES
    ('ada@example.com', 'Ada Lovelace', 'A1'), ('alan@example.com', 'Alan Turing', 'T2');
INSERT INTO products (sku, title, price) VALUES ('BK-1', 'Notes on the Engine', 12.50);
INSERT INTO orders (customer_id, status) VALUES (1, 'paid'), (2, 'new');
SQL
psql_demo -c '\dt shop.*'

step "2. The desired version 2 is built from test/demo/v2.sql into schema 'shop_next'"
psql_demo -q <<SQL
CREATE SCHEMA shop_next;
SET search_path = shop_next;
\i $DEMO/v2.sql
SQL

step "3. SELECT * FROM schemasync.diff('shop', 'shop_next'): the migration, one statement per row, in order"
psql_demo -P pager=off -c "SELECT ordinal AS \"#\", action, kind, identity, destructive AS loses_data, lock, ddl
                           FROM schemasync.diff('shop', 'shop_next') ORDER BY ordinal"

step "4. apply refuses destructive statements unless allow_drops is given (nothing changes)"
psql_demo -c "CALL schemasync.apply('shop', 'shop_next')" 2>&1 || true

step "5. CALL schemasync.apply('shop', 'shop_next', '{\"allow_drops\": true}'): runs in one transaction, then verifies"
psql_demo -c "CALL schemasync.apply('shop', 'shop_next', '{\"allow_drops\": true, \"verbose\": true}')" 2>&1

step "6. Verification: the diff is now empty, and the rows are still there"
psql_demo -c "SELECT count(*) AS differences_left FROM schemasync.diff('shop', 'shop_next')"
psql_demo -c "SELECT id, email, full_name, created_at IS NOT NULL AS has_created_at FROM shop.customers ORDER BY id"
psql_demo -c '\d shop.orders'
psql_demo -c '\dv shop.*' -c '\df shop.*'
left=$(psql_demo -XAtc "SELECT count(*) FROM schemasync.diff('shop', 'shop_next')")
if [ "$left" != 0 ]; then
    echo "FAILED: $left differences left after apply" >&2
    exit 1
fi

echo
echo "Done: schema 'shop' now matches version 2. The throwaway server is removed on exit."
