-- order-app's read model (pattern 1): tables shaped for the queries of /customers and /reports, fed only by the
-- projections (event-kit projection): each batch's rows commit with the consumed offsets in one transaction.

-- Where each projection version stands: the next offset per topic partition. The source of truth for the projections'
-- consumers (they seek here on assignment); Kafka's group offsets are never committed.
CREATE TABLE projection_offsets (
    projection     text        NOT NULL,
    version        integer     NOT NULL,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    next_offset    bigint      NOT NULL,
    last_record_at timestamptz,
    PRIMARY KEY (projection, version, topic, partition)
);

-- Versions: every projection writes tables of its version (customers_v1, order_history_v1, ...); the queries read the
-- views customers and order_history, which point at the live version. A rebuild fills version n+1 beside n
-- (CREATE TABLE ... (LIKE ..._vn INCLUDING ALL): same columns, collations and indexes) while n keeps serving, then
-- switches in ONE transaction: the view and projection_versions.live_version change together, and readers see
-- either n or n+1, never a half-built table. Version n's table is dropped after the switch.
CREATE TABLE projection_versions (
    projection       text PRIMARY KEY,
    live_version     integer NOT NULL,
    building_version integer
);
INSERT INTO projection_versions (projection, live_version) VALUES ('customers', 1), ('order-history', 1);

-- customers <- import.contacts (compacted, key = normalised email; a tombstone deletes).
-- email is COLLATE "C" (byte order): the primary key's b-tree then serves both the keyset order
-- (email > :after ORDER BY email LIMIT n) and an email prefix (email LIKE 'ali%'), which a b-tree in a
-- language collation cannot do.
CREATE TABLE customers_v1 (
    email      text COLLATE "C" PRIMARY KEY,
    name       text,
    country    text,
    phone      text,
    time_zone  text,
    import_id  text,
    updated_at timestamptz
);
-- GET /customers?country=FR: the country's customers in email order, straight off the index (keyset within it).
CREATE INDEX customers_v1_country_email ON customers_v1 (country, email);
-- GET /customers?q=ali: a name prefix, case-insensitive (text_pattern_ops: LIKE 'ali%' as an index range).
CREATE INDEX customers_v1_name_prefix ON customers_v1 (lower(name) text_pattern_ops);

-- order history <- orders.deliveries.store (items, customer, delivery status) and orders.invoices (invoice number,
-- currency, total): both compacted, so a rebuild from offset 0 sees every order. Either may arrive first; each
-- fills its own columns.
CREATE TABLE order_history_v1 (
    order_id         text COLLATE "C" PRIMARY KEY,
    customer_id      text COLLATE "C" NOT NULL,
    checked_out_at   timestamptz NOT NULL,
    shipping_country text,
    items            jsonb,
    items_total      numeric(30, 4),
    delivery_status  text,
    invoice_number   bigint,
    currency         text,
    invoice_total    numeric(30, 4)
);
-- GET /customers/{email}/orders: one customer's orders newest first, keyset on (checked_out_at, order_id): an index
-- range scan that stops after one page, however many orders the customer has.
CREATE INDEX order_history_v1_customer ON order_history_v1 (customer_id, checked_out_at DESC, order_id DESC);
-- GET /reports/revenue?currency=EUR&from=&to=: invoiced orders of one currency in a time range; partial (only
-- invoiced orders count as revenue) and covering the summed column, so the report reads the index only.
CREATE INDEX order_history_v1_revenue ON order_history_v1 (currency, checked_out_at) INCLUDE (invoice_total)
    WHERE invoice_number IS NOT NULL;

CREATE VIEW customers AS SELECT * FROM customers_v1;
CREATE VIEW order_history AS SELECT * FROM order_history_v1;
