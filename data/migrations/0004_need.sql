-- Housing need marked by community members (แจ้งความเดือดร้อนด้านที่อยู่อาศัย), coordinators'
-- decisions on it, accounts and roles, and the audit trail of every change.
-- Geometry is EPSG:4326 (x = longitude, y = latitude). The CHECKs below are the last line:
-- geo.validate repairs or refuses a drawing before it gets here, but no code path can store
-- an invalid, empty, out-of-Thailand or oversized shape, or a malformed P-code.
-- No foreign keys: DuckDB refuses updates of rows a foreign key points at, and reports are
-- updated (status) after decisions point at them; the library keeps the links.

CREATE TABLE account (
    username VARCHAR PRIMARY KEY CHECK (regexp_full_match(username, '[a-z0-9][a-z0-9_.@-]{1,63}')),
    display_name VARCHAR NOT NULL CHECK (length(trim(display_name)) > 0),
    role VARCHAR NOT NULL CHECK (role IN ('viewer', 'member', 'coordinator', 'analyst', 'admin')),
    -- coordinators: a province P-code (TH10), or 'cluster:<grouping>:<code>' or
    -- 'region:<grouping>:<code>'; NULL = the whole country
    scope VARCHAR CHECK (scope IS NULL OR regexp_full_match(scope, 'TH[0-9]{2}')
        OR regexp_full_match(scope, '(cluster|region):[a-z0-9][a-z0-9_-]{0,62}:[A-Za-z0-9_.-]{1,32}')),
    password_hash VARCHAR CHECK (password_hash IS NULL OR password_hash LIKE '$2%'),
    -- 'builtin' accounts sign in with a password, 'oidc' ones through st.login
    auth VARCHAR NOT NULL DEFAULT 'builtin' CHECK (auth IN ('builtin', 'oidc')),
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP
);

CREATE SEQUENCE need_report_id_seq START 1;

CREATE TABLE need_report (
    id BIGINT PRIMARY KEY DEFAULT nextval('need_report_id_seq'),
    receipt VARCHAR NOT NULL UNIQUE CHECK (regexp_full_match(receipt, 'NR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}')),
    -- made by the form when it opens; the same form submitted twice stores one report
    form_id VARCHAR NOT NULL UNIQUE CHECK (regexp_full_match(form_id, '[A-Za-z0-9_-]{8,64}')),
    content_hash VARCHAR NOT NULL CHECK (regexp_full_match(content_hash, '[0-9a-f]{64}')),
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    geom GEOMETRY NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)
        AND ST_GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')
        AND ST_XMin(geom) >= 97 AND ST_XMax(geom) <= 106
        AND ST_YMin(geom) >= 5 AND ST_YMax(geom) <= 21
        -- an area must have a size: not a sliver (isoperimetric quotient 4*pi*A/P^2 >= 1e-6)
        AND (ST_GeometryType(geom) = 'POINT'
             OR 12.566370614359172 * ST_Area(geom) >= 1e-6 * ST_Perimeter(geom) ^ 2)
        -- about 20 km2 anywhere in Thailand (1 square degree is 11,600-12,300 km2 there)
        AND ST_Area(geom) <= 0.0018),
    area_m2 DOUBLE NOT NULL CHECK (area_m2 >= 0 AND area_m2 <= 20000000),
    community_name VARCHAR NOT NULL CHECK (length(trim(community_name)) BETWEEN 1 AND 200),
    households INTEGER NOT NULL CHECK (households BETWEEN 1 AND 10000),
    problems VARCHAR[] NOT NULL CHECK (len(problems) >= 1 AND list_has_all(
        ['eviction', 'insecure_tenure', 'dilapidated', 'disaster_risk', 'rent', 'other'],
        problems)),
    -- the same codes as land_case.landowner_type (0003), plus 'unknown'
    landowner VARCHAR NOT NULL DEFAULT 'unknown' CHECK (landowner IN ('unknown', 'treasury',
        'state_railway', 'crown_property', 'private', 'local_authority', 'temple', 'other')),
    urgency VARCHAR NOT NULL CHECK (urgency IN ('low', 'medium', 'high')),
    description VARCHAR NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    status VARCHAR NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'verified', 'rejected', 'merged')),
    merged_into BIGINT CHECK (merged_into IS NULL OR merged_into <> id),
    submitted_by VARCHAR,
    repairs VARCHAR[] NOT NULL DEFAULT [],
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    CHECK ((status = 'merged') = (merged_into IS NOT NULL))
);

-- Private contact details: a separate table, never exported, shown only to coordinators.
CREATE TABLE need_contact (
    report_id BIGINT PRIMARY KEY,
    name VARCHAR CHECK (name IS NULL OR length(name) <= 200),
    phone VARCHAR CHECK (phone IS NULL OR regexp_full_match(phone, '[0-9+() -]{6,20}')),
    note VARCHAR CHECK (note IS NULL OR length(note) <= 500),
    CHECK (name IS NOT NULL OR phone IS NOT NULL OR note IS NOT NULL)
);

CREATE SEQUENCE decision_id_seq START 1;

CREATE TABLE decision (
    id BIGINT PRIMARY KEY DEFAULT nextval('decision_id_seq'),
    report_id BIGINT NOT NULL,
    actor VARCHAR NOT NULL CHECK (length(actor) > 0),
    decided_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    action VARCHAR NOT NULL CHECK (action IN ('verify', 'reject', 'merge', 'reopen')),
    from_status VARCHAR NOT NULL,
    to_status VARCHAR NOT NULL
        CHECK (to_status IN ('pending', 'verified', 'rejected', 'merged')),
    reason VARCHAR NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    merged_into BIGINT,
    CHECK (action <> 'reject' OR length(trim(reason)) > 0),
    CHECK ((action = 'merge') = (merged_into IS NOT NULL))
);

CREATE SEQUENCE audit_log_id_seq START 1;

-- Who did what, when, to which record, with the values before and after (JSON; NULL before
-- a create and after a delete). Written in the same transaction as the change itself.
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id_seq'),
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor VARCHAR NOT NULL CHECK (length(actor) > 0),
    action VARCHAR NOT NULL CHECK (regexp_full_match(action, '[a-z][a-z_]{1,31}')),
    table_name VARCHAR NOT NULL CHECK (regexp_full_match(table_name, '[a-z][a-z0-9_]{0,62}')),
    record_id VARCHAR NOT NULL,
    before JSON,
    after JSON
);
CREATE INDEX audit_log_record ON audit_log (table_name, record_id);
