-- Housing-need reports collected in the field with KoboToolbox or ODK Collect (XLSForm
-- need_report) and imported from their CSV/XLSX/GeoJSON exports.
--
-- need_report_submission says where an imported report came from: the submission's stable
-- id (normalised: no "uuid:", lower case; UNIQUE, so a submission is stored once), this
-- version's instance id, the tool or source name, when it was submitted in the field and
-- the import batch. A side table rather than new need_report columns: need_report keeps
-- its shape for the migrations that rebuild it. The report's form_id is derived from the
-- same stable id, so its own UNIQUE constraint says the same thing twice.
CREATE TABLE need_report_submission (
    report_id BIGINT PRIMARY KEY,
    submission_key VARCHAR NOT NULL UNIQUE
        CHECK (regexp_full_match(submission_key, '[a-z0-9_:.-]{4,200}')),
    instance_id VARCHAR NOT NULL CHECK (length(instance_id) BETWEEN 4 AND 200),
    source VARCHAR NOT NULL CHECK (length(trim(source)) > 0),
    collected_at TIMESTAMP,
    import_batch_id BIGINT,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP
);

-- import_batch and quarantine accept the kind 'need_report': DuckDB can neither drop nor
-- change a CHECK, so both tables are rebuilt with the wider CHECK and their rows copied by
-- name (a column another migration added first makes this fail loudly, not vanish).

CREATE TABLE import_batch_0008 (
    id BIGINT PRIMARY KEY DEFAULT nextval('import_batch_id_seq'),
    kind VARCHAR NOT NULL
        CHECK (kind IN ('organization', 'council', 'project', 'land_case', 'need_report')),
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
INSERT INTO import_batch_0008 BY NAME SELECT * FROM import_batch;
DROP TABLE import_batch;
ALTER TABLE import_batch_0008 RENAME TO import_batch;

CREATE TABLE quarantine_0008 (
    id BIGINT PRIMARY KEY DEFAULT nextval('quarantine_id_seq'),
    batch_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('organization', 'council', 'project', 'land_case', 'need_report')),
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
INSERT INTO quarantine_0008 BY NAME SELECT * FROM quarantine;
DROP TABLE quarantine;
ALTER TABLE quarantine_0008 RENAME TO quarantine;
