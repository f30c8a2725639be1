-- Shape 1 of the order-history projection: one version's table, ${table} = order_history_v<n> (see ProjectionShapes).
-- Identical to what V1__read_model.sql created as order_history_v1 (ShapeDdlTest compares the catalogs).
CREATE TABLE ${table} (
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
-- GET /customers/{email}/orders: one customer's orders newest first, keyset on (checked_out_at, order_id).
CREATE INDEX ${table}_customer ON ${table} (customer_id, checked_out_at DESC, order_id DESC);
-- GET /reports/revenue: invoiced orders of one currency in a time range, partial and covering the summed column.
CREATE INDEX ${table}_revenue ON ${table} (currency, checked_out_at) INCLUDE (invoice_total)
    WHERE invoice_number IS NOT NULL;
