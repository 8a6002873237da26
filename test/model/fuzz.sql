-- test/model/fuzz.sql: mutate valid models many times; every rejection must
-- be a clean error, and the backend must never crash (a crash ends this
-- psql session, and the runner fails).
--
-- psql variables: iterations, seed.

CREATE SCHEMA IF NOT EXISTS fuzz_target;
CREATE SCHEMA IF NOT EXISTS fuzz_src;
SET search_path = fuzz_src;
CREATE TABLE IF NOT EXISTS users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name varchar(50) COLLATE "C",
    created timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS orders (
    id serial PRIMARY KEY,
    user_id bigint REFERENCES users (id) ON DELETE CASCADE,
    status varchar(10) CHECK (status IN ('new', 'paid')),
    total numeric(10, 2) GENERATED ALWAYS AS (0) STORED
);
CREATE INDEX IF NOT EXISTS orders_open ON orders (user_id) WHERE status = 'new';
COMMENT ON TABLE users IS 'people';
RESET search_path;

-- every JSON path of a document, as text[] arrays
CREATE OR REPLACE FUNCTION pg_temp.paths(doc jsonb, prefix text[] DEFAULT '{}')
RETURNS SETOF text[] LANGUAGE plpgsql AS $$
DECLARE
    k text;
    i int;
BEGIN
    IF jsonb_typeof(doc) = 'object' THEN
        FOR k IN SELECT jsonb_object_keys(doc) LOOP
            RETURN NEXT prefix || k;
            RETURN QUERY SELECT pg_temp.paths(doc -> k, prefix || k);
        END LOOP;
    ELSIF jsonb_typeof(doc) = 'array' THEN
        FOR i IN 0 .. jsonb_array_length(doc) - 1 LOOP
            RETURN NEXT prefix || i::text;
            RETURN QUERY SELECT pg_temp.paths(doc -> i, prefix || i::text);
        END LOOP;
    END IF;
END
$$;

-- one random mutation of a document
CREATE OR REPLACE FUNCTION pg_temp.mutate(doc jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    ps text[][];
    p text[];
    op int := floor(random() * 10)::int;
    vals jsonb[] := ARRAY['null', '7', '-1', '1e400', 'true', 'false', '""', '"x"', '[]', '{}',
                          '"int); DROP TABLE fuzz_src.users; --"', '"x\"; DROP TABLE fuzz_src.users; --"',
                          '"table:nowhere"', '"CREATE INDEX i ON users (id)"', '"PRIMARY KEY (nope)"',
                          '[1, 2, 3]', '{"kind": "table"}', '"\u00e9\u00e8"']::jsonb[];
    v jsonb := vals[1 + floor(random() * array_length(vals, 1))::int];
    n int;
BEGIN
    SELECT array_agg(x) INTO ps FROM (SELECT array_to_string(q, chr(31)) AS x FROM pg_temp.paths(doc) q) s;
    IF ps IS NULL THEN
        RETURN v;
    END IF;
    p := string_to_array(ps[1 + floor(random() * array_length(ps, 1))::int], chr(31));
    IF op < 3 THEN
        RETURN doc #- p;                            -- drop a field or element
    ELSIF op < 6 THEN
        RETURN jsonb_set(doc, p, v);                -- change a value's type or content
    ELSIF op = 6 THEN
        RETURN jsonb_set(doc, p, to_jsonb(repeat('y', 70000)));   -- a huge string
    ELSIF op = 7 AND jsonb_typeof(doc #> p) = 'array' THEN
        n := jsonb_array_length(doc #> p);          -- duplicate an element
        IF n > 0 THEN
            RETURN jsonb_insert(doc, p || '0'::text, (doc #> p) -> floor(random() * n)::int);
        END IF;
        RETURN doc;
    ELSIF op = 8 AND jsonb_typeof(doc #> p) = 'array' THEN
        RETURN jsonb_set(doc, p, (SELECT coalesce(jsonb_agg(e ORDER BY random()), '[]')
                                  FROM jsonb_array_elements(doc #> p) e));   -- shuffle
    ELSE
        -- truncate the text and keep what still parses
        BEGIN
            RETURN left(doc::text, floor(random() * length(doc::text))::int)::jsonb;
        EXCEPTION WHEN others THEN
            RETURN doc #- p;
        END;
    END IF;
END
$$;

SELECT setseed(:seed);
DO $$
DECLARE
    base jsonb := schemasync.snapshot(ARRAY['fuzz_src']);
    doc jsonb;
    tried int := 0;
    rejected int := 0;
    accepted int := 0;
    applied int := 0;
    state text;
    msg text;
    bad int := 0;
    k int;
    opts jsonb := '{"schema_map": {"fuzz_src": "fuzz_target"}, "allow_drops": true, "history": false}';
BEGIN
    FOR i IN 1 .. current_setting('fuzz.iterations')::int LOOP
        doc := base;
        FOR k IN 1 .. 1 + floor(random() * 3)::int LOOP
            doc := pg_temp.mutate(doc);
        END LOOP;
        tried := tried + 1;
        BEGIN
            PERFORM count(*) FROM schemasync.diff(doc, opts);
            accepted := accepted + 1;
            IF i % 10 = 0 THEN
                BEGIN
                    CALL schemasync.apply(doc, opts);
                    applied := applied + 1;
                    RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
                EXCEPTION WHEN raise_exception THEN
                    NULL;
                END;
            END IF;
        EXCEPTION WHEN others THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            rejected := rejected + 1;
            -- a clean rejection: a user-input class, never an internal error
            IF state NOT IN ('22023', '22004', '0A000', '3F000', '42601', '42704', '42P07',
                             '42710', '42703', '42P01', '42P16', '42804', '42P17', '42883',
                             '22P02', '42846', '42P10', '42830', '55000', '42809', '42P13',
                             '42611', '22003', '42P18', '42725', '42601', '54000', '42622',
                             '22023', '2BP01', '42P20', '42939', '42P22', '428C9', '22001')
               OR msg LIKE '%unexpected%' THEN
                bad := bad + 1;
                RAISE WARNING 'unclean rejection %: %', state, msg;
            END IF;
        END;
    END LOOP;
    RAISE NOTICE 'fuzz: % models tried, % rejected cleanly, % accepted (% applied and rolled back), % unclean, 0 crashes',
        tried, rejected - bad, accepted, applied, bad;
    IF bad > 0 THEN
        RAISE EXCEPTION 'fuzz: % unclean rejections', bad;
    END IF;
END
$$;
