"""Conversions between domain values and table rows (times, JSON lists, enums)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.events import RemoteMedia
from newswire.models.principals import Entitlements, Principal, PrincipalStatus, Role
from newswire.models.public import PublicStory
from newswire.models.stories import Event, EventType, MediaRef, PubStatus, StoryVersion
from newswire.search.folding import index_text
from newswire.storage.tables import stories, story_versions

# Fixed-width UTC text sorts in time order in both SQLite and PostgreSQL.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_SHORT_YEAR = re.compile(r"(\d{1,3})(-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")


def db_time(value: datetime) -> str:
    """Return a time as the fixed-width UTC text stored in the database.

    The year is always four digits (strftime writes year 1 as "1", which
    neither sorts nor parses back: issue 15's poison pill).
    """
    u = value.astimezone(UTC)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T"
        f"{u.hour:02d}:{u.minute:02d}:{u.second:02d}.{u.microsecond:06d}Z"
    )


def db_time_or_none(value: datetime | None) -> str | None:
    """Return db_time(value), or None for None."""
    return None if value is None else db_time(value)


def py_time(text: str) -> datetime:
    """Parse a stored time back into an aware datetime."""
    # fromisoformat reads the same fixed-width text ~50x faster than strptime,
    # which matters on every log read (two times per entry).
    if len(text) == 27 and text.endswith("Z"):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    try:
        return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        # A year of fewer than four digits, written before the gate refused
        # such times: read it rather than fail every reader of that row.
        legacy = _SHORT_YEAR.fullmatch(text)
        if legacy is None:
            raise
        year, rest = legacy.groups()
        return datetime.fromisoformat(f"{int(year):04d}{rest}")


def py_time_or_none(text: str | None) -> datetime | None:
    """Return py_time(text), or None for None."""
    return None if text is None else py_time(text)


async def first_row(conn: AsyncConnection, query: sa.Executable) -> sa.RowMapping | None:
    """Run a query and return its first row as a mapping, None when it finds nothing."""
    return (await conn.execute(query)).mappings().first()


def story_version_values(story: StoryVersion) -> dict[str, Any]:
    """Return the story_versions row of a story version."""
    return {
        "story_id": story.story_id,
        "version": story.version,
        "headline": story.headline,
        "summary": story.summary,
        "body_html": story.body_html,
        "byline": story.byline,
        "dateline": story.dateline,
        "categories": json.dumps(list(story.categories), ensure_ascii=False),
        "subjects": json.dumps(list(story.subjects)),
        "urgency": story.urgency,
        "language": story.language,
        "public": story.public,
        "pubstatus": story.pubstatus.value,
        "embargoed_until": db_time_or_none(story.embargoed_until),
        "ednote": story.ednote,
        "genre": story.genre,
        "source": story.source,
        "public_summary": story.public_summary,
        "first_created": db_time(story.first_created),
        "version_created": db_time(story.version_created),
        "change_type": story.change.value,
        "slugline": story.slugline,
        "genre_code": story.genre_code,
        "located": story.located,
        "located_code": story.located_code,
        "copyright_holder": story.copyright_holder,
        "copyright_notice": story.copyright_notice,
        "usage_terms": story.usage_terms,
        "content_created": db_time_or_none(story.content_created),
        "content_modified": db_time_or_none(story.content_modified),
        "author_id": story.author_id,
        "author_name": story.author_name,
        "media": json.dumps([_ref_json(ref) for ref in story.media], ensure_ascii=False),
    }


def _ref_json(ref: MediaRef) -> dict[str, Any]:
    body: dict[str, Any] = {"id": ref.id, "rel": ref.rel}
    if ref.remote is not None:
        body["remote"] = ref.remote.as_json()
    return body


def _ref(body: dict[str, Any]) -> MediaRef:
    remote = RemoteMedia.from_json(body["remote"]) if body.get("remote") else None
    return MediaRef(str(body["id"]), str(body["rel"]), remote)


def story_version_from_row(row: Mapping[Any, Any], slug: str, guid: str) -> StoryVersion:
    """Build a StoryVersion from a story_versions row and its story's slug and guid."""
    return StoryVersion(
        story_id=row["story_id"],
        version=row["version"],
        guid=guid,
        slug=slug,
        headline=row["headline"],
        summary=row["summary"],
        body_html=row["body_html"],
        byline=row["byline"],
        dateline=row["dateline"],
        categories=tuple(json.loads(row["categories"])),
        subjects=tuple(json.loads(row["subjects"])),
        urgency=row["urgency"],
        language=row["language"],
        public=bool(row["public"]),
        pubstatus=PubStatus(row["pubstatus"]),
        embargoed_until=py_time_or_none(row["embargoed_until"]),
        ednote=row["ednote"],
        genre=row["genre"],
        source=row["source"],
        public_summary=row["public_summary"],
        first_created=py_time(row["first_created"]),
        version_created=py_time(row["version_created"]),
        # Columns added after migration 1 read as their migration's default
        # when a data step selects only the columns of its own version.
        change=EventType(row.get("change_type") or EventType.PUBLISHED),
        slugline=row.get("slugline") or "",
        genre_code=row.get("genre_code") or "",
        located=row.get("located") or "",
        located_code=row.get("located_code") or "",
        copyright_holder=row.get("copyright_holder") or "",
        copyright_notice=row.get("copyright_notice") or "",
        usage_terms=row.get("usage_terms") or "",
        content_created=py_time_or_none(row.get("content_created")),
        content_modified=py_time_or_none(row.get("content_modified")),
        author_id=row.get("author_id") or "",
        author_name=row.get("author_name") or "",
        media=tuple(_ref(ref) for ref in json.loads(row.get("media") or "[]")),
    )


def event_from_row(row: Mapping[Any, Any]) -> Event:
    """Build an Event from an events row."""
    return Event(
        seq=row["seq"],
        type=EventType(row["type"]),
        story_id=row["story_id"],
        version=row["version"],
        created_at=py_time(row["created_at"]),
    )


def principal_status(row: Mapping[Any, Any]) -> PrincipalStatus:
    """Return whether a principals row's key works, from its deleted/revoked/suspended times."""
    if row["deleted_at"] is not None:
        return PrincipalStatus.DELETED
    if row["revoked_at"] is not None:
        return PrincipalStatus.REVOKED
    if row["suspended_at"] is not None:
        return PrincipalStatus.SUSPENDED
    return PrincipalStatus.ACTIVE


def principal_from_row(row: Mapping[Any, Any]) -> Principal:
    """Build a Principal from a principals row."""
    return Principal(
        id=row["id"],
        role=Role(row["role"]),
        name=row["name"],
        entitlements=Entitlements.model_validate_json(row["entitlements"]),
        format=row["format"],
        daily_quota=row["daily_quota"],
        status=principal_status(row),
        key_hash=row["key_hash"],
    )


def public_story_values(story: PublicStory) -> dict[str, Any]:
    """Return the public_stories row of a public story."""
    return {
        "story_id": story.story_id,
        "slug": story.slug,
        "language": story.language,
        "headline": story.headline,
        "summary": story.summary,
        "byline": story.byline,
        "dateline": story.dateline,
        "categories": json.dumps(list(story.categories), ensure_ascii=False),
        "subjects": json.dumps(list(story.subjects)),
        "urgency": story.urgency,
        "first_published": db_time(story.first_published),
        "updated_at": db_time(story.updated_at),
        "visible_from": db_time(story.visible_from),
        "killed_at": db_time_or_none(story.killed_at),
        # What the public site's search looks in: the same folded words as
        # the archive search, of the public text only.
        "search_words": index_text(f"{story.headline} {story.summary}"),
        "featured_media": story.featured_media,
    }


def public_story_from_row(row: Mapping[Any, Any]) -> PublicStory:
    """Build a PublicStory from a public_stories row."""
    return PublicStory(
        story_id=row["story_id"],
        slug=row["slug"],
        language=row["language"],
        headline=row["headline"],
        summary=row["summary"],
        byline=row["byline"],
        dateline=row["dateline"],
        categories=tuple(json.loads(row["categories"])),
        subjects=tuple(json.loads(row["subjects"])),
        urgency=row["urgency"],
        first_published=py_time(row["first_published"]),
        updated_at=py_time(row["updated_at"]),
        visible_from=py_time(row["visible_from"]),
        killed_at=py_time_or_none(row["killed_at"]),
        featured_media=row.get("featured_media") or "",
    )


STORY_COLUMNS = [column for column in story_versions.c] + [stories.c.slug, stories.c.guid]


def story_select() -> sa.Select[Any]:
    """Return a select of story versions with their story's slug and guid."""
    return sa.select(*STORY_COLUMNS).join(stories, stories.c.id == story_versions.c.story_id)


def story_from_row(row: Any) -> StoryVersion:
    """Return the story version of a row selected by `story_select`."""
    return story_version_from_row(row, row["slug"], row["guid"])
