"""SQLAlchemy Core descriptions of the tables, used to build queries.

The tables themselves are created by `migrations.py`; these objects only name
columns and their Python types, so queries are written once for both dialects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeEngine

metadata = sa.MetaData()


def text_table(
    name: str,
    *columns: str,
    key: str | tuple[str, ...],
    types: Mapping[str, type[TypeEngine[Any]]] | None = None,
) -> sa.Table:
    """Declare a table on `metadata`: its columns in order, each Text unless `types` names it.

    `key` names the primary key's column (or columns), which `columns` lists too.
    """
    keys = (key,) if isinstance(key, str) else key
    types = types or {}
    strays = (set(keys) | set(types)) - set(columns)
    if strays:
        raise ValueError(f"{name} has no columns {sorted(strays)}")
    return sa.Table(
        name,
        metadata,
        *(sa.Column(c, types.get(c, sa.Text), primary_key=c in keys) for c in columns),
    )


# What `leases.py` needs of a table whose rows workers on any node take turns
# at (webhook endpoints, queued mail): when the row is next due, who holds it, until when.
LEASED_ROW_COLUMNS = ("next_attempt_at", "leased_by", "lease_until")


def item_table(name: str, *own_columns: str) -> sa.Table:
    """Declare the table of one kind of versioned item on the log (stories, media items).

    A row an item: its id, the columns of its own kind, then what every versioned
    item has: its current version and status, when it was first created and last
    updated. Each version is a row of the kind's own versions table.
    """
    return text_table(
        name,
        "id",
        *own_columns,
        "current_version",
        "pubstatus",
        "first_created",
        "updated_at",
        key="id",
        types={"current_version": sa.Integer},
    )


def log_entries_table(name: str, item_column: str) -> sa.Table:
    """Declare a table of the log's entries about one kind of item (`item_column` names it).

    `seq` comes from the one `log_counter`, so the entries of every kind share
    one gapless order.
    """
    return text_table(
        name,
        "seq",
        "type",
        item_column,
        "version",
        "created_at",
        key="seq",
        types={"seq": sa.BigInteger, "version": sa.Integer},
    )


principals = text_table(
    "principals",
    "id",
    "role",
    "name",
    "key_hash",
    "entitlements",
    "format",
    "created_at",
    "revoked_at",
    "suspended_at",
    "deleted_at",
    "daily_quota",
    # When the key last changed state (revoked, suspended, resumed, deleted,
    # rotated): every node's access watcher polls it to cut live streams.
    "changed_at",
    key="id",
    types={"daily_quota": sa.Integer},
)

stories = item_table("stories", "slug", "guid")

story_versions = text_table(
    "story_versions",
    "story_id",
    "version",
    "headline",
    "summary",
    "body_html",
    "byline",
    "dateline",
    "categories",
    "subjects",
    "urgency",
    "language",
    "public",
    "pubstatus",
    "embargoed_until",
    "ednote",
    "genre",
    "source",
    "public_summary",
    "first_created",
    "version_created",
    "change_type",
    "slugline",
    "genre_code",
    "located",
    "located_code",
    "copyright_holder",
    "copyright_notice",
    "usage_terms",
    "content_created",
    "content_modified",
    "author_id",
    "author_name",
    "media",  # migration 41: [{"id", "rel"}, ...]
    key=("story_id", "version"),
    types={"version": sa.Integer, "urgency": sa.Integer, "public": sa.Boolean},
)

events = log_entries_table("events", "story_id")

log_counter = text_table(
    "log_counter",
    "id",
    "last_seq",
    key="id",
    types={"id": sa.Integer, "last_seq": sa.BigInteger},
)

public_stories = text_table(
    "public_stories",
    "story_id",
    "slug",
    "language",
    "headline",
    "summary",
    "byline",
    "dateline",
    "categories",
    "subjects",
    "urgency",
    "first_published",
    "updated_at",
    "visible_from",
    "killed_at",
    "search_words",
    "featured_media",  # migration 42
    key="story_id",
    types={"urgency": sa.Integer},
)

public_story_sections = text_table(
    "public_story_sections",
    "story_id",
    "section",
    key=("story_id", "section"),
)

schema_migrations = text_table(
    "schema_migrations",
    "version",
    "name",
    "applied_at",
    key="version",
    types={"version": sa.Integer},
)

webhook_endpoints = text_table(
    "webhook_endpoints",
    "id",
    "principal_id",
    "url",
    "description",
    "secret",
    "previous_secret",
    "previous_secret_until",
    "status",
    "status_reason",
    "cursor_seq",
    "attempt",
    *LEASED_ROW_COLUMNS,
    "created_at",
    key="id",
    types={"cursor_seq": sa.BigInteger, "attempt": sa.Integer},
)

webhook_attempts = text_table(
    "webhook_attempts",
    "id",
    "endpoint_id",
    "seq",
    "event_type",
    "webhook_id",
    "attempt",
    "status_code",
    "latency_ms",
    "error",
    "created_at",
    key="id",
    types={
        "seq": sa.BigInteger,
        "attempt": sa.Integer,
        "status_code": sa.Integer,
        "latency_ms": sa.Integer,
    },
)

search_stories = text_table(
    "search_stories",
    "doc_id",
    "story_id",
    "version",
    "headline",
    "summary",
    "body_text",
    "byline",
    "dateline",
    "byline_folded",
    "dateline_folded",
    "language",
    "language_folded",
    "language_base",
    "urgency",
    "categories",
    "subjects",
    "first_created",
    "version_created",
    "embargoed_until",
    key="doc_id",
    types={"doc_id": sa.BigInteger, "version": sa.Integer, "urgency": sa.Integer},
)

search_story_tags = text_table(
    "search_story_tags",
    "doc_id",
    "kind",
    "value",
    key=("doc_id", "kind", "value"),
    types={"doc_id": sa.BigInteger},
)

# The last cursor served to each subscriber per channel (feed, sse, websocket,
# webhook) and when; written in batches by the usage recorder.
subscriber_cursors = text_table(
    "subscriber_cursors",
    "principal_id",
    "channel",
    "cursor_seq",
    "served_at",
    key=("principal_id", "channel"),
    types={"cursor_seq": sa.BigInteger},
)

# One row per full story version delivered to a subscriber: what an agency
# bills and answers complaints from. Kept when the subscriber is deleted.
usage_records = text_table(
    "usage_records",
    "id",
    "principal_id",
    "channel",
    "format",
    "story_id",
    "version",
    "seq",  # NULL for a story fetched by id
    "delivered_at",
    "deliveries",
    key="id",
    types={
        "id": sa.BigInteger,
        "version": sa.Integer,
        "seq": sa.BigInteger,
        "deliveries": sa.Integer,
    },
)

# Deliveries per subscriber, UTC day and channel: the daily quota and the
# account's usage figures read these instead of counting usage_records.
usage_daily = text_table(
    "usage_daily",
    "principal_id",
    "day",
    "channel",
    "deliveries",
    key=("principal_id", "day", "channel"),
    types={"deliveries": sa.BigInteger},
)

saved_searches = text_table(
    "saved_searches",
    "id",
    "principal_id",
    "name",
    "params",
    "created_at",
    key="id",
)

# People who sign in (staff and subscriber companies' users; migration 30).
# email_key is the address while the person is not removed, NULL after: the
# unique index keeps one live account per address and frees it on removal.
people = text_table(
    "people",
    "id",
    "email",
    "email_key",
    "name",
    "language",
    "audience",
    "role",
    "status",
    "principal_id",
    "password_hash",
    "created_at",
    "changed_at",
    "last_signed_in_at",
    key="id",
)

# The seat limit the agency set for a subscriber company (none: the default).
company_seats = text_table(
    "company_seats",
    "principal_id",
    "seat_limit",
    "changed_at",
    key="principal_id",
    types={"seat_limit": sa.Integer},
)

password_links = text_table(
    "password_links",
    "token_hash",
    "person_id",
    "created_at",
    "expires_at",
    "used_at",
    key="token_hash",
)

# Extra keys of a principal, each a person's own: with_key_hash finds them too.
personal_keys = text_table(
    "personal_keys",
    "id",
    "person_id",
    "principal_id",
    "key_hash",
    "label",
    "created_at",
    "revoked_at",
    key="id",
)

# Signed-in browsers (migration 31), keyed by the sha256 of the cookie's token.
sessions = text_table(
    "sessions",
    "id",
    "person_id",
    "csrf_token",
    "created_at",
    "last_seen_at",
    "address",
    "user_agent",
    key="id",
)

# Failed sign-ins per account and per client address, in fixed windows.
sign_in_failures = text_table(
    "sign_in_failures",
    "key",
    "window_started_at",
    "failures",
    key="key",
    types={"failures": sa.Integer},
)

sign_ins = text_table(
    "sign_ins",
    "id",
    "person_id",
    "at",
    "address",
    "user_agent",
    key="id",
)

# Mail waiting to go, and what went (migration 32): one row per address and key.
mail_outbox = text_table(
    "mail_outbox",
    "id",
    "idempotency_key",
    "recipient",
    "subject",
    "text_body",
    "html_body",
    "status",
    "attempts",
    *LEASED_ROW_COLUMNS,
    "last_error",
    "created_at",
    "sent_at",
    key="id",
    types={"attempts": sa.Integer},
)

# One secret feed URL per subscriber (delivery/feed_urls.py): the hash of its secret.
feed_urls = text_table(
    "feed_urls",
    "principal_id",
    "secret_hash",
    "created_at",
    key="principal_id",
)
