"""Tables of the hardening area (migrations_hardening.py builds them)."""

from __future__ import annotations

import sqlalchemy as sa

from newswire.storage.tables import text_table

# What each Idempotency-Key filed (models/idempotency.py); written with the version.
idempotency_keys = text_table(
    "idempotency_keys",
    "scope",
    "idempotency_key",
    "fingerprint",
    "story_id",
    "version",
    "seq",
    "event_type",
    "created_at",
    key=("scope", "idempotency_key"),
    types={"version": sa.Integer, "seq": sa.BigInteger},
)
