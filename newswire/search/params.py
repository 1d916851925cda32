"""A search as the client writes it (query text and filter strings), checked and compiled.

The same parameters arrive on `GET /v1/search` and in a saved search; this
module turns them into a parsed query and `SearchFilters`, or raises
`InvalidSearch` naming the parameter at fault.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from newswire.newsroom.vocab.mediatopics import UnknownSubject, with_narrower
from newswire.search.folding import fold
from newswire.search.query import Node, QuerySyntaxError, parse_query
from newswire.search.request import SearchFilters

_URGENCY = re.compile(r"^\s*([1-9])\s*(?:(?:-|\.\.)\s*([1-9])\s*)?$")


class InvalidSearch(ValueError):
    """A search parameter that cannot be used; `field` names it."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class SearchParams:
    """The words and filters of a search, as written."""

    q: str = ""
    category: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    urgency: str = ""
    published_from: str = ""  # `from` on the wire
    published_to: str = ""  # `to` on the wire
    byline: str = ""
    located: str = ""

    def as_json(self) -> dict[str, Any]:
        """Return the parameters as stored with a saved search (only those given)."""
        return {name: value for name, value in asdict(self).items() if value not in ("", ())}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchParams:
        """Return the parameters stored with a saved search."""
        values: dict[str, Any] = {
            name: tuple(value) if isinstance(value, list) else value for name, value in data.items()
        }
        return cls(**values)


def _urgency(text: str) -> tuple[int, int]:
    if not text.strip():
        return 1, 9
    match = _URGENCY.match(text)
    if match is None:
        raise InvalidSearch(f"urgency {text!r} is not a level 1-9 or a range like 1-3", "urgency")
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if low > high:
        raise InvalidSearch(f"urgency range {text!r} runs backwards; write {high}-{low}", "urgency")
    return low, high


def _moment(text: str, field: str, end_of_day: bool) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            # `to=2026-11-27` includes all of that day.
            moment = datetime.combine(day + timedelta(days=1 if end_of_day else 0), time(), UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
    except ValueError as error:
        raise InvalidSearch(
            f"{field} {text!r} is not a date (2026-11-27) or a time (2026-11-27T09:30:00Z)", field
        ) from error
    return moment


def _subjects(codes: tuple[str, ...]) -> tuple[str, ...]:
    found: set[str] = set()
    for code in codes:
        try:
            found |= with_narrower(code)
        except UnknownSubject as error:
            raise InvalidSearch(str(error), "subject") from error
    return tuple(sorted(found))


def _clean(values: tuple[str, ...]) -> tuple[str, ...]:
    # `category=World,Sport` and `category=World&category=Sport` mean the same.
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def compile_search(params: SearchParams) -> tuple[Node | None, SearchFilters]:
    """Return the parsed query and the filters of a search; raise InvalidSearch."""
    try:
        query = parse_query(params.q)
    except QuerySyntaxError as error:
        raise InvalidSearch(f"malformed query: {error}", "q") from error
    low, high = _urgency(params.urgency)
    published_from = _moment(params.published_from, "from", end_of_day=False)
    published_to = _moment(params.published_to, "to", end_of_day=True)
    if published_from and published_to and published_from >= published_to:
        raise InvalidSearch("`from` must be before `to`", "from")
    filters = SearchFilters(
        categories=_clean(params.category),
        subjects=_subjects(_clean(params.subject)),
        languages=_clean(params.language),
        urgency_min=low,
        urgency_max=high,
        published_from=published_from,
        published_to=published_to,
        byline=fold(params.byline.strip()),
        located=fold(params.located.strip()),
    )
    return query, filters
