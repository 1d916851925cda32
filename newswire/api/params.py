"""Query parameters, request bodies and answers that several endpoints share, declared once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from newswire.api.deps import ReaderDep
from newswire.api.errors import APIError
from newswire.delivery.formats import negotiate
from newswire.models.principals import Principal

FormatParam = Annotated[
    str | None,
    Query(description="Item format: ninjs2, ninjs3, newsml-g2, nitf or text (default: yours)"),
]
SearchParam = Annotated[
    str | None,
    Query(description="Follow a saved search (its id): only the stories on that beat"),
]
PublicParam = Annotated[
    bool | None, Query(description="Put the story on the public site (text layout requests)")
]
AfterParam = Annotated[str | None, Query(description="Cursor: the `next` of the previous page")]
AtomLimitParam = Annotated[int, Query(ge=1, le=200, description="Most entries")]

# The answers of the endpoints that deliver events and stories.
EVENT_PAGE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid cursor"},
    406: {"description": "Unknown format; the error lists the known ones"},
}
ATOM_FEED: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/atom+xml": {}}, "description": "Atom 1.0 feed"},
}
QUOTA_USED_UP: dict[int | str, dict[str, Any]] = {
    429: {"description": "Daily download quota used up (or over the rate limit)"},
}


def format_for(request: Request, principal: Principal, requested: str | None) -> str:
    """Return the format a request asks for: `?format=`, then Accept, then the caller's own."""
    return negotiate(requested, request.headers.get("accept"), principal.format)


@dataclass(frozen=True)
class Reading:
    """A reader's request for stories or events: who asks, and in which format."""

    principal: Principal
    format: str


async def reading(request: Request, principal: ReaderDep, format: FormatParam = None) -> Reading:
    """Return who reads and the format it asks for (see `format_for`)."""
    return Reading(principal, format_for(request, principal, format))


ReadingDep = Annotated[Reading, Depends(reading)]


def decode_utf8(raw: bytes) -> str:
    """Return a request body as text, or answer 400 when it is not valid UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise APIError(
            400, f"request body is not valid UTF-8 (at byte {error.start})", "body"
        ) from error
