-- Official boundaries (OCHA COD-AB), province groupings and the 2012 village reference layer.
-- Geometry is EPSG:4326 (x = longitude, y = latitude); every shape must be valid and inside
-- Thailand's bounding box. P-codes: TH + 2 digits per level; a child's P-code starts with its
-- parent's, which the CHECKs below enforce.

CREATE TABLE province (
    pcode VARCHAR PRIMARY KEY CHECK (regexp_full_match(pcode, 'TH[0-9]{2}')),
    name_th VARCHAR NOT NULL CHECK (length(name_th) > 0),
    name_en VARCHAR NOT NULL,
    area_km2 DOUBLE NOT NULL CHECK (area_km2 > 0),
    geom GEOMETRY NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)
        AND ST_XMin(geom) >= 97 AND ST_XMax(geom) <= 106
        AND ST_YMin(geom) >= 5 AND ST_YMax(geom) <= 21),
    source_geom GEOMETRY CHECK (source_geom IS NULL OR ST_IsValid(source_geom))
);

CREATE TABLE amphoe (
    pcode VARCHAR PRIMARY KEY CHECK (regexp_full_match(pcode, 'TH[0-9]{4}')),
    province_pcode VARCHAR NOT NULL CHECK (province_pcode = substr(pcode, 1, 4)),
    name_th VARCHAR NOT NULL CHECK (length(name_th) > 0),
    name_en VARCHAR NOT NULL,
    area_km2 DOUBLE NOT NULL CHECK (area_km2 > 0),
    geom GEOMETRY NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)
        AND ST_XMin(geom) >= 97 AND ST_XMax(geom) <= 106
        AND ST_YMin(geom) >= 5 AND ST_YMax(geom) <= 21),
    source_geom GEOMETRY CHECK (source_geom IS NULL OR ST_IsValid(source_geom))
);

CREATE TABLE tambon (
    pcode VARCHAR PRIMARY KEY CHECK (regexp_full_match(pcode, 'TH[0-9]{6}')),
    amphoe_pcode VARCHAR NOT NULL CHECK (amphoe_pcode = substr(pcode, 1, 6)),
    province_pcode VARCHAR NOT NULL CHECK (province_pcode = substr(pcode, 1, 4)),
    name_th VARCHAR NOT NULL CHECK (length(name_th) > 0),
    name_en VARCHAR NOT NULL,
    area_km2 DOUBLE NOT NULL CHECK (area_km2 > 0),
    geom GEOMETRY NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)
        AND ST_XMin(geom) >= 97 AND ST_XMax(geom) <= 106
        AND ST_YMin(geom) >= 5 AND ST_YMax(geom) <= 21)
);

-- Where each level's data came from, and when it was loaded.
CREATE TABLE boundary_source (
    level VARCHAR PRIMARY KEY CHECK (level IN ('province', 'amphoe', 'tambon')),
    file VARCHAR NOT NULL,
    features INTEGER NOT NULL,
    repaired INTEGER NOT NULL DEFAULT 0,
    loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- A grouping maps every province to one cluster and every cluster to one region.
CREATE TABLE grouping (
    name VARCHAR PRIMARY KEY CHECK (regexp_full_match(name, '[a-z0-9][a-z0-9_-]{0,62}')),
    title_th VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE grouping_region (
    grouping VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    no INTEGER NOT NULL,
    name_th VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    area_km2 DOUBLE NOT NULL CHECK (area_km2 > 0),
    geom GEOMETRY NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    PRIMARY KEY (grouping, code)
);

CREATE TABLE grouping_cluster (
    grouping VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    no INTEGER NOT NULL,
    name_th VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    area_km2 DOUBLE NOT NULL CHECK (area_km2 > 0),
    geom GEOMETRY NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    PRIMARY KEY (grouping, code)
);

-- The primary key makes "at most one cluster per province" a schema rule; "at least one"
-- is checked before every grouping is committed (boundaries.groupings.validate_grouping).
CREATE TABLE grouping_province (
    grouping VARCHAR NOT NULL,
    province_pcode VARCHAR NOT NULL CHECK (regexp_full_match(province_pcode, 'TH[0-9]{2}')),
    cluster_code VARCHAR NOT NULL,
    PRIMARY KEY (grouping, province_pcode)
);

-- 2012 village points, reconciled to today's tambons by location and by name.
CREATE TABLE village (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    tambon_name VARCHAR,
    amphoe_name VARCHAR,
    province_name VARCHAR,
    geom GEOMETRY NOT NULL CHECK (ST_GeometryType(geom) = 'POINT' AND ST_IsValid(geom)
        AND ST_X(geom) BETWEEN 97 AND 106 AND ST_Y(geom) BETWEEN 5 AND 21),
    pcode_spatial VARCHAR CHECK (pcode_spatial IS NULL
        OR regexp_full_match(pcode_spatial, 'TH[0-9]{6}')),
    pcode_name VARCHAR CHECK (pcode_name IS NULL OR regexp_full_match(pcode_name, 'TH[0-9]{6}')),
    name_score DOUBLE,
    match_status VARCHAR NOT NULL
        CHECK (match_status IN ('agree', 'name_only', 'space_only', 'disagree', 'unmatched')),
    -- the tambon the product uses: where the point lies, else what its names say
    tambon_pcode VARCHAR CHECK (tambon_pcode IS NULL OR regexp_full_match(tambon_pcode, 'TH[0-9]{6}'))
);
