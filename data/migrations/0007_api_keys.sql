-- API keys (กุญแจ API) for agencies reading the OGC API - Features service (ogc/).
--
-- Public layers are open; the others need a key an admin issues per agency. Only the
-- SHA-256 of the token is stored (the token itself is shown once, when issued); `prefix`
-- (the token's first characters) lets an admin tell keys apart without holding the secret.
-- `layers` NULL means every layer; otherwise the export layer keys the key opens.
-- Every use adds to `use_count` and writes an audit_log row (action 'api_use').

CREATE SEQUENCE api_key_id START 1;

CREATE TABLE api_key (
    id BIGINT PRIMARY KEY DEFAULT nextval('api_key_id'),
    agency VARCHAR NOT NULL CHECK (length(trim(agency)) > 0),
    token_sha256 VARCHAR NOT NULL UNIQUE CHECK (regexp_full_match(token_sha256, '[0-9a-f]{64}')),
    prefix VARCHAR NOT NULL,
    layers VARCHAR[],
    note VARCHAR NOT NULL DEFAULT '',
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    revoked_by VARCHAR,
    revoked_at TIMESTAMP,
    use_count BIGINT NOT NULL DEFAULT 0,
    last_used_at TIMESTAMP,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
