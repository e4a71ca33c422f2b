-- Sign-in sessions that survive a reload (cookie sessions) and the secret that signs them.
-- The cookie carries a random token signed with app_secret 'session'; only the SHA-256 of
-- the token is stored, so a copy of the database does not hand out working cookies.
-- Signing out sets revoked_at: the same cookie, copied elsewhere, no longer works.

CREATE TABLE app_secret (
    name VARCHAR PRIMARY KEY CHECK (regexp_full_match(name, '[a-z][a-z0-9_]{1,31}')),
    value VARCHAR NOT NULL CHECK (length(value) >= 32),
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE web_session (
    token_hash VARCHAR PRIMARY KEY CHECK (regexp_full_match(token_hash, '[0-9a-f]{64}')),
    username VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL CHECK (expires_at > created_at),
    revoked_at TIMESTAMP,
    -- where the member signed in: the Streamlit sidebar, the field app, or the sign-in route
    via VARCHAR NOT NULL CHECK (via IN ('sidebar', 'field', 'route')),
    user_agent VARCHAR CHECK (user_agent IS NULL OR length(user_agent) <= 300)
);
CREATE INDEX web_session_user ON web_session (username);

-- A one-time ticket: the Streamlit sidebar checks the password in Python and hands the
-- browser a ticket that the sign-in route exchanges for the HttpOnly cookie (a script run
-- cannot set an HTTP cookie itself). Valid for a minute, used once.
CREATE TABLE session_ticket (
    ticket_hash VARCHAR PRIMARY KEY CHECK (regexp_full_match(ticket_hash, '[0-9a-f]{64}')),
    username VARCHAR NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    session_hash VARCHAR
);
