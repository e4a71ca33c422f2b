-- The place-name gazetteer (boundaries.matcher.Gazetteer), built once per boundary set and
-- kept here so a command or a server starts matching in a fraction of a second.
-- fingerprint: a digest of the province, amphoe and tambon names and codes it was built from.
CREATE TABLE gazetteer_store (
    fingerprint VARCHAR PRIMARY KEY,
    built_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    places INTEGER NOT NULL,
    data BLOB NOT NULL
);
