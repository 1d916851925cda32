"""HTTP caching of public pages so a CDN can carry the load: validators, 304s, Cache-Control.

The ETag of a page is a hash of exactly the data it shows (every field of
each story shown, the counts and links around them), its
parameters, and the site revision (code, templates, translations and
settings). So any update, kill, new story or changed setting changes the
ETag, and a revalidating CDN fetches the new page: the data is read anyway,
only the rendering is skipped on a match. `Last-Modified` is sent too, but
only a single story's page honours `If-Modified-Since`: a listing can change
by losing a story (a kill), which no timestamp on the remaining ones shows.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from newswire import __version__
from newswire.delivery.http_dates import parse_http_date
from newswire.models.public import PublicStory
from newswire.settings import Settings

NO_STORE = {"Cache-Control": "no-store"}


@cache
def _code_revision() -> str:
    digest = hashlib.sha256(__version__.encode())
    root = resources.files("newswire.site")
    for folder in ("templates", "static"):
        for item in sorted(root.joinpath(folder).iterdir(), key=lambda entry: entry.name):
            if item.is_file():
                digest.update(item.name.encode() + item.read_bytes())
    digest.update(resources.files("newswire.site").joinpath("i18n.py").read_bytes())
    return digest.hexdigest()


def site_revision(settings: Settings) -> str:
    """Return a hash of what shapes every page besides the stories: code and settings."""
    text = _code_revision() + repr(sorted(settings.as_dict().items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def story_stamps(stories: Iterable[PublicStory]) -> list[str]:
    """Return a digest of every shown field of each story, for an ETag.

    Times alone are not enough: two versions filed within one second carry the
    same update time, so the digest covers the headline, summary and the rest.
    """
    return [
        hashlib.sha256(repr(dataclasses.astuple(story)).encode()).hexdigest()[:16]
        for story in stories
    ]


def last_modified(stories: Iterable[PublicStory]) -> datetime | None:
    """Return the newest update or visibility time of the stories shown."""
    times = [max(story.updated_at, story.visible_from) for story in stories]
    return max(times) if times else None


def etag_for(settings: Settings, *parts: Any) -> str:
    """Return a strong ETag for a page showing exactly `parts` under the current site."""
    digest = hashlib.sha256(repr((site_revision(settings), parts)).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def is_not_modified(
    request: Request, etag: str, modified: datetime | None, honour_dates: bool
) -> bool:
    """Tell whether the client's copy is current (If-None-Match first, as RFC 9110 says)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if honour_dates and modified is not None and if_modified_since:
        since = parse_http_date(if_modified_since)
        return since is not None and modified.replace(microsecond=0) <= since
    return False


def cache_headers(settings: Settings, etag: str, modified: datetime | None) -> dict[str, str]:
    """Return ETag, Last-Modified and a Cache-Control a CDN can serve stale while revalidating."""
    headers = {
        "ETag": etag,
        "Cache-Control": (
            f"public, max-age={settings.site_max_age}, "
            f"stale-while-revalidate={settings.site_stale_seconds}, stale-if-error=86400"
        ),
    }
    if modified is not None:
        headers["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
    return headers


def conditional(
    request: Request,
    settings: Settings,
    etag: str,
    modified: datetime | None,
    build: Callable[[], Response],
    honour_dates: bool = False,
) -> Response:
    """Answer 304 when the client's copy is current, else build the response; add validators."""
    headers = cache_headers(settings, etag, modified)
    if is_not_modified(request, etag, modified, honour_dates):
        return Response(status_code=304, headers=headers)
    response = build()
    response.headers.update(headers)
    return response
