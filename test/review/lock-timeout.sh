#!/usr/bin/env bash
# test/review/lock-timeout.sh: a lock wait longer than the lock_timeout
# option fails the apply cleanly, and nothing stays half-applied.
# Needs a running server (PG* variables) with schemasync installable.
set -euo pipefail
db=ss_lock_timeout
dropdb --if-exists "$db" >/dev/null 2>&1 || true
createdb "$db"
psql -XqAt -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
CREATE EXTENSION schemasync;
CREATE SCHEMA live;
CREATE SCHEMA next;
CREATE TABLE live.a (id int PRIMARY KEY);
CREATE TABLE live.b (id int PRIMARY KEY);
CREATE TABLE next.a (id int PRIMARY KEY, note text);
CREATE TABLE next.b (id int PRIMARY KEY, note text);
SQL
before=$(psql -XAt -d "$db" -c "SELECT schemasync.fingerprint(ARRAY['live'])")

# another session holds a lock on live.b for 3 seconds
psql -XqAt -d "$db" -c "BEGIN; LOCK TABLE live.b IN ACCESS SHARE MODE; SELECT pg_sleep(3); COMMIT;" >/dev/null &
holder=$!
sleep 0.5

start=$(date +%s%N)
if out=$(psql -XAt -v ON_ERROR_STOP=1 -d "$db" \
        -c "CALL schemasync.apply('live', 'next', '{\"lock_timeout\": \"200ms\"}')" 2>&1); then
    echo "FAILED: apply should have timed out: $out"
    exit 1
fi
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$holder"
echo "$out" | head -2
after=$(psql -XAt -d "$db" -c "SELECT schemasync.fingerprint(ARRAY['live'])")
left=$(psql -XAt -d "$db" -c "SELECT count(*) FROM schemasync.diff('live', 'next')")
dropdb "$db"
grep -q "lock timeout" <<<"$out" || { echo "FAILED: not a lock timeout"; exit 1; }
[ "$before" = "$after" ] || { echo "FAILED: live changed although apply failed"; exit 1; }
[ "$left" = 2 ] || { echo "FAILED: expected 2 rows left, got $left"; exit 1; }
[ "$elapsed_ms" -lt 2500 ] || { echo "FAILED: took ${elapsed_ms} ms, the lock was waited for"; exit 1; }
echo "ok: lock wait ended after ${elapsed_ms} ms by lock_timeout=200ms; live unchanged, both statements still to do"
