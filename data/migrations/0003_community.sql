-- Community data: organizations (กลุ่ม/องค์กรชุมชน), tambon community councils
-- (สภาองค์กรชุมชนตำบล), Baan Mankong projects (บ้านมั่นคง) and land cases (กรณีที่ดิน),
-- with the import log, the quarantine of refused rows and the history of changed rows.
--
-- Every community row is keyed to a tambon P-code and identified by (source, source_id): a
-- re-import of the same file updates rows instead of duplicating them. Dates are stored in
-- the Christian era (CE); the CHECKs refuse a Buddhist-era year stored as CE (2567 > 2199).
-- Geometry is EPSG:4326 (x = longitude), valid, inside Thailand's bounding box.
-- No foreign key to tambon: the build replaces the boundary tables; importers check that
-- a P-code exists, and the CHECKs enforce its shape.

CREATE SEQUENCE community_org_id_seq START 1;
CREATE SEQUENCE tambon_council_id_seq START 1;
CREATE SEQUENCE baan_mankong_project_id_seq START 1;
CREATE SEQUENCE land_case_id_seq START 1;
CREATE SEQUENCE import_batch_id_seq START 1;
CREATE SEQUENCE quarantine_id_seq START 1;
CREATE SEQUENCE record_history_id_seq START 1;

-- One run of an importer over one file (or the demo generator).
CREATE TABLE import_batch (
    id BIGINT PRIMARY KEY DEFAULT nextval('import_batch_id_seq'),
    kind VARCHAR NOT NULL
        CHECK (kind IN ('organization', 'council', 'project', 'land_case')),
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR,
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    mode VARCHAR NOT NULL CHECK (mode IN ('all_or_nothing', 'good_rows', 'demo', 'fix')),
    status VARCHAR NOT NULL CHECK (status IN ('committed', 'refused', 'partial')),
    encoding VARCHAR,
    rows_total INTEGER NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    inserted INTEGER NOT NULL DEFAULT 0 CHECK (inserted >= 0),
    updated INTEGER NOT NULL DEFAULT 0 CHECK (updated >= 0),
    unchanged INTEGER NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
    quarantined INTEGER NOT NULL DEFAULT 0 CHECK (quarantined >= 0),
    actor VARCHAR,
    started_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    finished_at TIMESTAMP,
    summary JSON
);

CREATE TABLE community_org (
    id BIGINT PRIMARY KEY DEFAULT nextval('community_org_id_seq'),
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    source_id VARCHAR NOT NULL CHECK (length(source_id) > 0),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_batch_id BIGINT,
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    village_id INTEGER,
    village_name VARCHAR,
    name VARCHAR NOT NULL CHECK (length(trim(name)) > 0),
    org_type VARCHAR NOT NULL DEFAULT 'other' CHECK (org_type IN
        ('savings_group', 'welfare_fund', 'womens_group', 'occupational_group', 'network',
         'other')),
    org_type_label VARCHAR,
    chair VARCHAR,
    members INTEGER CHECK (members IS NULL OR members BETWEEN 0 AND 1000000),
    capital_baht DOUBLE CHECK (capital_baht IS NULL OR capital_baht BETWEEN 0 AND 1e11),
    products VARCHAR,
    registered_date DATE CHECK (registered_date IS NULL
        OR (year(registered_date) BETWEEN 1900 AND 2199)),
    status VARCHAR NOT NULL DEFAULT 'unknown'
        CHECK (status IN ('active', 'inactive', 'dissolved', 'unknown')),
    geom GEOMETRY CHECK (geom IS NULL OR (ST_GeometryType(geom) = 'POINT'
        AND ST_IsValid(geom) AND ST_X(geom) BETWEEN 97 AND 106 AND ST_Y(geom) BETWEEN 5 AND 21)),
    UNIQUE (source, source_id)
);

CREATE TABLE tambon_council (
    id BIGINT PRIMARY KEY DEFAULT nextval('tambon_council_id_seq'),
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    source_id VARCHAR NOT NULL CHECK (length(source_id) > 0),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_batch_id BIGINT,
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    name VARCHAR,
    established_date DATE CHECK (established_date IS NULL
        OR (year(established_date) BETWEEN 1900 AND 2199)),
    member_orgs INTEGER CHECK (member_orgs IS NULL OR member_orgs BETWEEN 0 AND 100000),
    status VARCHAR NOT NULL DEFAULT 'unknown'
        CHECK (status IN ('active', 'inactive', 'dissolved', 'unknown')),
    geom GEOMETRY CHECK (geom IS NULL OR (ST_GeometryType(geom) = 'POINT'
        AND ST_IsValid(geom) AND ST_X(geom) BETWEEN 97 AND 106 AND ST_Y(geom) BETWEEN 5 AND 21)),
    UNIQUE (source, source_id)
);

