"""Conversions between domain values and table rows (times, JSON lists, enums).

Most stores keep one dataclass a row, a column per field of the same name.
What differs from field to field is only how its value is stored, and that
follows from the field's type: times as the fixed-width text of `db_time`,
enums as their value, lists of words as JSON, flags and counts as numbers.
`from_row` and `row_values` do that once for every such dataclass; a store
names only the fields stored another way.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.events import RemoteMedia
from newswire.models.principals import Entitlements, Principal, PrincipalStatus
from newswire.models.public import PublicStory
from newswire.models.stories import Event, EventType, MediaRef, StoryVersion
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


T = TypeVar("T")
Convert = Callable[[Any], Any]


def _words_from_json(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _words_to_json(words: tuple[str, ...]) -> str:
    return json.dumps(list(words), ensure_ascii=False)


def _enum_value(member: Enum) -> Any:
    return member.value


# How a field of these types is read from its column, and how it is stored.
_CONVERSIONS: dict[Any, tuple[Convert, Convert]] = {
    datetime: (py_time, db_time),
    datetime | None: (py_time_or_none, db_time_or_none),
    tuple[str, ...]: (_words_from_json, _words_to_json),
}


def _conversions(hint: Any) -> tuple[Convert | None, Convert | None]:
    """Return how a column becomes a field of this type and back (None: as it is)."""
    if hint in _CONVERSIONS:
        return _CONVERSIONS[hint]
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint, _enum_value
    if isinstance(hint, type) and issubclass(hint, bool | int | float):
        return hint, None  # SQLite hands a flag back as 0 or 1
    return None, None


# A field's name, how its column becomes its value, how its value is stored,
# and whether it has a default (so a row may lack its column).
_Field = tuple[str, Convert | None, Convert | None, bool]

# Each dataclass's fields, worked out from its type hints once.
_FIELDS: dict[type[Any], tuple[_Field, ...]] = {}


def _fields(cls: type[Any]) -> tuple[_Field, ...]:
    known = _FIELDS.get(cls)
    if known is None:
        hints = typing.get_type_hints(cls)
        known = _FIELDS[cls] = tuple(
            (
                field.name,
                *_conversions(hints[field.name]),
                field.default is not dataclasses.MISSING
                or field.default_factory is not dataclasses.MISSING,
            )
            for field in dataclasses.fields(cls)
            if field.init
        )
    return known


def from_row(cls: type[T], row: Mapping[Any, Any], **given: Any) -> T:
    """Build the dataclass `cls` from a row that holds a column per field of the same name.

    `given` are the fields the row holds another way (another column, other
    JSON, another table), taken as they are; a field with a default keeps it
    where the row has no column of its name.
    """
    values = given  # this call's own dict: filled in place
    for name, read, _, optional in _fields(cls):
        if name in values:
            continue
        if optional and name not in row:
            continue
        value = row[name]
        values[name] = value if read is None else read(value)
    return cls(**values)


def row_values(record: Any, leave_out: Collection[str] = (), **given: Any) -> dict[str, Any]:
    """Return the row of a dataclass: a column per field, stored as its type asks.

    `given` are the columns stored another way (or that are no field), taken
    as they are; `leave_out` names the fields that are no column.
    """
    values = given  # this call's own dict: filled in place
    for name, _, write, _ in _fields(type(record)):
        if name not in values and name not in leave_out:
            value = getattr(record, name)
            values[name] = value if write is None else write(value)
    return values


def oldest_first(table: sa.Table, *where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Select the rows of a table that match, oldest first (by created_at, then id)."""
    return sa.select(table).where(*where).order_by(table.c.created_at, table.c.id)


async def first_row(conn: AsyncConnection, query: sa.Executable) -> sa.RowMapping | None:
    """Run a query and return its first row as a mapping, None when it finds nothing."""
    return (await conn.execute(query)).mappings().first()


def story_version_values(story: StoryVersion) -> dict[str, Any]:
    """Return the story_versions row of a story version."""
    return row_values(
        story,
        leave_out=("guid", "slug", "change"),
        subjects=_ascii_json(story.subjects),
        change_type=story.change.value,
        media=json.dumps([_ref_json(ref) for ref in story.media], ensure_ascii=False),
    )


def _ascii_json(subjects: tuple[str, ...]) -> str:
    # Subjects were always written ASCII-escaped; public.py's LIKE looks for them so.
    return json.dumps(list(subjects))


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
    # Columns added after migration 1 read as their migration's default (the
    # field's) when a data step selects only the columns of its own version.
    return from_row(
        StoryVersion,
        row,
        slug=slug,
        guid=guid,
        change=EventType(row.get("change_type") or EventType.PUBLISHED),
        media=tuple(_ref(ref) for ref in json.loads(row.get("media") or "[]")),
    )


def event_from_row(row: Mapping[Any, Any]) -> Event:
    """Build an Event from an events row."""
    return from_row(Event, row)


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
    return from_row(
        Principal,
        row,
        entitlements=Entitlements.model_validate_json(row["entitlements"]),
        status=principal_status(row),
    )


def public_story_values(story: PublicStory) -> dict[str, Any]:
    """Return the public_stories row of a public story."""
    return row_values(
        story,
        subjects=_ascii_json(story.subjects),
        # What the public site's search looks in: the same folded words as
        # the archive search, of the public text only.
        search_words=index_text(f"{story.headline} {story.summary}"),
    )


def public_story_from_row(row: Mapping[Any, Any]) -> PublicStory:
    """Build a PublicStory from a public_stories row."""
    return from_row(PublicStory, row)


STORY_COLUMNS = [column for column in story_versions.c] + [stories.c.slug, stories.c.guid]


def story_select() -> sa.Select[Any]:
    """Return a select of story versions with their story's slug and guid."""
    return sa.select(*STORY_COLUMNS).join(stories, stories.c.id == story_versions.c.story_id)


def story_from_row(row: Any) -> StoryVersion:
    """Return the story version of a row selected by `story_select`."""
    return story_version_from_row(row, row["slug"], row["guid"])
