"""The subscriber portal: alerts on topics, the notifications they made, users' activity."""

from __future__ import annotations

from newswire.storage.schema_change import Migration

PORTAL_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        80,
        "portal alerts on topics, notifications, what company users viewed and downloaded",
        (
            """CREATE TABLE portal_alerts (
                id TEXT PRIMARY KEY,
                person_id TEXT NOT NULL REFERENCES people(id),
                principal_id TEXT NOT NULL,
                topic_id TEXT NOT NULL,
                mode TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
            "CREATE UNIQUE INDEX portal_alerts_person_topic ON portal_alerts (person_id, topic_id)",
            """CREATE TABLE portal_notifications (
                id TEXT PRIMARY KEY,
                person_id TEXT NOT NULL,
                alert_id TEXT NOT NULL,
                topic_id TEXT NOT NULL,
                story_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                headline TEXT NOT NULL,
                created_at TEXT NOT NULL,
                digest_pending INTEGER NOT NULL,
                read_at TEXT
            )""",
            # One notification per person and story, however many of their topics it matches.
            "CREATE UNIQUE INDEX portal_notifications_once"
            " ON portal_notifications (person_id, story_id)",
            "CREATE INDEX portal_notifications_list"
            " ON portal_notifications (person_id, created_at)",
            """CREATE TABLE portal_activity (
                id TEXT PRIMARY KEY,
                principal_id TEXT NOT NULL,
                person_id TEXT NOT NULL,
                person_name TEXT NOT NULL,
                kind TEXT NOT NULL,
                story_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                headline TEXT NOT NULL,
                format TEXT NOT NULL,
                at TEXT NOT NULL
            )""",
            "CREATE INDEX portal_activity_company ON portal_activity (principal_id, at)",
            """CREATE TABLE portal_state (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
        ),
    ),
    # The portal's picture wire lists one kind of media, newest first (`portal/picture_wire.py`).
    # Numbered at the top of the portal's range so that other portal work keeps 81 onwards.
    Migration(
        89,
        "the picture wire: media items by kind, newest first",
        ("CREATE INDEX media_items_newest ON media_items (kind, first_created, id)",),
    ),
)
