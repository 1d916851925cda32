"""Query parameters and request bodies that several endpoints share, declared once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

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


def format_for(request: Request, principal: Principal, requested: str | None) -> str:
    """Return the format a request asks for: `?format=`, then Accept, then the caller's own."""
    return negotiate(requested, request.headers.get("accept"), principal.format)


def decode_utf8(raw: bytes) -> str:
    """Return a request body as text, or answer 400 when it is not valid UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise APIError(
            400, f"request body is not valid UTF-8 (at byte {error.start})", "body"
        ) from error
