-- Map shapes: every area's outline simplified as a coverage (neighbours keep shared edges,
-- no gaps) at a few levels of detail, one per zoom band, with coordinates rounded, stored as
-- GeoJSON geometry text ready to send. Built by geo.simplify at `python -m data build`.
-- detail 0: whole country (~1 km), 1: region/cluster (~300 m), 2: province (~100 m),
-- 3: amphoe/tambon (source shapes). grouping is '' for administrative levels.

CREATE TABLE map_shape (
    level VARCHAR NOT NULL CHECK (level IN ('region', 'cluster', 'province', 'amphoe', 'tambon')),
    grouping VARCHAR NOT NULL DEFAULT '',
    code VARCHAR NOT NULL CHECK (length(code) > 0),
    detail SMALLINT NOT NULL CHECK (detail BETWEEN 0 AND 3),
    vertices INTEGER NOT NULL CHECK (vertices > 0),
    geojson VARCHAR NOT NULL CHECK (starts_with(geojson, '{')),
    CHECK ((level IN ('region', 'cluster')) = (grouping <> '')),
    PRIMARY KEY (level, grouping, code, detail)
);

-- One row per build of map_shape; the map caches what it derives from the shapes by this id.
CREATE TABLE map_shape_build (
    id VARCHAR PRIMARY KEY,
    built_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    shapes INTEGER NOT NULL,
    seconds DOUBLE NOT NULL
);
