-- Community development plans (แผนพัฒนาชุมชนท้องถิ่น) and their items, people developed
-- through the movement's training, and organisation assessments on a versioned checklist
-- (seed 003, strategic issues 1.4, 2.3, 3, 4.4, 4.5; seed 004's registry of groups).
--
-- Like the community records of 0003: keyed to a tambon P-code, identified by
-- (source, source_id) so a re-import updates instead of duplicating, dates and years in the
-- Christian era (a Buddhist-era year stored as CE, e.g. 2567, is refused by the CHECKs),
-- geometry in EPSG:4326, valid, inside Thailand.
-- A plan item names its plan by the plan's record id (plan_ref = community_plan.source_id);
-- the library keeps that link (no foreign key, as in 0003).

CREATE SEQUENCE community_plan_id_seq START 1;
CREATE SEQUENCE plan_item_id_seq START 1;
CREATE SEQUENCE person_developed_id_seq START 1;
CREATE SEQUENCE org_assessment_id_seq START 1;

CREATE TABLE community_plan (
    id BIGINT PRIMARY KEY DEFAULT nextval('community_plan_id_seq'),
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    source_id VARCHAR NOT NULL CHECK (length(source_id) > 0),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_batch_id BIGINT,
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    council VARCHAR,
    start_year INTEGER NOT NULL CHECK (start_year BETWEEN 1990 AND 2199),
    end_year INTEGER NOT NULL CHECK (end_year BETWEEN 1990 AND 2199),
    adopted_date DATE CHECK (adopted_date IS NULL OR (year(adopted_date) BETWEEN 1990 AND 2199)),
    status VARCHAR NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'adopted', 'under_review', 'ended')),
    geom GEOMETRY CHECK (geom IS NULL),
    CHECK (end_year >= start_year AND end_year - start_year <= 10),
    UNIQUE (source, source_id)
);

CREATE TABLE plan_item (
    id BIGINT PRIMARY KEY DEFAULT nextval('plan_item_id_seq'),
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    source_id VARCHAR NOT NULL CHECK (length(source_id) > 0),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_batch_id BIGINT,
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    plan_ref VARCHAR NOT NULL CHECK (length(trim(plan_ref)) > 0),
    title VARCHAR NOT NULL CHECK (length(trim(title)) > 0),
    dimension VARCHAR NOT NULL CHECK (dimension IN ('social', 'economic',
        'resources_environment', 'housing_land', 'welfare', 'other')),
    budget_baht DOUBLE CHECK (budget_baht IS NULL OR budget_baht BETWEEN 0 AND 1e11),
    agency_type VARCHAR CHECK (agency_type IS NULL OR agency_type IN
        ('local_government', 'amphoe', 'province', 'ministry', 'partner')),
    agency_name VARCHAR,
    in_agency_plan BOOLEAN NOT NULL DEFAULT false,
    agency_plan_name VARCHAR,
    agency_plan_year INTEGER CHECK (agency_plan_year IS NULL
        OR agency_plan_year BETWEEN 1990 AND 2199),
    support_type VARCHAR NOT NULL DEFAULT 'none'
        CHECK (support_type IN ('none', 'money', 'in_kind', 'money_and_in_kind')),
    support_baht DOUBLE CHECK (support_baht IS NULL OR support_baht BETWEEN 0 AND 1e11),
    status VARCHAR NOT NULL DEFAULT 'proposed' CHECK (status IN
        ('proposed', 'in_agency_plan', 'supported', 'completed', 'dropped')),
    geom GEOMETRY CHECK (geom IS NULL OR (ST_GeometryType(geom) IN
        ('POINT', 'POLYGON', 'MULTIPOLYGON') AND ST_IsValid(geom) AND NOT ST_IsEmpty(geom)
        AND ST_XMin(geom) >= 97 AND ST_XMax(geom) <= 106
        AND ST_YMin(geom) >= 5 AND ST_YMax(geom) <= 21)),
    -- an item counted as in an agency's plan names the agency; support needs an agency
    CHECK (NOT in_agency_plan OR agency_type IS NOT NULL),
    CHECK (support_type = 'none' OR agency_type IS NOT NULL),
    UNIQUE (source, source_id)
);

-- People developed (ผู้นำที่ผ่านการพัฒนา): one row per person and course. The name is private
-- like a need report's contact details: it lives in person_private, never exported or
-- shown on a map; person_key (a hash of the normalised name and the tambon) counts people.
CREATE TABLE person_developed (
    id BIGINT PRIMARY KEY DEFAULT nextval('person_developed_id_seq'),
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    source_id VARCHAR NOT NULL CHECK (length(source_id) > 0),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_batch_id BIGINT,
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    person_key VARCHAR NOT NULL CHECK (regexp_full_match(person_key, '[0-9a-f]{16}')),
    course VARCHAR NOT NULL CHECK (length(trim(course)) > 0),
    activity_date DATE NOT NULL CHECK (year(activity_date) BETWEEN 1990 AND 2199),
    geom GEOMETRY CHECK (geom IS NULL),
    UNIQUE (source, source_id)
);

