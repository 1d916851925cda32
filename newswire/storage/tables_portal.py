"""The portal's tables (migration 80), declared on the one metadata the queries are built from."""

from __future__ import annotations

import sqlalchemy as sa

from newswire.storage.tables import metadata

portal_alerts = sa.Table(
    "portal_alerts",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("person_id", sa.Text),
    sa.Column("principal_id", sa.Text),
    sa.Column("topic_id", sa.Text),
    sa.Column("mode", sa.Text),
    sa.Column("created_at", sa.Text),
)

portal_notifications = sa.Table(
    "portal_notifications",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("person_id", sa.Text),
    sa.Column("alert_id", sa.Text),
    sa.Column("topic_id", sa.Text),
    sa.Column("story_id", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("headline", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("digest_pending", sa.Integer),
    sa.Column("read_at", sa.Text),
)

portal_activity = sa.Table(
    "portal_activity",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("principal_id", sa.Text),
    sa.Column("person_id", sa.Text),
    sa.Column("person_name", sa.Text),
    sa.Column("kind", sa.Text),
    sa.Column("story_id", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("headline", sa.Text),
    sa.Column("format", sa.Text),
    sa.Column("at", sa.Text),
)

# Small named values of the portal's jobs: the alert job's log cursor, its signing key.
portal_state = sa.Table(
    "portal_state",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("value", sa.Text),
)
