"""The wire's own schema: principals, stories, the log, search, usage, webhooks, IPTC fields."""

from __future__ import annotations

from newswire.storage.archive import index_existing_stories
from newswire.storage.public import fold_public_words
from newswire.storage.schema_change import Migration

# usage_records, whose key each dialect auto-increments its own way (migration 7).
_USAGE_RECORDS = """CREATE TABLE usage_records (
    id {id_type} PRIMARY KEY,
    principal_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    format TEXT NOT NULL,
    story_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    seq BIGINT,
    delivered_at TEXT NOT NULL
)"""

CORE_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "principals, stories, the log and the public portion",
        (
            """CREATE TABLE principals (
                id TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                name TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE,
                entitlements TEXT NOT NULL DEFAULT '{}',
                format TEXT NOT NULL DEFAULT 'ninjs2',
                created_at TEXT NOT NULL,
                revoked_at TEXT
            )""",
            """CREATE TABLE stories (
                id TEXT PRIMARY KEY,
                slug TEXT NOT NULL UNIQUE,
                guid TEXT NOT NULL UNIQUE,
                current_version INTEGER NOT NULL,
                pubstatus TEXT NOT NULL,
                first_created TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE story_versions (
                story_id TEXT NOT NULL REFERENCES stories(id),
                version INTEGER NOT NULL,
                headline TEXT NOT NULL,
                summary TEXT NOT NULL,
                body_html TEXT NOT NULL,
                byline TEXT NOT NULL,
                dateline TEXT NOT NULL,
                categories TEXT NOT NULL,
                subjects TEXT NOT NULL,
                urgency INTEGER NOT NULL,
                language TEXT NOT NULL,
                public BOOLEAN NOT NULL,
                pubstatus TEXT NOT NULL,
                embargoed_until TEXT,
                ednote TEXT NOT NULL,
                genre TEXT NOT NULL,
                source TEXT NOT NULL,
                public_summary TEXT NOT NULL,
                first_created TEXT NOT NULL,
                version_created TEXT NOT NULL,
                PRIMARY KEY (story_id, version)
            )""",
            # The log. `seq` is assigned from log_counter inside the writing
            # transaction, so it is gapless: a rolled-back write rolls back its number.
            """CREATE TABLE events (
                seq BIGINT PRIMARY KEY,
                type TEXT NOT NULL,
                story_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                FOREIGN KEY (story_id, version) REFERENCES story_versions (story_id, version)
            )""",
            "CREATE INDEX events_story ON events (story_id, seq)",
            """CREATE TABLE log_counter (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                last_seq BIGINT NOT NULL
            )""",
            "INSERT INTO log_counter (id, last_seq) VALUES (1, 0)",
            # The public portion: a projection holding only what the public site
            # may show. It has no body column, so no query can leak the full text.
            """CREATE TABLE public_stories (
                story_id TEXT PRIMARY KEY REFERENCES stories(id),
                slug TEXT NOT NULL,
                language TEXT NOT NULL,
                headline TEXT NOT NULL,
                summary TEXT NOT NULL,
                byline TEXT NOT NULL,
                dateline TEXT NOT NULL,
                categories TEXT NOT NULL,
                subjects TEXT NOT NULL,
                urgency INTEGER NOT NULL,
                first_published TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                visible_from TEXT NOT NULL,
                killed_at TEXT
            )""",
            "CREATE INDEX public_stories_listing ON public_stories (visible_from, language)",
            """CREATE TABLE public_story_sections (
                story_id TEXT NOT NULL REFERENCES public_stories(story_id),
                section TEXT NOT NULL,
                PRIMARY KEY (story_id, section)
            )""",
            "CREATE INDEX public_story_sections_section ON public_story_sections (section)",
        ),
    ),
    Migration(
        3,
        "PostgreSQL full-text search index over public headlines and summaries",
        (),
        only_on={
            # The expression must stay identical to text_index.public_search_document()
            # or the planner will not use the index.
            "postgresql": (
                "CREATE INDEX public_stories_search ON public_stories USING GIN "
                "(to_tsvector('simple', headline || ' ' || summary))",
            )
        },
    ),
    Migration(
        5,
        "what filing each story version was (published, updated, corrected, ...)",
        (
            "ALTER TABLE story_versions "
            "ADD COLUMN change_type TEXT NOT NULL DEFAULT 'story.published'",
        ),
    ),
    Migration(
        7,
        "subscriber accounts: suspension, deletion, daily quota, cursors served, usage records",
        (
            "ALTER TABLE principals ADD COLUMN suspended_at TEXT",
            "ALTER TABLE principals ADD COLUMN deleted_at TEXT",
            "ALTER TABLE principals ADD COLUMN daily_quota INTEGER",
            # Bumped whenever a key's access changes; every node polls it (access.py).
            "ALTER TABLE principals ADD COLUMN changed_at TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX principals_changed ON principals (changed_at)",
            """CREATE TABLE subscriber_cursors (
                principal_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                cursor_seq BIGINT NOT NULL,
                served_at TEXT NOT NULL,
                PRIMARY KEY (principal_id, channel)
            )""",
            # No foreign key to principals: usage outlives a deleted subscriber.
            """CREATE TABLE usage_daily (
                principal_id TEXT NOT NULL,
                day TEXT NOT NULL,
                channel TEXT NOT NULL,
                deliveries BIGINT NOT NULL,
                PRIMARY KEY (principal_id, day, channel)
            )""",
        ),
        only_on={
            # The one difference: how each dialect spells an auto-increment key.
            dialect: (
                _USAGE_RECORDS.format(id_type=id_type),
                "CREATE INDEX usage_records_subscriber ON usage_records (principal_id, id)",
                "CREATE INDEX usage_records_time ON usage_records (delivered_at)",
                "CREATE INDEX usage_records_story ON usage_records (story_id)",
            )
            for dialect, id_type in (("sqlite", "INTEGER"), ("postgresql", "BIGSERIAL"))
        },
    ),
    Migration(
        2,
        "webhook endpoints with their delivery cursor and lease, and delivery attempts",
        (
            # One row per endpoint: where in the log it is (cursor_seq = last event
            # delivered or skipped), its retry state, and which worker owns it
            # until when. An empty lease_until sorts before every time: free.
            """CREATE TABLE webhook_endpoints (
                id TEXT PRIMARY KEY,
                principal_id TEXT NOT NULL REFERENCES principals(id),
                url TEXT NOT NULL,
                description TEXT NOT NULL,
                secret TEXT NOT NULL,
                previous_secret TEXT,
                previous_secret_until TEXT,
                status TEXT NOT NULL,
                status_reason TEXT NOT NULL DEFAULT '',
                cursor_seq BIGINT NOT NULL,
                attempt INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                leased_by TEXT,
                lease_until TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX webhook_endpoints_due ON webhook_endpoints (status, next_attempt_at)",
            "CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (principal_id)",
            """CREATE TABLE webhook_attempts (
                id TEXT PRIMARY KEY,
                endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
                seq BIGINT NOT NULL,
                event_type TEXT NOT NULL,
                webhook_id TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                status_code INTEGER,
                latency_ms INTEGER NOT NULL,
                error TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, created_at)",
        ),
    ),
    Migration(
        6,
        "the archive search index: current versions, their tags, each engine's text index",
        (
            # One row per story that is not killed: its current version's
            # listing fields. doc_id is the seq of the story's first event,
            # stable for the story's life and the key of the text index.
            """CREATE TABLE search_stories (
                doc_id BIGINT PRIMARY KEY,
                story_id TEXT NOT NULL UNIQUE,
                version INTEGER NOT NULL,
                headline TEXT NOT NULL,
                summary TEXT NOT NULL,
                body_text TEXT NOT NULL,
                byline TEXT NOT NULL,
                dateline TEXT NOT NULL,
                byline_folded TEXT NOT NULL,
                dateline_folded TEXT NOT NULL,
                language TEXT NOT NULL,
                language_folded TEXT NOT NULL,
                language_base TEXT NOT NULL,
                urgency INTEGER NOT NULL,
                categories TEXT NOT NULL,
                subjects TEXT NOT NULL,
                first_created TEXT NOT NULL,
                version_created TEXT NOT NULL,
                embargoed_until TEXT
            )""",
            "CREATE INDEX search_stories_time ON search_stories (first_created, doc_id)",
            "CREATE INDEX search_stories_embargo ON search_stories (embargoed_until)",
            # Categories (case-folded) and subject codes, for filters and entitlement.
            """CREATE TABLE search_story_tags (
                doc_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (doc_id, kind, value)
            )""",
            "CREATE INDEX search_story_tags_value ON search_story_tags (kind, value, doc_id)",
            """CREATE TABLE saved_searches (
                id TEXT PRIMARY KEY,
                principal_id TEXT NOT NULL,
                name TEXT NOT NULL,
                params TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX saved_searches_owner ON saved_searches (principal_id, created_at)",
        ),
        # The index is built from folded text, which only Python makes.
        data=index_existing_stories,
        only_on={
            # Folded words (search/folding.py), so the default tokenizer is enough.
            "sqlite": (
                "CREATE VIRTUAL TABLE search_fts USING fts5("
                "headline, body, byline, dateline, subject, tokenize = 'unicode61')",
            ),
            "postgresql": (
                """CREATE TABLE search_documents (
                    doc_id BIGINT PRIMARY KEY,
                    document TSVECTOR NOT NULL,
                    headline TSVECTOR NOT NULL,
                    byline TSVECTOR NOT NULL,
                    dateline TSVECTOR NOT NULL,
                    subject TSVECTOR NOT NULL
                )""",
                "CREATE INDEX search_documents_document ON search_documents USING GIN (document)",
                "CREATE INDEX search_documents_headline ON search_documents USING GIN (headline)",
                "CREATE INDEX search_documents_byline ON search_documents USING GIN (byline)",
                "CREATE INDEX search_documents_dateline ON search_documents USING GIN (dateline)",
                "CREATE INDEX search_documents_subject ON search_documents USING GIN (subject)",
            ),
        },
    ),
    Migration(
        8,
        "folded words of public headlines and summaries, for the public site's search",
        ("ALTER TABLE public_stories ADD COLUMN search_words TEXT NOT NULL DEFAULT ''",),
        data=lambda conn, _index: fold_public_words(conn),
        only_on={
            # The expression must stay identical to text_index.public_search_document().
            "postgresql": (
                "DROP INDEX IF EXISTS public_stories_search",
                "CREATE INDEX public_stories_words ON public_stories USING GIN "
                "(to_tsvector('simple', search_words))",
            )
        },
    ),
    Migration(
        9,
        "usage records count repeated deliveries of one version on one channel",
        (
            # One record per (subscriber, channel, format, version) and flush,
            # with a count: a thousand connections of one key no longer mean a
            # thousand rows through SQLite's single writer per event.
            "ALTER TABLE usage_records ADD COLUMN deliveries INTEGER NOT NULL DEFAULT 1",
        ),
    ),
    Migration(
        20,
        "what the IPTC formats carry: slugline, genre and place codes, rights, content times",
        (
            "ALTER TABLE story_versions ADD COLUMN slugline TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE story_versions ADD COLUMN genre_code TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE story_versions ADD COLUMN located TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE story_versions ADD COLUMN located_code TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE story_versions ADD COLUMN copyright_holder TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE story_versions ADD COLUMN copyright_notice TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE story_versions ADD COLUMN usage_terms TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE story_versions ADD COLUMN content_created TEXT",
            "ALTER TABLE story_versions ADD COLUMN content_modified TEXT",
        ),
    ),
    Migration(
        21,
        "secret feed URLs: one per subscriber, stored only as the hash of its secret",
        (
            """CREATE TABLE feed_urls (
                principal_id TEXT PRIMARY KEY REFERENCES principals(id),
                secret_hash TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL
            )""",
        ),
    ),
)
