-- Housing-need reports collected in the field with KoboToolbox or ODK Collect (XLSForm
-- need_report) and imported from their CSV/XLSX/GeoJSON exports.
--
-- need_report gains where a report came from: the submission's instance id as the tool
-- wrote it (uuid:...), the tool (kobo, odk_central, odk), when it was collected in the
-- field, and the import batch. The form_id of an imported report is derived from the
-- submission's stable instance id, so its UNIQUE constraint stores each submission once.
-- DuckDB cannot add a column with a CHECK; the importer writes these four.
--
-- import_batch and quarantine accept the kind 'need_report': DuckDB can neither drop nor
-- change a CHECK, so both tables are rebuilt with the same columns and the wider CHECK.

ALTER TABLE need_report ADD COLUMN instance_id VARCHAR;
ALTER TABLE need_report ADD COLUMN source VARCHAR;
ALTER TABLE need_report ADD COLUMN collected_at TIMESTAMP;
ALTER TABLE need_report ADD COLUMN import_batch_id BIGINT;

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
INSERT INTO import_batch_0008 (id, kind, file_name, file_sha256, source, mode, status,
        encoding, rows_total, inserted, updated, unchanged, quarantined, actor, started_at,
        finished_at, summary)
    SELECT id, kind, file_name, file_sha256, source, mode, status, encoding, rows_total,
           inserted, updated, unchanged, quarantined, actor, started_at, finished_at, summary
    FROM import_batch;
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
INSERT INTO quarantine_0008 (id, batch_id, kind, file_name, row_number, source, source_id,
        raw, reason_code, reason, reason_th, candidates, status, created_at, resolved_at,
        resolved_by, resolved_table, resolved_record_id, note)
    SELECT id, batch_id, kind, file_name, row_number, source, source_id, raw, reason_code,
           reason, reason_th, candidates, status, created_at, resolved_at, resolved_by,
           resolved_table, resolved_record_id, note
    FROM quarantine;
DROP TABLE quarantine;
ALTER TABLE quarantine_0008 RENAME TO quarantine;
