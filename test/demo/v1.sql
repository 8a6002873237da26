-- test/demo/v1.sql: version 1 of a small shop schema, as deployed today.
CREATE TABLE customers (
    id serial PRIMARY KEY,
    email varchar(100) NOT NULL UNIQUE,
    full_name varchar(50),
    legacy_code text
);

CREATE TABLE products (
    id serial PRIMARY KEY,
    sku varchar(20) NOT NULL,
    title text NOT NULL,
    price numeric(8,2) NOT NULL
);
CREATE INDEX products_title ON products (title);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customers (id),
    status varchar(10) NOT NULL DEFAULT 'new',
    placed_at timestamp DEFAULT now()
);

-- a report the support team reads
CREATE VIEW customer_names AS
    SELECT id, full_name FROM customers;
