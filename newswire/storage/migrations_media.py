"""Pictures and video (versions 40-49): media items, their versions, their log entries."""

from __future__ import annotations

from newswire.storage.schema_change import Migration

MEDIA_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        40,
        "media items and versions; their events share the log's counter",
        (
            """CREATE TABLE media_items (
                id TEXT PRIMARY KEY,
                guid TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                current_version INTEGER NOT NULL,
                pubstatus TEXT NOT NULL,
                first_created TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE media_versions (
                media_id TEXT NOT NULL REFERENCES media_items(id),
                version INTEGER NOT NULL,
                kind TEXT NOT NULL,
                pubstatus TEXT NOT NULL,
                change_type TEXT NOT NULL,
                details TEXT NOT NULL,
                renditions TEXT NOT NULL,
                language TEXT NOT NULL,
                categories TEXT NOT NULL,
                urgency INTEGER NOT NULL,
                public BOOLEAN NOT NULL,
                focus_x REAL NOT NULL,
                focus_y REAL NOT NULL,
                embargoed_until TEXT,
                ednote TEXT NOT NULL,
                first_created TEXT NOT NULL,
                version_created TEXT NOT NULL,
                PRIMARY KEY (media_id, version)
            )""",
            """CREATE TABLE media_events (
                seq BIGINT PRIMARY KEY,
                type TEXT NOT NULL,
                media_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                FOREIGN KEY (media_id, version) REFERENCES media_versions (media_id, version)
            )""",
            "CREATE INDEX media_events_item ON media_events (media_id, seq)",
        ),
    ),
    Migration(
        41,
        "stories name the pictures and video they use",
        ("ALTER TABLE story_versions ADD COLUMN media TEXT NOT NULL DEFAULT '[]'",),
    ),
    Migration(
        42,
        "the public portion names each story's featured picture",
        ("ALTER TABLE public_stories ADD COLUMN featured_media TEXT NOT NULL DEFAULT ''",),
    ),
)
