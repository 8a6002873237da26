/*
 * test/bench/harness.sql: server-side measuring helpers of the schemasync
 * benchmark (test/bench/run.sh).  Load after generate.sql:
 *
 *     psql -d DB -f test/bench/harness.sql
 *
 * Times are taken with clock_timestamp() inside the backend, so the client
 * and the network are not part of them.  Memory is read from the backend's
 * own /proc/self/status (needs a superuser, or pg_read_server_files).
 */

\set ON_ERROR_STOP 1

-- VmHWM, VmRSS, RssAnon, RssShmem of this backend in kB; NULL when
-- /proc/self/status cannot be read (not Linux, or not allowed).
CREATE OR REPLACE FUNCTION schemasync_bench.mem()
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
    st text;
BEGIN
    BEGIN
        st := pg_read_file('/proc/self/status');
    EXCEPTION WHEN OTHERS THEN
        RETURN NULL;
    END;
    RETURN (SELECT jsonb_object_agg(m[1], m[2]::bigint)
              FROM regexp_matches(st, '(VmHWM|VmRSS|RssAnon|RssShmem|RssFile):\s+(\d+) kB', 'g') AS m);
END
$fn$;

-- The fields of this backend's /proc/self/stat after "(comm) ", so that
-- field 3 (state) is the first; NULL when it cannot be read (not Linux, or
-- not allowed).
CREATE OR REPLACE FUNCTION schemasync_bench.stat_fields()
RETURNS text[]
LANGUAGE plpgsql
AS $fn$
DECLARE
    st text;
BEGIN
    BEGIN
        st := pg_read_file('/proc/self/stat');
    EXCEPTION WHEN OTHERS THEN
        RETURN NULL;
    END;
    RETURN regexp_split_to_array(substring(st FROM '\) (.*)$'), ' ');
END
$fn$;

-- CPU time (user + system) this backend has used so far, in ms (utime and
-- stime, fields 14 and 15, in clock ticks of 10 ms); NULL when it cannot be
-- read.  Unlike clock_timestamp() differences, it hardly moves with the load
-- of the machine, so the CI bound of the quick run is set on it.
CREATE OR REPLACE FUNCTION schemasync_bench.cpu_ms()
RETURNS float8
LANGUAGE sql
AS $$ SELECT (f[12]::bigint + f[13]::bigint) * 10.0 FROM schemasync_bench.stat_fields() AS f $$;

-- Minor page faults this backend has taken so far (minflt, field 10);
-- NULL when it cannot be read.  A page touched for the first time is one,
-- so a call that reuses memory the system took back shows them.
CREATE OR REPLACE FUNCTION schemasync_bench.minflt()
RETURNS bigint
LANGUAGE sql
AS $$ SELECT f[8]::bigint FROM schemasync_bench.stat_fields() AS f $$;

-- Bytes held by this backend's memory contexts now.
CREATE OR REPLACE FUNCTION schemasync_bench.ctx_bytes()
RETURNS bigint
LANGUAGE sql
AS $$ SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts $$;

/*
 * Runs query q (a SELECT) twice in this backend and returns, as one JSON
 * object: cold_ms (the first run, caches as a new connection has them),
 * rows (its row count), warm_ms (the second run), the backend's CPU time
 * of each (cold_cpu_ms, warm_cpu_ms; 10 ms resolution), its minor page
 * faults in each (cold_faults, warm_faults), the memory before and after
 * (mem0, mem1) and the memory contexts' bytes before and after.
 * Rows are counted with count(*), so they are produced but not sent.
 */
CREATE OR REPLACE FUNCTION schemasync_bench.measure(q text, warm boolean DEFAULT true)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
    m0 jsonb := schemasync_bench.mem();
    c0 bigint := schemasync_bench.ctx_bytes();
    t0 timestamptz;
    u0 float8;
    cold float8;
    hot float8;
    cold_cpu float8;
    hot_cpu float8;
    f0 bigint;
    cold_flt bigint;
    hot_flt bigint;
    n bigint;
BEGIN
    u0 := schemasync_bench.cpu_ms();
    f0 := schemasync_bench.minflt();
    t0 := clock_timestamp();
    EXECUTE 'SELECT count(*) FROM (' || q || ') AS q' INTO n;
    cold := 1000 * extract(epoch FROM clock_timestamp() - t0);
    cold_flt := schemasync_bench.minflt() - f0;
    cold_cpu := schemasync_bench.cpu_ms() - u0;
    IF warm THEN
        u0 := schemasync_bench.cpu_ms();
        f0 := schemasync_bench.minflt();
        t0 := clock_timestamp();
        EXECUTE 'SELECT count(*) FROM (' || q || ') AS q';
        hot := 1000 * extract(epoch FROM clock_timestamp() - t0);
        hot_flt := schemasync_bench.minflt() - f0;
        hot_cpu := schemasync_bench.cpu_ms() - u0;
    END IF;
    RETURN jsonb_build_object('cold_ms', cold, 'warm_ms', hot, 'rows', n,
                              'cold_cpu_ms', cold_cpu, 'warm_cpu_ms', hot_cpu,
                              'cold_faults', cold_flt, 'warm_faults', hot_flt,
                              'mem0', m0, 'mem1', schemasync_bench.mem(),
                              'ctx0', c0, 'ctx1', schemasync_bench.ctx_bytes());
