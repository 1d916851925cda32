"""Tables of pictures and video (migrations 40-49, `migrations_media.py`).

Declared on the one `metadata` of `tables.py`, which imports this module at
its end, so `tests/test_schema.py` compares them with the migrated schema.
"""

from __future__ import annotations

import sqlalchemy as sa

from newswire.storage.tables import item_table, log_entries_table, text_table

# One row per media item: its current version and status.
media_items = item_table("media_items", "guid", "kind")

# Every version as filed: details and renditions as JSON, the rest as columns.
media_versions = text_table(
    "media_versions",
    "media_id",
    "version",
    "kind",
    "pubstatus",
    "change_type",
    "details",
    "renditions",
    "language",
    "categories",
    "urgency",
    "public",
    "focus_x",
    "focus_y",
    "embargoed_until",
    "ednote",
    "first_created",
    "version_created",
    key=("media_id", "version"),
    types={
        "version": sa.Integer,
        "urgency": sa.Integer,
        "public": sa.Boolean,
        "focus_x": sa.Float,
        "focus_y": sa.Float,
    },
)

# The log's entries about media: seq from the same counter as `events`, so
# stories and media share one gapless order.
media_events = log_entries_table("media_events", "media_id")