CREATE TABLE baan_mankong_project (
    id BIGINT PRIMARY KEY DEFAULT nextval('baan_mankong_project_id_seq'),
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    source_id VARCHAR NOT NULL CHECK (length(source_id) > 0),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_batch_id BIGINT,
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    name VARCHAR NOT NULL CHECK (length(trim(name)) > 0),
    communities INTEGER CHECK (communities IS NULL OR communities BETWEEN 0 AND 10000),
    households INTEGER CHECK (households IS NULL OR households BETWEEN 0 AND 1000000),
    project_type VARCHAR CHECK (project_type IS NULL OR project_type IN
        ('onsite_upgrading', 'reblocking', 'reconstruction', 'nearby_relocation', 'relocation')),
    landowner_type VARCHAR CHECK (landowner_type IS NULL OR landowner_type IN
        ('treasury', 'state_railway', 'crown_property', 'private', 'local_authority', 'temple',
         'other')),
    land_arrangement VARCHAR CHECK (land_arrangement IS NULL OR land_arrangement IN
        ('long_lease', 'cooperative_ownership', 'purchase', 'other')),
    stage VARCHAR NOT NULL CHECK (stage IN
        ('survey', 'savings', 'land_negotiation', 'loan_approved', 'construction', 'completed')),
    subsidy_baht DOUBLE CHECK (subsidy_baht IS NULL OR subsidy_baht BETWEEN 0 AND 1e11),
    loan_baht DOUBLE CHECK (loan_baht IS NULL OR loan_baht BETWEEN 0 AND 1e11),
    start_date DATE CHECK (start_date IS NULL OR (year(start_date) BETWEEN 1900 AND 2199)),
    completion_date DATE CHECK (completion_date IS NULL
        OR (year(completion_date) BETWEEN 1900 AND 2199)),
    geom GEOMETRY CHECK (geom IS NULL OR (ST_GeometryType(geom) IN
        ('POINT', 'POLYGON', 'MULTIPOLYGON') AND ST_IsValid(geom) AND NOT ST_IsEmpty(geom)
        AND ST_XMin(geom) >= 97 AND ST_XMax(geom) <= 106
        AND ST_YMin(geom) >= 5 AND ST_YMax(geom) <= 21)),
    CHECK (completion_date IS NULL OR start_date IS NULL OR completion_date >= start_date),
    UNIQUE (source, source_id)
);

CREATE TABLE land_case (
    id BIGINT PRIMARY KEY DEFAULT nextval('land_case_id_seq'),
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    source_id VARCHAR NOT NULL CHECK (length(source_id) > 0),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_batch_id BIGINT,
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    community VARCHAR NOT NULL CHECK (length(trim(community)) > 0),
    households INTEGER CHECK (households IS NULL OR households BETWEEN 0 AND 1000000),
    area_rai DOUBLE CHECK (area_rai IS NULL OR area_rai BETWEEN 0 AND 1e7),
    landowner_type VARCHAR CHECK (landowner_type IS NULL OR landowner_type IN
        ('treasury', 'state_railway', 'crown_property', 'private', 'local_authority', 'temple',
         'other')),
    tenure_status VARCHAR NOT NULL CHECK (tenure_status IN
        ('secure', 'insecure', 'eviction_threat', 'dispute')),
    geom GEOMETRY CHECK (geom IS NULL OR (ST_GeometryType(geom) IN
        ('POINT', 'POLYGON', 'MULTIPOLYGON') AND ST_IsValid(geom) AND NOT ST_IsEmpty(geom)
        AND ST_XMin(geom) >= 97 AND ST_XMax(geom) <= 106
        AND ST_YMin(geom) >= 5 AND ST_YMax(geom) <= 21)),
    UNIQUE (source, source_id)
);

-- Rows an import refused, kept whole so nothing is lost; a coordinator fixes or discards them.
CREATE TABLE quarantine (
    id BIGINT PRIMARY KEY DEFAULT nextval('quarantine_id_seq'),
    batch_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('organization', 'council', 'project', 'land_case')),
    file_name VARCHAR NOT NULL,
    row_number INTEGER NOT NULL CHECK (row_number >= 0),
    source VARCHAR NOT NULL,
    source_id VARCHAR,
    raw JSON NOT NULL,
    reason_code VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    reason_th VARCHAR NOT NULL,
    candidates JSON,
    status VARCHAR NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'fixed', 'discarded', 'superseded')),
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    resolved_at TIMESTAMP,
    resolved_by VARCHAR,
    resolved_table VARCHAR,
    resolved_record_id BIGINT,
    note VARCHAR
);

-- The previous values of a community row each time an import or a fix changed it.
CREATE TABLE record_history (
    id BIGINT PRIMARY KEY DEFAULT nextval('record_history_id_seq'),
    table_name VARCHAR NOT NULL CHECK (table_name IN
        ('community_org', 'tambon_council', 'baan_mankong_project', 'land_case')),
    record_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    batch_id BIGINT,
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor VARCHAR,
    previous JSON NOT NULL
);

CREATE INDEX community_org_tambon_idx ON community_org (tambon_pcode);
CREATE INDEX tambon_council_tambon_idx ON tambon_council (tambon_pcode);
CREATE INDEX baan_mankong_project_tambon_idx ON baan_mankong_project (tambon_pcode);
CREATE INDEX land_case_tambon_idx ON land_case (tambon_pcode);