END
$fn$;

/*
 * Times CALL schemasync.apply(target, reference, options) and then the
 * same statements run bare (EXECUTE of each row's ddl, search_path set to
 * the target as apply does), each inside a subtransaction that is rolled
 * back, so the schemas are unchanged afterwards.  Returns apply_ms, ddl_ms,
 * rows, and the memory after apply (mem1).  With what 'apply' or 'ddl',
 * one of the two is skipped.  With a model, CALL schemasync.apply(model,
 * options) instead (reference is ignored; target names the schema the
 * model's statements are for).
 */
CREATE OR REPLACE FUNCTION schemasync_bench.measure_apply(target text, reference text,
                                                          options jsonb DEFAULT '{"allow_drops": true}',
                                                          what text DEFAULT 'both',
                                                          model jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
    m0 jsonb := schemasync_bench.mem();
    m1 jsonb;
    t0 timestamptz;
    apply_ms float8;
    ddl_ms float8;
    stmts text[];
    stmt text;
BEGIN
    IF what IN ('both', 'apply') THEN
        BEGIN
            t0 := clock_timestamp();
            IF model IS NULL THEN
                CALL schemasync.apply(target, reference, options);
            ELSE
                CALL schemasync.apply(model, options);
            END IF;
            apply_ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
            RAISE EXCEPTION USING ERRCODE = 'SSB01', MESSAGE = 'schemasync bench: roll back';
        EXCEPTION WHEN SQLSTATE 'SSB01' THEN
            NULL;
        END;
        m1 := schemasync_bench.mem();
    END IF;
    IF what IN ('both', 'ddl') THEN
        IF model IS NULL THEN
            SELECT array_agg(d.ddl ORDER BY d.ordinal) INTO stmts
              FROM schemasync.diff(target, reference, options) AS d;
        ELSE
            SELECT array_agg(d.ddl ORDER BY d.ordinal) INTO stmts
              FROM schemasync.diff(model, options) AS d;
        END IF;
        BEGIN
            PERFORM set_config('search_path', quote_ident(target), true);
            t0 := clock_timestamp();
            FOREACH stmt IN ARRAY coalesce(stmts, '{}') LOOP
                EXECUTE stmt;
            END LOOP;
            ddl_ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
            RAISE EXCEPTION USING ERRCODE = 'SSB01', MESSAGE = 'schemasync bench: roll back';
        EXCEPTION WHEN SQLSTATE 'SSB01' THEN
            NULL;
        END;
    END IF;
    RETURN jsonb_build_object('apply_ms', apply_ms, 'ddl_ms', ddl_ms,
                              'rows', coalesce(array_length(stmts, 1), 0),
                              'mem0', m0, 'mem1', m1);
END
$fn$;

-- Models of the model-based scenarios (when snapshot() is implemented).
CREATE TABLE IF NOT EXISTS schemasync_bench.models (
    name text PRIMARY KEY,
    model jsonb NOT NULL
);

/*
 * Whether the model scenarios can run: 'ok' when snapshot() and
 * diff(model jsonb) work on a one-table probe schema, else why not
 * ('not implemented: ...' for feature_not_supported).  Leaves nothing
 * behind.
 */
CREATE OR REPLACE FUNCTION schemasync_bench.model_support()
RETURNS text
LANGUAGE plpgsql
AS $fn$
DECLARE
    res text;
    n bigint;
BEGIN
    BEGIN
        CREATE SCHEMA ssbench_probe;
        CREATE TABLE ssbench_probe.t (id integer PRIMARY KEY, v text NOT NULL DEFAULT '');
        SELECT count(*) INTO n FROM schemasync.diff(schemasync.snapshot(ARRAY['ssbench_probe']));
        res := CASE WHEN n = 0 THEN 'ok'
                    ELSE format('error: diff(snapshot()) of an unchanged schema returned %s rows', n) END;
        RAISE EXCEPTION USING ERRCODE = 'SSB01', MESSAGE = 'schemasync bench: roll back';
    EXCEPTION
        WHEN SQLSTATE 'SSB01' THEN
            NULL;
        WHEN feature_not_supported THEN
            res := 'not implemented (' || SQLERRM || ')';
        WHEN OTHERS THEN
            res := 'error: ' || SQLERRM;
    END;
    RETURN res;
END
$fn$;
