-- Shape 1 of the customers projection: one version's table, ${table} = customers_v<n> (see ProjectionShapes).
-- Identical to what V1__read_model.sql created as customers_v1 (ShapeDdlTest compares the catalogs).
-- email is COLLATE "C" (byte order): the primary key's b-tree then serves both the keyset order
-- (email > :after ORDER BY email LIMIT n) and an email prefix (email LIKE 'ali%').
CREATE TABLE ${table} (
    email      text COLLATE "C" PRIMARY KEY,
    name       text,
    country    text,
    phone      text,
    time_zone  text,
    import_id  text,
    updated_at timestamptz
);
-- GET /customers?country=FR: the country's customers in email order, straight off the index (keyset within it).
CREATE INDEX ${table}_country_email ON ${table} (country, email);
-- GET /customers?q=ali: a name prefix, case-insensitive (text_pattern_ops: LIKE 'ali%' as an index range).
CREATE INDEX ${table}_name_prefix ON ${table} (lower(name) text_pattern_ops);
