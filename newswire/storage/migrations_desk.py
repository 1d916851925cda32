"""The newsroom desk (issue 17): who filed each version, drafts outside the log, their history."""

from __future__ import annotations

from newswire.storage.schema_change import Migration

DESK_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        70,
        "desk: authors of story versions, drafts with stage, lock and version, draft history",
        (
            "ALTER TABLE story_versions ADD COLUMN author_id TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE story_versions ADD COLUMN author_name TEXT NOT NULL DEFAULT ''",
            """CREATE TABLE drafts (
                id TEXT PRIMARY KEY,
                story_id TEXT,
                desk TEXT NOT NULL,
                stage TEXT NOT NULL,
                status TEXT NOT NULL,
                fields TEXT NOT NULL,
                headline TEXT NOT NULL,
                urgency INTEGER NOT NULL,
                language TEXT NOT NULL,
                version INTEGER NOT NULL,
                author_id TEXT NOT NULL,
                author_name TEXT NOT NULL,
                editor_id TEXT NOT NULL,
                editor_name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                changed_at TEXT NOT NULL,
                lock_id TEXT NOT NULL,
                lock_name TEXT NOT NULL,
                locked_until TEXT,
                filed_version INTEGER
            )""",
            "CREATE INDEX drafts_board ON drafts (status, stage, updated_at)",
            "CREATE INDEX drafts_author ON drafts (author_id, updated_at)",
            "CREATE INDEX drafts_changed ON drafts (changed_at)",
            "CREATE INDEX drafts_story ON drafts (story_id)",
            # The editors' list of stories (GET /v1/stories, the desk's wire column).
            "CREATE INDEX stories_updated ON stories (updated_at, id)",
            """CREATE TABLE draft_history (
                draft_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                at TEXT NOT NULL,
                action TEXT NOT NULL,
                person_id TEXT NOT NULL,
                person_name TEXT NOT NULL,
                detail TEXT NOT NULL,
                PRIMARY KEY (draft_id, position)
            )""",
        ),
    ),
    Migration(
        71,
        "desk: story templates, and the desk's stages as a chief sets them",
        (
            """CREATE TABLE desk_templates (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                fields TEXT NOT NULL,
                created_by_id TEXT NOT NULL,
                created_by_name TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE desk_settings (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at TEXT NOT NULL
            )""",
        ),
    ),
)
