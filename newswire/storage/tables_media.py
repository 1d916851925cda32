"""Tables of pictures and video (migrations 40-49, `migrations_media.py`).

Declared on the one `metadata` of `tables.py`, which imports this module at
its end, so `tests/test_schema.py` compares them with the migrated schema.
"""

from __future__ import annotations

import sqlalchemy as sa

from newswire.storage.tables import metadata

# One row per media item: its current version and status.
media_items = sa.Table(
    "media_items",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("guid", sa.Text),
    sa.Column("kind", sa.Text),
    sa.Column("current_version", sa.Integer),
    sa.Column("pubstatus", sa.Text),
    sa.Column("first_created", sa.Text),
    sa.Column("updated_at", sa.Text),
)

# Every version as filed: details and renditions as JSON, the rest as columns.
media_versions = sa.Table(
    "media_versions",
    metadata,
    sa.Column("media_id", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("kind", sa.Text),
    sa.Column("pubstatus", sa.Text),
    sa.Column("change_type", sa.Text),
    sa.Column("details", sa.Text),
    sa.Column("renditions", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("categories", sa.Text),
    sa.Column("urgency", sa.Integer),
    sa.Column("public", sa.Boolean),
    sa.Column("focus_x", sa.Float),
    sa.Column("focus_y", sa.Float),
    sa.Column("embargoed_until", sa.Text),
    sa.Column("ednote", sa.Text),
    sa.Column("first_created", sa.Text),
    sa.Column("version_created", sa.Text),
)

# The log's entries about media: seq from the same counter as `events`, so
# stories and media share one gapless order.
media_events = sa.Table(
    "media_events",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("type", sa.Text),
    sa.Column("media_id", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("created_at", sa.Text),
)
