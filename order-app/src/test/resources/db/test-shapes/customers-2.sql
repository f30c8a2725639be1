-- A next shape of the customers projection, for ShapeChangeTest only: shape 1 plus a column and its index (what a
-- release that adds a field to customers would ship as db/shapes/customers-2.sql).
CREATE TABLE ${table} (
    email      text COLLATE "C" PRIMARY KEY,
    name       text,
    country    text,
    phone      text,
    time_zone  text,
    import_id  text,
    updated_at timestamptz,
    segment    text
);
CREATE INDEX ${table}_country_email ON ${table} (country, email);
CREATE INDEX ${table}_name_prefix ON ${table} (lower(name) text_pattern_ops);
CREATE INDEX ${table}_segment ON ${table} (segment, email);
