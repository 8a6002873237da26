--
-- partitions: partitioned tables, partitions (range, list, hash, default,
-- sub-partitions), attach/detach, partition key changes, indexes,
-- constraints and foreign keys that partitions inherit (never emitted
-- twice), partitions' own column settings, and classic INHERITS children.
--
-- Each case is one call of ss_test.rt(A, B) (see
-- test/regress/harness.sql): the exact rows of schemasync.diff in each
-- direction, then the outcome of apply, of the re-diff and of an
-- independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

\set prefix prt
\i test/regress/harness.sql

-- a range-partitioned table with partitions and a default partition
SELECT * FROM ss_test.rt($$ $$, $$
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text)
    PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events_other PARTITION OF events DEFAULT;
COMMENT ON TABLE events_2026 IS 'this year';
$$);

-- list and hash partitioning, and a partition that is partitioned itself
SELECT * FROM ss_test.rt($$ $$, $$
CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL, n int)
    PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('de', 'fr')
    PARTITION BY HASH (id);
CREATE TABLE orders_eu_0 PARTITION OF orders_eu FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE orders_eu_1 PARTITION OF orders_eu FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
$$);

-- partitions with their own defaults and NOT NULL
SELECT * FROM ss_test.rt($$
CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL,
    priority int DEFAULT 0, notes text) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
$$, $$
CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL,
    priority int DEFAULT 0, notes text) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders (priority DEFAULT 5) FOR VALUES IN ('eu');
CREATE TABLE orders_us PARTITION OF orders (priority DEFAULT 10, notes NOT NULL)
    FOR VALUES IN ('us');
$$);

-- the parent's default changes while a partition keeps its own, and a
-- column added to and a type changed on the partitioned table
SELECT * FROM ss_test.rt($$
CREATE TABLE t (id int NOT NULL, k int NOT NULL, v int DEFAULT 1, w text)
    PARTITION BY RANGE (k);
CREATE TABLE t_1 PARTITION OF t (v DEFAULT 7) FOR VALUES FROM (0) TO (10);
CREATE TABLE t_2 PARTITION OF t FOR VALUES FROM (10) TO (20);
$$, $$
CREATE TABLE t (id bigint NOT NULL, k int NOT NULL, v int DEFAULT 2, w text NOT NULL,
    added text DEFAULT 'x') PARTITION BY RANGE (k);
CREATE TABLE t_1 PARTITION OF t (v DEFAULT 7) FOR VALUES FROM (0) TO (10);
CREATE TABLE t_2 PARTITION OF t FOR VALUES FROM (10) TO (20);
$$);

-- an index, a unique key and a foreign key on a partitioned table that
-- already has partitions: the partitions' copies are PostgreSQL's
SELECT * FROM ss_test.rt($$
CREATE TABLE customers (id int PRIMARY KEY);
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, customer int, payload jsonb)
    PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
$$, $$
CREATE TABLE customers (id int PRIMARY KEY);
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, customer int, payload jsonb,
    CONSTRAINT events_pkey PRIMARY KEY (id, at),
    CONSTRAINT events_customer_fkey FOREIGN KEY (customer) REFERENCES customers (id),
    CONSTRAINT events_id_check CHECK (id > 0))
    PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX events_payload_idx ON events USING gin (payload);
COMMENT ON INDEX events_payload_idx IS 'search';
$$);

