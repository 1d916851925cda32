"""SQLAlchemy Core descriptions of the tables, used to build queries.

The tables themselves are created by `migrations.py`; these objects only name
columns and their Python types, so queries are written once for both dialects.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

principals = sa.Table(
    "principals",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("role", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("key_hash", sa.Text),
    sa.Column("entitlements", sa.Text),
    sa.Column("format", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("revoked_at", sa.Text),
    sa.Column("suspended_at", sa.Text),
    sa.Column("deleted_at", sa.Text),
    sa.Column("daily_quota", sa.Integer),
    # When the key last changed state (revoked, suspended, resumed, deleted,
    # rotated): every node's access watcher polls it to cut live streams.
    sa.Column("changed_at", sa.Text),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("slug", sa.Text),
    sa.Column("guid", sa.Text),
    sa.Column("current_version", sa.Integer),
    sa.Column("pubstatus", sa.Text),
    sa.Column("first_created", sa.Text),
    sa.Column("updated_at", sa.Text),
)

story_versions = sa.Table(
    "story_versions",
    metadata,
    sa.Column("story_id", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("headline", sa.Text),
    sa.Column("summary", sa.Text),
    sa.Column("body_html", sa.Text),
    sa.Column("byline", sa.Text),
    sa.Column("dateline", sa.Text),
    sa.Column("categories", sa.Text),
    sa.Column("subjects", sa.Text),
    sa.Column("urgency", sa.Integer),
    sa.Column("language", sa.Text),
    sa.Column("public", sa.Boolean),
    sa.Column("pubstatus", sa.Text),
    sa.Column("embargoed_until", sa.Text),
    sa.Column("ednote", sa.Text),
    sa.Column("genre", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("public_summary", sa.Text),
    sa.Column("first_created", sa.Text),
    sa.Column("version_created", sa.Text),
    sa.Column("change_type", sa.Text),
    sa.Column("slugline", sa.Text),
    sa.Column("genre_code", sa.Text),
    sa.Column("located", sa.Text),
    sa.Column("located_code", sa.Text),
    sa.Column("copyright_holder", sa.Text),
    sa.Column("copyright_notice", sa.Text),
    sa.Column("usage_terms", sa.Text),
    sa.Column("content_created", sa.Text),
    sa.Column("content_modified", sa.Text),
    sa.Column("author_id", sa.Text),
    sa.Column("author_name", sa.Text),
    sa.Column("media", sa.Text),  # migration 41: [{"id", "rel"}, ...]
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("type", sa.Text),
    sa.Column("story_id", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("created_at", sa.Text),
)

log_counter = sa.Table(
    "log_counter",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("last_seq", sa.BigInteger),
)

public_stories = sa.Table(
    "public_stories",
    metadata,
    sa.Column("story_id", sa.Text, primary_key=True),
    sa.Column("slug", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("headline", sa.Text),
    sa.Column("summary", sa.Text),
    sa.Column("byline", sa.Text),
    sa.Column("dateline", sa.Text),
    sa.Column("categories", sa.Text),
    sa.Column("subjects", sa.Text),
    sa.Column("urgency", sa.Integer),
    sa.Column("first_published", sa.Text),
    sa.Column("updated_at", sa.Text),
    sa.Column("visible_from", sa.Text),
    sa.Column("killed_at", sa.Text),
    sa.Column("search_words", sa.Text),
    sa.Column("featured_media", sa.Text),  # migration 42
)

public_story_sections = sa.Table(
    "public_story_sections",
    metadata,
    sa.Column("story_id", sa.Text, primary_key=True),
    sa.Column("section", sa.Text, primary_key=True),
)

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("applied_at", sa.Text),
)

webhook_endpoints = sa.Table(
    "webhook_endpoints",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("principal_id", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("secret", sa.Text),
    sa.Column("previous_secret", sa.Text),
    sa.Column("previous_secret_until", sa.Text),
    sa.Column("status", sa.Text),
    sa.Column("status_reason", sa.Text),
    sa.Column("cursor_seq", sa.BigInteger),
    sa.Column("attempt", sa.Integer),
    sa.Column("next_attempt_at", sa.Text),
    sa.Column("leased_by", sa.Text),
    sa.Column("lease_until", sa.Text),
    sa.Column("created_at", sa.Text),
)

webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("endpoint_id", sa.Text),
    sa.Column("seq", sa.BigInteger),
    sa.Column("event_type", sa.Text),
    sa.Column("webhook_id", sa.Text),
    sa.Column("attempt", sa.Integer),
    sa.Column("status_code", sa.Integer),
    sa.Column("latency_ms", sa.Integer),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.Text),
)

search_stories = sa.Table(
    "search_stories",
    metadata,
    sa.Column("doc_id", sa.BigInteger, primary_key=True),
    sa.Column("story_id", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("headline", sa.Text),
    sa.Column("summary", sa.Text),
    sa.Column("body_text", sa.Text),
    sa.Column("byline", sa.Text),
    sa.Column("dateline", sa.Text),
    sa.Column("byline_folded", sa.Text),
    sa.Column("dateline_folded", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("language_folded", sa.Text),
    sa.Column("language_base", sa.Text),
    sa.Column("urgency", sa.Integer),
    sa.Column("categories", sa.Text),
    sa.Column("subjects", sa.Text),
    sa.Column("first_created", sa.Text),
    sa.Column("version_created", sa.Text),
    sa.Column("embargoed_until", sa.Text),
)

search_story_tags = sa.Table(
    "search_story_tags",
    metadata,
    sa.Column("doc_id", sa.BigInteger, primary_key=True),
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, primary_key=True),
)

# The last cursor served to each subscriber per channel (feed, sse, websocket,
# webhook) and when; written in batches by the usage recorder.
subscriber_cursors = sa.Table(
    "subscriber_cursors",
    metadata,
    sa.Column("principal_id", sa.Text, primary_key=True),
    sa.Column("channel", sa.Text, primary_key=True),
    sa.Column("cursor_seq", sa.BigInteger),
    sa.Column("served_at", sa.Text),
)

# One row per full story version delivered to a subscriber: what an agency
# bills and answers complaints from. Kept when the subscriber is deleted.
usage_records = sa.Table(
    "usage_records",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("principal_id", sa.Text),
    sa.Column("channel", sa.Text),
    sa.Column("format", sa.Text),
    sa.Column("story_id", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("seq", sa.BigInteger),  # NULL for a story fetched by id
    sa.Column("delivered_at", sa.Text),
    sa.Column("deliveries", sa.Integer),
)

# Deliveries per subscriber, UTC day and channel: the daily quota and the
# account's usage figures read these instead of counting usage_records.
usage_daily = sa.Table(
    "usage_daily",
    metadata,
    sa.Column("principal_id", sa.Text, primary_key=True),
    sa.Column("day", sa.Text, primary_key=True),
    sa.Column("channel", sa.Text, primary_key=True),
    sa.Column("deliveries", sa.BigInteger),
)

saved_searches = sa.Table(
    "saved_searches",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("principal_id", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("params", sa.Text),
    sa.Column("created_at", sa.Text),
)

# People who sign in (staff and subscriber companies' users; migration 30).
# email_key is the address while the person is not removed, NULL after: the
# unique index keeps one live account per address and frees it on removal.
people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("email", sa.Text),
    sa.Column("email_key", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("audience", sa.Text),
    sa.Column("role", sa.Text),
    sa.Column("status", sa.Text),
    sa.Column("principal_id", sa.Text),
    sa.Column("password_hash", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("changed_at", sa.Text),
    sa.Column("last_signed_in_at", sa.Text),
)

# The seat limit the agency set for a subscriber company (none: the default).
company_seats = sa.Table(
    "company_seats",
    metadata,
    sa.Column("principal_id", sa.Text, primary_key=True),
    sa.Column("seat_limit", sa.Integer),
    sa.Column("changed_at", sa.Text),
)

password_links = sa.Table(
    "password_links",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("person_id", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("expires_at", sa.Text),
    sa.Column("used_at", sa.Text),
)

# Extra keys of a principal, each a person's own: with_key_hash finds them too.
personal_keys = sa.Table(
    "personal_keys",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("person_id", sa.Text),
    sa.Column("principal_id", sa.Text),
    sa.Column("key_hash", sa.Text),
    sa.Column("label", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("revoked_at", sa.Text),
)

# Signed-in browsers (migration 31), keyed by the sha256 of the cookie's token.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("person_id", sa.Text),
    sa.Column("csrf_token", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("last_seen_at", sa.Text),
    sa.Column("address", sa.Text),
    sa.Column("user_agent", sa.Text),
)

# Failed sign-ins per account and per client address, in fixed windows.
sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("window_started_at", sa.Text),
    sa.Column("failures", sa.Integer),
)

sign_ins = sa.Table(
    "sign_ins",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("person_id", sa.Text),
    sa.Column("at", sa.Text),
    sa.Column("address", sa.Text),
    sa.Column("user_agent", sa.Text),
)

# Mail waiting to go, and what went (migration 32): one row per address and key.
mail_outbox = sa.Table(
    "mail_outbox",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("idempotency_key", sa.Text),
    sa.Column("recipient", sa.Text),
    sa.Column("subject", sa.Text),
    sa.Column("text_body", sa.Text),
    sa.Column("html_body", sa.Text),
    sa.Column("status", sa.Text),
    sa.Column("attempts", sa.Integer),
    sa.Column("next_attempt_at", sa.Text),
    sa.Column("leased_by", sa.Text),
    sa.Column("lease_until", sa.Text),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("sent_at", sa.Text),
)

# One secret feed URL per subscriber (delivery/feed_urls.py): the hash of its secret.
feed_urls = sa.Table(
    "feed_urls",
    metadata,
    sa.Column("principal_id", sa.Text, primary_key=True),
    sa.Column("secret_hash", sa.Text),
    sa.Column("created_at", sa.Text),
)
