"""Tables of the hardening area (migrations_hardening.py builds them)."""

from __future__ import annotations

import sqlalchemy as sa

from newswire.storage.tables import metadata

# What each Idempotency-Key filed (models/idempotency.py); written with the version.
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("scope", sa.Text, primary_key=True),
    sa.Column("idempotency_key", sa.Text, primary_key=True),
    sa.Column("fingerprint", sa.Text),
    sa.Column("story_id", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("seq", sa.BigInteger),
    sa.Column("event_type", sa.Text),
    sa.Column("created_at", sa.Text),
)
