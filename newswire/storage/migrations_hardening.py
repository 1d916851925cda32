"""Hardening (issue 15): the idempotency keys of filings."""

from __future__ import annotations

from newswire.storage.schema_change import Migration

HARDENING_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        10,
        "idempotency keys: what each retried filing answered",
        (
            """CREATE TABLE idempotency_keys (
                scope TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                story_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                seq BIGINT NOT NULL,
                event_type TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (scope, idempotency_key)
            )""",
            "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)",
        ),
    ),
)
