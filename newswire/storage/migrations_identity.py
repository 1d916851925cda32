"""People who sign in: accounts, sessions, throttling, the mail outbox."""

from __future__ import annotations

from newswire.storage.schema_change import Migration

IDENTITY_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        30,
        "people who sign in: staff and subscriber users, seats, set-password links, personal keys",
        (
            """CREATE TABLE people (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL,
                email_key TEXT UNIQUE,
                name TEXT NOT NULL,
                language TEXT NOT NULL,
                audience TEXT NOT NULL,
                role TEXT NOT NULL,
                status TEXT NOT NULL,
                principal_id TEXT NOT NULL REFERENCES principals(id),
                password_hash TEXT,
                created_at TEXT NOT NULL,
                changed_at TEXT NOT NULL,
                last_signed_in_at TEXT
            )""",
            "CREATE INDEX people_principal ON people (principal_id, status)",
            "CREATE INDEX people_audience ON people (audience, created_at)",
            """CREATE TABLE company_seats (
                principal_id TEXT PRIMARY KEY REFERENCES principals(id),
                seat_limit INTEGER NOT NULL,
                changed_at TEXT NOT NULL
            )""",
            """CREATE TABLE password_links (
                token_hash TEXT PRIMARY KEY,
                person_id TEXT NOT NULL REFERENCES people(id),
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                used_at TEXT
            )""",
            "CREATE INDEX password_links_person ON password_links (person_id)",
            """CREATE TABLE personal_keys (
                id TEXT PRIMARY KEY,
                person_id TEXT NOT NULL REFERENCES people(id),
                principal_id TEXT NOT NULL REFERENCES principals(id),
                key_hash TEXT NOT NULL UNIQUE,
                label TEXT NOT NULL,
                created_at TEXT NOT NULL,
                revoked_at TEXT
            )""",
            "CREATE INDEX personal_keys_principal ON personal_keys (principal_id)",
            "CREATE INDEX personal_keys_person ON personal_keys (person_id)",
        ),
    ),
    Migration(
        31,
        "sessions of signed-in people, failed sign-ins per account and address, sign-in history",
        (
            """CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                person_id TEXT NOT NULL REFERENCES people(id),
                csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                address TEXT NOT NULL,
                user_agent TEXT NOT NULL
            )""",
            "CREATE INDEX sessions_person ON sessions (person_id)",
            """CREATE TABLE sign_in_failures (
                key TEXT PRIMARY KEY,
                window_started_at TEXT NOT NULL,
                failures INTEGER NOT NULL
            )""",
            """CREATE TABLE sign_ins (
                id TEXT PRIMARY KEY,
                person_id TEXT NOT NULL REFERENCES people(id),
                at TEXT NOT NULL,
                address TEXT NOT NULL,
                user_agent TEXT NOT NULL
            )""",
            "CREATE INDEX sign_ins_person ON sign_ins (person_id, at)",
        ),
    ),
    Migration(
        32,
        "the mail outbox: one message per address and idempotency key, with its retries",
        (
            """CREATE TABLE mail_outbox (
                id TEXT PRIMARY KEY,
                idempotency_key TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                text_body TEXT NOT NULL,
                html_body TEXT,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                leased_by TEXT,
                lease_until TEXT NOT NULL DEFAULT '',
                last_error TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                sent_at TEXT,
                UNIQUE (recipient, idempotency_key)
            )""",
            "CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at)",
        ),
    ),
)