CREATE TABLE person_private (
    person_key VARCHAR PRIMARY KEY CHECK (regexp_full_match(person_key, '[0-9a-f]{16}')),
    name VARCHAR NOT NULL CHECK (length(trim(name)) > 0),
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The assessment form is data (CODI changes it): a form key and version, its criteria with
-- their maximum scores, and the total a passing organisation reaches.
CREATE TABLE assessment_form (
    form_key VARCHAR NOT NULL CHECK (regexp_full_match(form_key, '[a-z][a-z0-9_]{1,62}')),
    version INTEGER NOT NULL CHECK (version >= 1),
    name_th VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    pass_total DOUBLE NOT NULL CHECK (pass_total > 0),
    valid_from DATE NOT NULL,
    PRIMARY KEY (form_key, version)
);

CREATE TABLE assessment_criterion (
    form_key VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    code VARCHAR NOT NULL CHECK (regexp_full_match(code, '[a-z][a-z0-9_]{0,40}')),
    position INTEGER NOT NULL,
    label_th VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    max_score DOUBLE NOT NULL CHECK (max_score > 0),
    PRIMARY KEY (form_key, version, code)
);

CREATE TABLE org_assessment (
    id BIGINT PRIMARY KEY DEFAULT nextval('org_assessment_id_seq'),
    source VARCHAR NOT NULL CHECK (length(source) > 0),
    source_id VARCHAR NOT NULL CHECK (length(source_id) > 0),
    is_demo BOOLEAN NOT NULL DEFAULT false,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_batch_id BIGINT,
    tambon_pcode VARCHAR NOT NULL CHECK (regexp_full_match(tambon_pcode, 'TH[0-9]{6}')),
    organization VARCHAR NOT NULL CHECK (length(trim(organization)) > 0),
    org_ref VARCHAR,
    assessed_date DATE NOT NULL CHECK (year(assessed_date) BETWEEN 1990 AND 2199),
    form_key VARCHAR NOT NULL,
    form_version INTEGER NOT NULL CHECK (form_version >= 1),
    scores JSON NOT NULL,
    total_score DOUBLE NOT NULL CHECK (total_score >= 0),
    passed BOOLEAN NOT NULL,
    geom GEOMETRY CHECK (geom IS NULL),
    UNIQUE (source, source_id)
);

CREATE INDEX community_plan_tambon_idx ON community_plan (tambon_pcode);
CREATE INDEX plan_item_tambon_idx ON plan_item (tambon_pcode);
CREATE INDEX person_developed_tambon_idx ON person_developed (tambon_pcode);
CREATE INDEX org_assessment_tambon_idx ON org_assessment (tambon_pcode);

-- The year records are read at: the current year, unless analysis.monitoring shadows this
-- view with a temporary one for a chosen year (a planner looking back).
CREATE VIEW as_of AS SELECT year(current_date)::INTEGER AS year;

-- CODI's quality checklist, version 1 (seed 003 issue 3, seed 004): five criteria of five
-- points; an organisation passes with 15 of 25.
INSERT INTO assessment_form VALUES
('org_quality', 1, 'แบบประเมินคุณภาพองค์กรชุมชน', 'Community organisation quality checklist',
 15, DATE '2017-01-01');
INSERT INTO assessment_criterion VALUES
('org_quality', 1, 'governance', 1, 'ธรรมาภิบาลและการบริหาร', 'Governance and management', 5),
('org_quality', 1, 'members', 2, 'การมีส่วนร่วมของสมาชิก', 'Member participation', 5),
('org_quality', 1, 'finance', 3, 'การจัดการเงินทุนและบัญชี', 'Funds and bookkeeping', 5),
('org_quality', 1, 'plan', 4, 'แผนงานและการใช้ข้อมูล', 'Plans and use of data', 5),
('org_quality', 1, 'network', 5, 'การเชื่อมโยงเครือข่ายและหน่วยงาน', 'Links to networks and agencies', 5);

-- The import log, quarantine and history accept the new kinds (DuckDB cannot alter a
-- CHECK, so the three tables are rebuilt with their rows, copied by name; the kinds of
-- 0008 - need_report - stay accepted).
CREATE TABLE import_batch_0011 (
    id BIGINT PRIMARY KEY DEFAULT nextval('import_batch_id_seq'),
    kind VARCHAR NOT NULL
        CHECK (kind IN ('organization', 'council', 'project', 'land_case', 'need_report',
                        'plan', 'plan_item', 'person_developed', 'org_assessment')),
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
INSERT INTO import_batch_0011 BY NAME SELECT * FROM import_batch;
DROP TABLE import_batch;
ALTER TABLE import_batch_0011 RENAME TO import_batch;

CREATE TABLE quarantine_0011 (
    id BIGINT PRIMARY KEY DEFAULT nextval('quarantine_id_seq'),
    batch_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('organization', 'council', 'project', 'land_case', 'need_report',
                        'plan', 'plan_item', 'person_developed', 'org_assessment')),
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
INSERT INTO quarantine_0011 BY NAME SELECT * FROM quarantine;
DROP TABLE quarantine;
ALTER TABLE quarantine_0011 RENAME TO quarantine;

CREATE TABLE record_history_0011 (
    id BIGINT PRIMARY KEY DEFAULT nextval('record_history_id_seq'),
    table_name VARCHAR NOT NULL CHECK (table_name IN
        ('community_org', 'tambon_council', 'baan_mankong_project', 'land_case',
         'community_plan', 'plan_item', 'person_developed', 'org_assessment')),
    record_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    batch_id BIGINT,
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor VARCHAR,
    previous JSON NOT NULL
);
INSERT INTO record_history_0011 BY NAME SELECT * FROM record_history;
DROP TABLE record_history;
ALTER TABLE record_history_0011 RENAME TO record_history;

-- Targets: each shows its definition, is measured from the records above where they now
-- exist, and keeps the proxy it replaced for comparison (proxy_indicator_key; the old
-- proxy note says what that proxy counts).
ALTER TABLE plan_target ADD COLUMN definition_th VARCHAR DEFAULT '';
ALTER TABLE plan_target ADD COLUMN definition_en VARCHAR DEFAULT '';
ALTER TABLE plan_target ADD COLUMN proxy_indicator_key VARCHAR;

UPDATE plan_target SET indicator_key = 'plans_linked_tambons', is_proxy = false,
    proxy_indicator_key = 'tambons_with_council',
    definition_th = 'จำนวนตำบลที่มีแผนพัฒนาชุมชนท้องถิ่นที่ใช้อยู่ (ประกาศใช้แล้วและครอบคลุมปีนั้น) ซึ่งมีอย่างน้อยหนึ่งรายการบรรจุในแผนของหน่วยงานและได้รับการสนับสนุน (เงินหรือสิ่งของ)',
    definition_en = 'Tambons with a current community development plan (adopted, its period covering the year) with at least one item included in an agency''s plan and supported by it (money or in kind)'
    , proxy_note_th = 'ตัวแทนเดิม: จำนวนตำบลที่มีสภาองค์กรชุมชน (เวทีที่จัดทำแผน)', proxy_note_en = 'Proxy replaced: tambons with a community council (the forum that makes the plan)'
    WHERE key = 'plans_linked_tambons';
UPDATE plan_target SET indicator_key = 'provinces_with_cooperation', is_proxy = false,
    proxy_indicator_key = 'provinces_with_network',
    definition_th = 'จำนวนจังหวัดที่รายการในแผนพัฒนาชุมชนได้รับการบรรจุในแผนของหน่วยงานอย่างน้อยสามประเภท (อปท. อำเภอ จังหวัด กระทรวง ภาคี) คือเครือข่ายความร่วมมือของชุมชน หน่วยงาน และภาคี',
    definition_en = 'Provinces where community plan items were included in the plans of at least three kinds of agency (local government, amphoe, province, ministry, partner): a cooperation network of communities, agencies and partners'
    , proxy_note_th = 'ตัวแทนเดิม: จังหวัดที่มีเครือข่ายองค์กรชุมชนที่ดำเนินการอยู่ในทะเบียน', proxy_note_en = 'Proxy replaced: provinces with an active community network in the register'
    WHERE key = 'province_networks';
UPDATE plan_target SET indicator_key = 'leaders_developed', is_proxy = false,
    proxy_indicator_key = 'community_leaders',
    definition_th = 'จำนวนคน (ไม่นับซ้ำ) ในทะเบียนผู้ผ่านการพัฒนา (หลักสูตรหรือกิจกรรมของขบวนองค์กรชุมชน) ตั้งแต่ปีเริ่มเป้าหมาย',
    definition_en = 'People (each counted once) in the register of people developed through the movement''s courses and activities since the target''s start year'
    , proxy_note_th = 'ตัวแทนเดิม: ประธานกลุ่ม/องค์กรชุมชนที่ดำเนินการอยู่ที่มีชื่อในทะเบียน', proxy_note_en = 'Proxy replaced: named chairs of active community organisations'
    WHERE key = 'community_leaders';
UPDATE plan_target SET indicator_key = 'quality_org_tambons_assessed', is_proxy = false,
    proxy_indicator_key = 'quality_org_tambons',
    definition_th = 'จำนวนตำบลที่มีองค์กรชุมชนอย่างน้อยหนึ่งองค์กรผ่านการประเมินคุณภาพครั้งล่าสุดตามแบบประเมินที่ใช้ในขณะนั้น',
    definition_en = 'Tambons with at least one community organisation whose latest assessment, on the checklist in force, passed'
    , proxy_note_th = 'ตัวแทนเดิม: ตำบลที่มีสภาองค์กรชุมชนและกลุ่มออมทรัพย์หรือกองทุนสวัสดิการที่ดำเนินการอยู่', proxy_note_en = 'Proxy replaced: tambons with an active council and an active savings group or welfare fund'
    WHERE key = 'quality_org_tambons';
UPDATE plan_target SET
    definition_th = 'ครัวเรือนในโครงการบ้านมั่นคงที่แล้วเสร็จ',
    definition_en = 'Households in completed Baan Mankong projects'
    WHERE key = 'households_housed';
