"""The portal's tables (migration 80), declared on the one metadata the queries are built from."""

from __future__ import annotations

import sqlalchemy as sa

from newswire.storage.tables import text_table

portal_alerts = text_table(
    "portal_alerts",
    "id",
    "person_id",
    "principal_id",
    "topic_id",
    "mode",
    "created_at",
    key="id",
)

portal_notifications = text_table(
    "portal_notifications",
    "id",
    "person_id",
    "alert_id",
    "topic_id",
    "story_id",
    "version",
    "headline",
    "created_at",
    "digest_pending",
    "read_at",
    key="id",
    types={"version": sa.Integer, "digest_pending": sa.Integer},
)

portal_activity = text_table(
    "portal_activity",
    "id",
    "principal_id",
    "person_id",
    "person_name",
    "kind",
    "story_id",
    "version",
    "headline",
    "format",
    "at",
    key="id",
    types={"version": sa.Integer},
)

# Small named values of the portal's jobs: the alert job's log cursor, its signing key.
portal_state = text_table(
    "portal_state",
    "name",
    "value",
    key="name",
)