-- a partition's own index, besides the inherited ones
SELECT * FROM ss_test.rt($$
CREATE TABLE m (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE m_1 PARTITION OF m FOR VALUES IN (1);
CREATE INDEX m_k_idx ON m (k);
$$, $$
CREATE TABLE m (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE m_1 PARTITION OF m FOR VALUES IN (1);
CREATE INDEX m_k_idx ON m (k);
CREATE INDEX m_1_id_idx ON m_1 (id);
$$);

-- a partition's bound changes: detached and attached again, rows kept
SELECT * FROM ss_test.rt($$
CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY RANGE (k);
CREATE TABLE p_lo PARTITION OF p FOR VALUES FROM (0) TO (10);
$$, $$
CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY RANGE (k);
CREATE TABLE p_lo PARTITION OF p FOR VALUES FROM (0) TO (100);
$$);

-- a plain table becomes a partition (ATTACH), and back (DETACH)
SELECT * FROM ss_test.rt($$
CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE p_1 (id int NOT NULL, k int NOT NULL);
$$, $$
CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1);
$$);

-- a partition moves to another partitioned table
SELECT * FROM ss_test.rt($$
CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE q (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE c PARTITION OF p FOR VALUES IN (1);
$$, $$
CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE q (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE c PARTITION OF q FOR VALUES IN (2);
$$);

-- the partition key changes: the table and its partitions are replaced
SELECT * FROM ss_test.rt($$
CREATE TABLE r (id int NOT NULL, a int NOT NULL, b int NOT NULL) PARTITION BY RANGE (a);
CREATE TABLE r_1 PARTITION OF r FOR VALUES FROM (0) TO (10);
CREATE INDEX r_b_idx ON r (b);
$$, $$
CREATE TABLE r (id int NOT NULL, a int NOT NULL, b int NOT NULL) PARTITION BY RANGE (b);
CREATE TABLE r_1 PARTITION OF r FOR VALUES FROM (0) TO (10);
CREATE INDEX r_b_idx ON r (b);
$$);

-- a plain table becomes partitioned: replaced
SELECT * FROM ss_test.rt($$
CREATE TABLE s (id int NOT NULL, k int NOT NULL);
$$, $$
CREATE TABLE s (id int NOT NULL, k int NOT NULL) PARTITION BY HASH (id);
CREATE TABLE s_0 PARTITION OF s FOR VALUES WITH (MODULUS 1, REMAINDER 0);
$$);

-- classic inheritance: a child with its own column and an inherited CHECK
SELECT * FROM ss_test.rt($$ $$, $$
CREATE TABLE base (id int NOT NULL, note text DEFAULT 'n', CHECK (id > 0));
CREATE TABLE child (extra int) INHERITS (base);
CREATE TABLE both_ (id int, more text) INHERITS (base);
$$);

-- a parent gains a column and changes a default; the child follows
SELECT * FROM ss_test.rt($$
CREATE TABLE base (id int NOT NULL, note text DEFAULT 'n');
CREATE TABLE child (extra int) INHERITS (base);
$$, $$
CREATE TABLE base (id int NOT NULL, note text DEFAULT 'm', added int NOT NULL DEFAULT 0);
CREATE TABLE child (extra int) INHERITS (base);
$$);

-- a table starts or stops inheriting
SELECT * FROM ss_test.rt($$
CREATE TABLE base (id int NOT NULL);
CREATE TABLE other (id int NOT NULL, x int);
$$, $$
CREATE TABLE base (id int NOT NULL);
CREATE TABLE other (x int) INHERITS (base);
$$);

-- a new partition beside a default partition (which PostgreSQL scans), and
-- a foreign key that references a partitioned table
SELECT * FROM ss_test.rt($$
CREATE TABLE p (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE p_def PARTITION OF p DEFAULT;
$$, $$
CREATE TABLE p (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE p_def PARTITION OF p DEFAULT;
CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1);
COMMENT ON COLUMN p_1.k IS 'always 1';
CREATE TABLE refs (id int, k int, FOREIGN KEY (id, k) REFERENCES p (id, k));
$$);

-- an INHERITS child with its own default on an inherited column, and a
-- grandchild that follows a column added to the top parent
SELECT * FROM ss_test.rt($$
CREATE TABLE base (id int NOT NULL, note text DEFAULT 'n');
CREATE TABLE mid (m int) INHERITS (base);
CREATE TABLE leaf (l int) INHERITS (mid);
$$, $$
CREATE TABLE base (id int NOT NULL, note text DEFAULT 'n', added int DEFAULT 1);
CREATE TABLE mid (m int) INHERITS (base);
CREATE TABLE leaf (l int) INHERITS (mid);
CREATE TABLE own () INHERITS (base);
ALTER TABLE own ALTER COLUMN note SET DEFAULT 'own';
$$);

-- a table with an index of its own becomes a partition of a table with
-- the same index
SELECT * FROM ss_test.rt($$
CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE INDEX p_id_idx ON p (id);
CREATE TABLE p_1 (id int NOT NULL, k int NOT NULL);
CREATE INDEX p_1_id_idx ON p_1 (id);
$$, $$
CREATE TABLE p (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE INDEX p_id_idx ON p (id);
CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1);
$$);

-- a partition that a foreign key references goes while the key stays; a
-- partition with the parent's primary key is detached into a table with a
-- primary key of its own
SELECT * FROM ss_test.rt($$
CREATE TABLE p (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1);
CREATE TABLE p_2 PARTITION OF p FOR VALUES IN (2);
CREATE TABLE refs (id int, k int, FOREIGN KEY (id, k) REFERENCES p (id, k));
$$, $$
CREATE TABLE p (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1);
CREATE TABLE p_2 (id int NOT NULL, k int NOT NULL, CONSTRAINT p_2_pkey PRIMARY KEY (id, k));
CREATE TABLE refs (id int, k int, FOREIGN KEY (id, k) REFERENCES p (id, k));
$$);

-- a table is attached to a partitioned table with a CHECK constraint, or
-- starts inheriting from a table with one: it must have the CHECK first
-- (one of the same name is merged)
SELECT * FROM ss_test.rt($$
CREATE TABLE p (id int NOT NULL, k int NOT NULL, CONSTRAINT p_id_check CHECK (id > 0))
    PARTITION BY LIST (k);
CREATE TABLE p_1 (id int NOT NULL, k int NOT NULL);
CREATE TABLE p_2 (id int NOT NULL, k int NOT NULL, CONSTRAINT p_id_check CHECK (id > 0));
CREATE TABLE base (id int, CONSTRAINT base_id_check CHECK (id <> 0));
CREATE TABLE kid (id int);
$$, $$
CREATE TABLE p (id int NOT NULL, k int NOT NULL, CONSTRAINT p_id_check CHECK (id > 0))
    PARTITION BY LIST (k);
CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1);
CREATE TABLE p_2 PARTITION OF p FOR VALUES IN (2);
CREATE TABLE base (id int, CONSTRAINT base_id_check CHECK (id <> 0));
CREATE TABLE kid () INHERITS (base);
$$);

-- generated columns of a partitioned table and of an INHERITS parent, read
-- on both sides with their expressions left for later: the partitions and
-- children diff their copies of the parent's columns against what the
-- parent's statements make of them (a copy takes the new expression, and
-- must not deparse its own over it), and new ones get them from the parent
SELECT * FROM ss_test.rt($$
CREATE TABLE m (id int NOT NULL, k int NOT NULL,
    g int GENERATED ALWAYS AS (k * 2) STORED) PARTITION BY RANGE (k);
CREATE TABLE m_1 PARTITION OF m FOR VALUES FROM (0) TO (10);
CREATE TABLE p (id int, k int, g int GENERATED ALWAYS AS (k + 1) STORED);
CREATE TABLE c () INHERITS (p);
$$, $$
CREATE TABLE m (id int NOT NULL, k int NOT NULL,
    g int GENERATED ALWAYS AS (k * 3) STORED,
    h int GENERATED ALWAYS AS (id + k) STORED) PARTITION BY RANGE (k);
CREATE TABLE m_1 PARTITION OF m FOR VALUES FROM (0) TO (10);
CREATE TABLE m_2 PARTITION OF m FOR VALUES FROM (10) TO (20);
CREATE TABLE p (id int, k int, g int GENERATED ALWAYS AS (k + 1) STORED,
    h int GENERATED ALWAYS AS (k - id) STORED);
CREATE TABLE c () INHERITS (p);
CREATE TABLE c2 () INHERITS (p);
$$);
