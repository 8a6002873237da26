--
-- parallel: the reference schema of a diff read by a parallel worker
-- (setting schemasync.parallel_read_relations, src/parallel.c) while the
-- backend reads the target.  The worker's model, copied into the backend,
-- must give exactly the rows a read in the backend gives: for generated
-- schemas of every kind the benchmark makes, mutated, both ways; when no
-- worker can be had; in a serializable transaction, a savepoint and an
-- exception block; and for the verification of an apply, which reads after
-- the apply's statements, in the same transaction.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
\set ECHO none
\i test/bench/generate.sql
\i test/lib/fingerprint.sql
\set ECHO all
\set ON_ERROR_STOP 0
RESET client_min_messages;

-- the setting (defined when the library loads): its default, its bounds
LOAD 'schemasync';
SELECT boot_val, min_val, max_val, context FROM pg_settings
WHERE name = 'schemasync.parallel_read_relations';
SET schemasync.parallel_read_relations = -2;

-- two copies of a generated schema of 30 tables, one of them mutated (a
-- fifth of its objects: columns, defaults, constraints, indexes, views,
-- routines, triggers, enums, sequences, comments)
SET client_min_messages = warning;
CALL schemasync_bench.generate('par_a', 30, 7, true);
CALL schemasync_bench.generate('par_m', 30, 7, true);
CALL schemasync_bench.mutate('par_m', 7, 20);
RESET client_min_messages;

-- rows as count and md5, in order
CREATE FUNCTION pg_temp.rows_of(t text, r text) RETURNS text
LANGUAGE sql AS $$
SELECT count(*) || ' rows, md5 ' || md5(coalesce(string_agg(d::text, E'\n' ORDER BY d.ordinal), ''))
FROM schemasync.diff(t, r, '{"allow_drops": true}') d
$$;

-- read in the backend
SET schemasync.parallel_read_relations = -1;
SELECT pg_temp.rows_of('par_a', 'par_m') AS forward \gset serial_
SELECT pg_temp.rows_of('par_m', 'par_a') AS backward \gset serial_

-- read by a worker (DEBUG2 says so, once per diff)
SET schemasync.parallel_read_relations = 0;
SET client_min_messages = debug2;
SELECT pg_temp.rows_of('par_a', 'par_m') AS forward \gset worker_
SELECT pg_temp.rows_of('par_m', 'par_a') AS backward \gset worker_
RESET client_min_messages;
SELECT :'serial_forward' = :'worker_forward' AS same_forward,
       :'serial_backward' = :'worker_backward' AS same_backward,
       :'serial_forward' <> '0 rows, md5 d41d8cd98f00b204e9800998ecf8427e' AS forward_has_rows;

-- no worker to be had: the backend reads the reference itself
SET max_parallel_workers = 0;
SET client_min_messages = debug2;
SELECT pg_temp.rows_of('par_a', 'par_m') = :'serial_forward' AS same_without_worker;
RESET client_min_messages;
RESET max_parallel_workers;

-- in a serializable transaction, a savepoint, an exception block
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT pg_temp.rows_of('par_a', 'par_m') = :'serial_forward' AS same_serializable;
SAVEPOINT s;
SELECT pg_temp.rows_of('par_m', 'par_a') = :'serial_backward' AS same_in_savepoint;
ROLLBACK TO SAVEPOINT s;
COMMIT;
DO $$
BEGIN
	PERFORM count(*) FROM schemasync.diff('par_a', 'par_m');
	RAISE EXCEPTION 'rolled back';
EXCEPTION WHEN raise_exception THEN
	RAISE NOTICE 'caught: %', SQLERRM;
END
$$;

-- a cancel (here statement_timeout) stops the call with its worker, and
-- the next call reads as before
SET statement_timeout = 1;
SELECT count(*) FROM schemasync.diff('par_a', 'par_m');
RESET statement_timeout;
SELECT pg_temp.rows_of('par_a', 'par_m') = :'serial_forward' AS same_after_cancel;

-- apply: the first diff and the verification after the statements both
-- read par_m in a worker; then the two schemas are equal, catalog for
-- catalog
BEGIN;
SELECT count(*) > 0 AS catalogs_differ_before FROM ss_test.fingerprint_diff('par_a', 'par_m');
SET LOCAL client_min_messages = warning;
CALL schemasync.apply('par_a', 'par_m', '{"allow_drops": true}');
RESET client_min_messages;
SELECT pg_temp.rows_of('par_a', 'par_m') AS after_apply;
SELECT count(*) AS catalog_differences FROM ss_test.fingerprint_diff('par_a', 'par_m');
ROLLBACK;

-- the model path: a worker deparses the target's CHECK constraints, views and
-- indexes ahead of the backend's read of it; the rows are those of a read
-- that deparses them itself, and so is apply(model), whose verification
-- reads the target again after its statements, in the same transaction
-- (DEBUG2 would say how many texts the worker sent and how many the read
-- took, among the materializing's own messages; test/selfcheck/run.sh
-- compares each text with the backend's)
CREATE TEMP TABLE par_model AS SELECT schemasync.snapshot(ARRAY['par_m']) AS m;
CREATE FUNCTION pg_temp.model_rows(target text) RETURNS text
LANGUAGE sql AS $$
SELECT count(*) || ' rows, md5 ' || md5(coalesce(string_agg(d::text, E'\n' ORDER BY d.ordinal), ''))
FROM schemasync.diff((SELECT m FROM par_model),
	jsonb_build_object('allow_drops', true, 'schema_map', jsonb_build_object('par_m', target))) d
$$;
SET schemasync.parallel_read_relations = -1;
SELECT pg_temp.model_rows('par_a') AS model \gset serial_
SET schemasync.parallel_read_relations = 0;
SELECT pg_temp.model_rows('par_a') AS model \gset worker_
SELECT :'serial_model' = :'worker_model' AS same_model,
       :'serial_model' <> '0 rows, md5 d41d8cd98f00b204e9800998ecf8427e' AS model_has_rows;
-- no worker to be had: the backend deparses every text itself
SET max_parallel_workers = 0;
SELECT pg_temp.model_rows('par_a') = :'serial_model' AS same_model_without_worker;
RESET max_parallel_workers;
BEGIN;
SET LOCAL client_min_messages = warning;
DO $$
DECLARE
	model jsonb := (SELECT m FROM par_model);
BEGIN
	CALL schemasync.apply(model, '{"allow_drops": true, "schema_map": {"par_m": "par_a"}}');
END
$$;
RESET client_min_messages;
SELECT count(*) AS catalog_differences FROM ss_test.fingerprint_diff('par_a', 'par_m');
ROLLBACK;
-- a cancel during the read stops the worker too; the next call is as before
SET statement_timeout = 1;
SELECT count(*) FROM schemasync.diff((SELECT m FROM par_model),
	'{"schema_map": {"par_m": "par_a"}}');
RESET statement_timeout;
SELECT pg_temp.model_rows('par_a') = :'serial_model' AS same_model_after_cancel;

RESET schemasync.parallel_read_relations;
SET client_min_messages = warning;
DROP SCHEMA par_a, par_m, schemasync_bench CASCADE;
RESET client_min_messages;
