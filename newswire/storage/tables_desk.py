"""The desk's tables (issue 17): drafts, which live outside the wire log, and their history."""

from __future__ import annotations

import sqlalchemy as sa

from newswire.storage.tables import text_table

drafts = text_table(
    "drafts",
    "id",
    "story_id",  # the published story it edits, once there is one
    "desk",
    "stage",  # "" while in its author's own drafts
    "status",
    "fields",  # JSON: what the editor holds, checked by the gate on filing
    "headline",  # copies for the board, which never parses `fields`
    "urgency",
    "language",
    "version",  # +1 on every save: a save against an older one is refused
    "author_id",
    "author_name",
    "editor_id",  # who saved last
    "editor_name",
    "created_at",
    "updated_at",  # last saved
    "changed_at",  # last saved, moved, locked or unlocked: the board's cue
    "lock_id",
    "lock_name",
    "locked_until",
    "filed_version",  # the draft version that went on the wire
    key="id",
    types={"urgency": sa.Integer, "version": sa.Integer, "filed_version": sa.Integer},
)

draft_history = text_table(
    "draft_history",
    "draft_id",
    "position",
    "at",
    "action",
    "person_id",
    "person_name",
    "detail",
    key=("draft_id", "position"),
    types={"position": sa.Integer},
)

desk_templates = text_table(
    "desk_templates",
    "id",
    "name",
    "fields",  # JSON: the editor's fields a new story starts with
    "created_by_id",
    "created_by_name",
    "created_at",
    key="id",
)

# What a chief configures on the desk (its stages), overriding the settings' defaults.
desk_settings = text_table(
    "desk_settings",
    "name",
    "value",  # JSON
    "changed_by",
    "changed_at",
    key="name",
)
