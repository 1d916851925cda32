"""A search as storage runs it: the parsed query, filters, order, page, and the caller's reach.

Cursors are opaque to clients but plain to us: base64 of a small JSON
object. A cursor names the search it belongs to (a fingerprint of the query,
filters and order), so it cannot be replayed against another search.

Pagination stays stable while stories arrive:

* by time (`newest`, `oldest`: the order in which stories first reached the
  wire), the cursor is the last hit's document number, which a story keeps
  for life, so updates do not move it across pages, and new stories sort
  before the first page (`newest`) or after the last (`oldest`);
* by relevance, the first page ranks up to `RELEVANCE_DEPTH` matches once and
  the cursor carries the remaining document numbers in that order; later
  pages re-read those stories (still applying entitlement and kills) but
  never re-rank, so nothing moves between pages however the index changes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from newswire.models.principals import Entitlements
from newswire.search.query import Node

RELEVANCE_DEPTH = 300


class SearchOrder(StrEnum):
    """How hits are ordered."""

    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing beyond the words; every filter given must hold."""

    categories: tuple[str, ...] = ()  # any of them (case-insensitive)
    subjects: tuple[str, ...] = ()  # medtop qcodes, narrower topics already added
    languages: tuple[str, ...] = ()  # "en" also finds "en-GB"
    urgency_min: int = 1
    urgency_max: int = 9
    published_from: datetime | None = None
    published_to: datetime | None = None
    byline: str = ""  # folded; a part of the byline
    located: str = ""  # folded; a part of the dateline


@dataclass(frozen=True)
class SearchRequest:
    """One page of one search for one caller."""

    text: str
    query: Node | None
    filters: SearchFilters
    order: SearchOrder
    limit: int
    now: datetime
    # None: the caller sees every current story (editors and admins); else
    # only what these entitlements cover, embargoed stories only with access.
    entitlements: Entitlements | None
    cursor: Cursor | None = None

    def fingerprint(self) -> str:
        """Return a short hash of what decides the hits (not the page or the caller's position)."""
        described = json.dumps(
            [self.text, repr(self.filters), self.order.value], ensure_ascii=False, default=str
        )
        return hashlib.sha256(described.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts."""

    fingerprint: str
    total: int
    after_doc: int = 0  # time orders: the last hit's document number
    remaining: tuple[int, ...] = field(default=())  # relevance order: the ranked rest
    scores: tuple[float, ...] = field(default=())  # ... and their scores


class InvalidCursor(ValueError):
    """A cursor that is damaged or belongs to another search."""


def encode_cursor(cursor: Cursor) -> str:
    """Return the opaque text of a cursor."""
    data = {"f": cursor.fingerprint, "n": cursor.total}
    if cursor.remaining:
        data["r"] = _pack(cursor.remaining)
        # Half-precision scores: three significant digits are plenty to show.
        data["s"] = base64.b85encode(
            struct.pack(f"<{len(cursor.scores)}e", *cursor.scores)
        ).decode()
    else:
        data["d"] = cursor.after_doc
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def decode_cursor(text: str, fingerprint: str) -> Cursor:
    """Read a cursor; raise InvalidCursor when it is damaged or from another search."""
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        data = json.loads(raw)
        cursor = Cursor(
            fingerprint=str(data["f"]),
            total=int(data["n"]),
            after_doc=int(data.get("d", 0)),
            remaining=_unpack(str(data["r"])) if "r" in data else (),
            scores=_scores(str(data.get("s", ""))),
        )
    except (binascii.Error, zlib.error, struct.error, ValueError, KeyError, TypeError) as error:
        raise InvalidCursor("the cursor is damaged: use the `next` of a previous page") from error
    if cursor.fingerprint != fingerprint:
        raise InvalidCursor("the cursor belongs to a different search (query, filters or sort)")
    return cursor


def _pack(numbers: tuple[int, ...]) -> str:
    # Document numbers as variable-length integers: a few bytes each.
    out = bytearray()
    for number in numbers:
        while True:
            byte, number = number & 0x7F, number >> 7
            out.append(byte | (0x80 if number else 0))
            if not number:
                break
    return base64.b85encode(bytes(out)).decode()


def _scores(text: str) -> tuple[float, ...]:
    raw = base64.b85decode(text)
    return struct.unpack(f"<{len(raw) // 2}e", raw)


def _unpack(text: str) -> tuple[int, ...]:
    numbers, number, shift = [], 0, 0
    for byte in base64.b85decode(text):
        number |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            numbers.append(number)
            number, shift = 0, 0
    return tuple(numbers)


@dataclass(frozen=True)
class SearchHit:
    """One story found: its current version's listing fields and where the match is."""

    doc_id: int
    story_id: str
    version: int
    headline: str
    summary: str
    body_text: str
    byline: str
    dateline: str
    language: str
    urgency: int
    categories: tuple[str, ...]
    subjects: tuple[str, ...]
    first_created: datetime
    version_created: datetime
    embargoed_until: datetime | None
    score: float | None  # relevance order only; higher is better


@dataclass(frozen=True)
class SearchPage:
    """One page of hits, the number of all hits, and the cursor of the next page."""

    hits: list[SearchHit]
    total: int
    next: Cursor | None
