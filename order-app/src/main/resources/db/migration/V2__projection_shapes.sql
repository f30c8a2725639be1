-- Shapes: the layout of a projection's table is numbered by the release that defines it (db/shapes/<view>-<n>.sql,
-- the newest file being the release's shape). Each version records its shape: a release projects and serves only
-- versions of its own shape, and a release with a newer shape builds a version of it beside the live one by itself
-- (a rebuild), while the older release keeps serving until the switch. Everything V1 created is shape 1.
ALTER TABLE projection_versions
    ADD COLUMN live_shape     integer NOT NULL DEFAULT 1,
    ADD COLUMN building_shape integer;
UPDATE projection_versions SET building_shape = 1 WHERE building_version IS NOT NULL;
