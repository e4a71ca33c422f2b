-- Issue 12: no working default credentials, sign-in throttling, OpenID Connect identities.

-- True while an account still has the development password the build gave it (--demo);
-- cleared when its password is set. Every page warns while one such account is active.
ALTER TABLE account ADD COLUMN dev_password BOOLEAN DEFAULT false;

-- Databases built before this migration: every build created the six built-in accounts
-- with the passwords printed in the README. Those never given another password keep them.
UPDATE account SET dev_password = true
WHERE auth = 'builtin'
  AND username IN ('admin', 'coordinator', 'coord_bkk', 'coord_north', 'analyst', 'member')
  AND EXISTS (SELECT 1 FROM audit_log a WHERE a.table_name = 'account'
              AND a.record_id = account.username AND a.action = 'create' AND a.actor = 'system')
  AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.table_name = 'account'
                  AND a.record_id = account.username AND a.action = 'set_password');

-- Every sign-in attempt for two days (data.signin): the growing wait per account and client.
CREATE SEQUENCE sign_in_attempt_id_seq START 1;
CREATE TABLE sign_in_attempt (
    id BIGINT NOT NULL DEFAULT nextval('sign_in_attempt_id_seq'),
    "at" TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL CHECK (length(username) <= 64),
    client VARCHAR NOT NULL CHECK (length(client) <= 64),
    outcome VARCHAR NOT NULL CHECK (outcome IN ('ok', 'wrong', 'throttled'))
);

-- Accounts signed in through OpenID Connect are keyed by the identity provider (issuer) and
-- its subject, never by a name or an e-mail address (data.accounts.ensure_oidc_account).
CREATE TABLE account_identity (
    issuer VARCHAR NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
    subject VARCHAR NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    username VARCHAR NOT NULL UNIQUE,
    email VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (issuer, subject)
);

-- phang_mask(text): contact details typed into free text replaced by *** in SQL (map
-- popups, vector tiles, report cards): Thai/full-width digits, dashes and invisible
-- characters normalised first; 13-digit runs (ID numbers), e-mails (also "(at)"/"dot"),
-- Thai phone numbers (0/+66, any grouping). A SQL macro stored in the database, so every
-- connection has it; data.privacy.mask_contacts is the precise Python version (it also
-- checks the ID check digit and keeps the rest of the text as typed) used by exports.
-- Its patterns follow data/privacy.py; tests/test_privacy.py runs the same table on both.
CREATE OR REPLACE MACRO phang_mask(t) AS CASE WHEN t IS NULL THEN NULL ELSE regexp_replace(regexp_replace(regexp_replace(regexp_replace(translate(regexp_replace(t, '[​‌‍⁠﻿­]', '', 'g'), '๐๑๒๓๔๕๖๗๘๙０１２３４５６７８９＠﹫．。＋（）  　‐‑‒–—―−﹣－', '01234567890123456789@@..+()   ---------'), '(^|[^0-9])[0-9]([ \t.\-/()]{0,3}[0-9]){12}', '\1***', 'g'), '[a-z0-9][a-z0-9._%+\-]{0,63}\s{0,2}@\s{0,2}[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?(((\s*[(\[{<]\s*(dot|ดอท|จุด)\s*[)\]}>]\s*|\s+(dot|ดอท|จุด)\s+|\s*ดอท\s*)|\s?\.\s?)[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)*((\s*[(\[{<]\s*(dot|ดอท|จุด)\s*[)\]}>]\s*|\s+(dot|ดอท|จุด)\s+|\s*ดอท\s*)|\s?\.\s?)[a-z]{2,24}', '***', 'gi'), '[a-z0-9][a-z0-9._%+\-]{0,63}((\s*[(\[{<]\s*(at|แอท)\s*[)\]}>]\s*|\s+(at|แอท)\s+|\s*แอท\s*)|\s{0,2}@\s{0,2})[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?(((\s*[(\[{<]\s*(dot|ดอท|จุด)\s*[)\]}>]\s*|\s+(dot|ดอท|จุด)\s+|\s*ดอท\s*)|\.)[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)*((\s*[(\[{<]\s*(dot|ดอท|จุด)\s*[)\]}>]\s*|\s+(dot|ดอท|จุด)\s+|\s*ดอท\s*)|\.)(com|net|org|info|biz|edu|gov|mil|int|io|me|co|asia|xyz|online|site|app|dev|th|uk|us|jp|cn|sg|my|la|kh|mm|vn|au|de|fr)', '***', 'gi'), '(^|[^0-9+])(\(\s?)?(\+\s?66|66|0)([ \t.\-/()]{0,3}[0-9]){8,9}', '\1***', 'g') END;
