"""The desk's tables (issue 17): drafts, which live outside the wire log, and their history."""

from __future__ import annotations

import sqlalchemy as sa

from newswire.storage.tables import metadata

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("story_id", sa.Text),  # the published story it edits, once there is one
    sa.Column("desk", sa.Text),
    sa.Column("stage", sa.Text),  # "" while in its author's own drafts
    sa.Column("status", sa.Text),
    sa.Column("fields", sa.Text),  # JSON: what the editor holds, checked by the gate on filing
    sa.Column("headline", sa.Text),  # copies for the board, which never parses `fields`
    sa.Column("urgency", sa.Integer),
    sa.Column("language", sa.Text),
    sa.Column("version", sa.Integer),  # +1 on every save: a save against an older one is refused
    sa.Column("author_id", sa.Text),
    sa.Column("author_name", sa.Text),
    sa.Column("editor_id", sa.Text),  # who saved last
    sa.Column("editor_name", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("updated_at", sa.Text),  # last saved
    sa.Column("changed_at", sa.Text),  # last saved, moved, locked or unlocked: the board's cue
    sa.Column("lock_id", sa.Text),
    sa.Column("lock_name", sa.Text),
    sa.Column("locked_until", sa.Text),
    sa.Column("filed_version", sa.Integer),  # the draft version that went on the wire
)

draft_history = sa.Table(
    "draft_history",
    metadata,
    sa.Column("draft_id", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("at", sa.Text),
    sa.Column("action", sa.Text),
    sa.Column("person_id", sa.Text),
    sa.Column("person_name", sa.Text),
    sa.Column("detail", sa.Text),
)

desk_templates = sa.Table(
    "desk_templates",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("fields", sa.Text),  # JSON: the editor's fields a new story starts with
    sa.Column("created_by_id", sa.Text),
    sa.Column("created_by_name", sa.Text),
    sa.Column("created_at", sa.Text),
)

# What a chief configures on the desk (its stages), overriding the settings' defaults.
desk_settings = sa.Table(
    "desk_settings",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("value", sa.Text),  # JSON
    sa.Column("changed_by", sa.Text),
    sa.Column("changed_at", sa.Text),
)
