-- "On hold / needs information" (รอข้อมูลเพิ่มเติม): a coordinator parks a report and says what
-- is missing; the member sees that status and the reason. DuckDB cannot alter a CHECK, so
-- need_report and decision are rebuilt with the same columns and the wider status lists,
-- their rows copied by column name (a column another migration added would make this fail
-- loudly rather than be dropped).

CREATE TABLE need_report_v12 (
    id BIGINT PRIMARY KEY DEFAULT nextval('need_report_id_seq'),
    receipt VARCHAR NOT NULL UNIQUE CHECK (regexp_full_match(receipt, 'NR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}')),
    form_id VARCHAR NOT NULL UNIQUE CHECK (regexp_full_match(form_id, '[A-Za-z0-9_-]{8,64}')),
    content_hash VARCHAR NOT NULL CHECK (regexp_full_match(content_hash, '[0-9a-f]{64}')),
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    geom GEOMETRY NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)
        AND ST_GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')
        AND ST_XMin(geom) >= 97 AND ST_XMax(geom) <= 106
        AND ST_YMin(geom) >= 5 AND ST_YMax(geom) <= 21
        AND (ST_GeometryType(geom) = 'POINT'
             OR 12.566370614359172 * ST_Area(geom) >= 1e-6 * ST_Perimeter(geom) ^ 2)
        AND ST_Area(geom) <= 0.0018),
    area_m2 DOUBLE NOT NULL CHECK (area_m2 >= 0 AND area_m2 <= 20000000),
    community_name VARCHAR NOT NULL CHECK (length(trim(community_name)) BETWEEN 1 AND 200),
    households INTEGER NOT NULL CHECK (households BETWEEN 1 AND 10000),
    problems VARCHAR[] NOT NULL CHECK (len(problems) >= 1 AND list_has_all(
        ['eviction', 'insecure_tenure', 'dilapidated', 'disaster_risk', 'rent', 'other'],
        problems)),
    landowner VARCHAR NOT NULL DEFAULT 'unknown' CHECK (landowner IN ('unknown', 'treasury',
        'state_railway', 'crown_property', 'private', 'local_authority', 'temple', 'other')),
    urgency VARCHAR NOT NULL CHECK (urgency IN ('low', 'medium', 'high')),
    description VARCHAR NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    status VARCHAR NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'on_hold', 'verified', 'rejected', 'merged')),
    merged_into BIGINT CHECK (merged_into IS NULL OR merged_into <> id),
    submitted_by VARCHAR,
    repairs VARCHAR[] NOT NULL DEFAULT [],
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    CHECK ((status = 'merged') = (merged_into IS NOT NULL))
);
INSERT INTO need_report_v12 BY NAME SELECT * FROM need_report;
DROP TABLE need_report;
ALTER TABLE need_report_v12 RENAME TO need_report;

CREATE TABLE decision_v12 (
    id BIGINT PRIMARY KEY DEFAULT nextval('decision_id_seq'),
    report_id BIGINT NOT NULL,
    actor VARCHAR NOT NULL CHECK (length(actor) > 0),
    decided_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    action VARCHAR NOT NULL CHECK (action IN ('verify', 'reject', 'merge', 'hold', 'reopen')),
    from_status VARCHAR NOT NULL,
    to_status VARCHAR NOT NULL
        CHECK (to_status IN ('pending', 'on_hold', 'verified', 'rejected', 'merged')),
    reason VARCHAR NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    merged_into BIGINT,
    -- rejecting needs a reason; so does a hold (what information is missing)
    CHECK (action NOT IN ('reject', 'hold') OR length(trim(reason)) > 0),
    CHECK ((action = 'merge') = (merged_into IS NOT NULL))
);
INSERT INTO decision_v12 BY NAME SELECT * FROM decision;
DROP TABLE decision;
ALTER TABLE decision_v12 RENAME TO decision;
