"""Output formats: the one place they are registered, chosen by name or Accept header.

A format is a pure function from a story version (with the pictures and video it
carries, and the agency that provides it) to bytes, and one from a media version to
bytes (a picture or video event on its own). Each lives in its own module; this
registry names them, gives each its media type, caches renderings (a version is
rendered once per format, not once per subscriber) and negotiates which one a
client gets.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newswire.delivery.formats import newsml_g2, ninjs2, ninjs3, nitf, text
from newswire.delivery.formats.agency import Agency
from newswire.models.media import Attached, MediaVersion
from newswire.models.stories import StoryVersion

__all__ = [
    "DEFAULT_FORMAT",
    "FORMATS",
    "Agency",
    "Format",
    "UnknownFormat",
    "negotiate",
    "render",
    "render_item",
    "render_media",
    "render_media_item",
]


@dataclass(frozen=True)
class Format:
    """A registered output format: its name, media type and render function."""

    name: str
    media_type: str
    is_json: bool
    render: Callable[[StoryVersion, Agency, Sequence[Attached]], bytes]
    render_media: Callable[[MediaVersion, Agency], bytes]
    accept: tuple[str, ...] = ()  # further media types that select it in an Accept header


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format(
            "ninjs2",
            "application/json",
            True,
            ninjs2.render,
            ninjs2.render_media,
            ("application/ninjs+json", "application/vnd.iptc.ninjs+json"),
        ),
        Format("ninjs3", "application/json", True, ninjs3.render, ninjs3.render_media),
        Format(
            "newsml-g2",
            "application/vnd.iptc.g2.newsitem+xml",
            False,
            newsml_g2.render,
            newsml_g2.render_media,
            # Generic XML means the agency's XML item format: NewsML-G2.
            ("application/vnd.iptc.g2+xml", "application/xml", "text/xml"),
        ),
        Format("nitf", "application/nitf+xml", False, nitf.render, nitf.render_media),
        Format(
            "text",
            "text/plain; charset=utf-8",
            False,
            text.render,
            text.render_media,
            ("text/plain",),
        ),
    )
}
DEFAULT_FORMAT = "ninjs2"
_CACHE_SIZE = 4096


class UnknownFormat(ValueError):
    """Raised for a format name that is not registered; the message lists the known ones."""

    def __init__(self, requested: str) -> None:
        self.requested = requested
        self.known = list(FORMATS)
        super().__init__(f"unknown format {requested!r}; known formats: {', '.join(self.known)}")


def get_format(format_name: str) -> Format:
    """Return the registered format called `format_name`, or raise UnknownFormat."""
    try:
        return FORMATS[format_name]
    except KeyError:
        raise UnknownFormat(format_name) from None


@lru_cache(maxsize=_CACHE_SIZE)
def _render_cached(
    story: StoryVersion, format_name: str, agency: Agency, attached: tuple[Attached, ...]
) -> bytes:
    # Keyed by the whole (frozen, hashable) version, not just its id and number, so a
    # re-filed version with the same number can never be served from a stale rendering.
    return FORMATS[format_name].render(story, agency, attached)


@lru_cache(maxsize=_CACHE_SIZE)
def _render_media_cached(media: MediaVersion, format_name: str, agency: Agency) -> bytes:
    return FORMATS[format_name].render_media(media, agency)


def render(
    story: StoryVersion, format_name: str, agency: Agency, attached: Sequence[Attached] = ()
) -> bytes:
    """Render a story version in a registered format (cached per version and format)."""
    get_format(format_name)
    return _render_cached(story, format_name, agency, tuple(attached))


def render_media(media: MediaVersion, format_name: str, agency: Agency) -> bytes:
    """Render a picture or video version in a registered format (cached)."""
    get_format(format_name)
    return _render_media_cached(media, format_name, agency)


def _embedded(fmt: Format, data: bytes) -> Any:
    return json.loads(data) if fmt.is_json else data.decode("utf-8")


def render_item(
    story: StoryVersion, format_name: str, agency: Agency, attached: Sequence[Attached] = ()
) -> Any:
    """Render a story for embedding in an envelope: a fresh dict for JSON formats, else str."""
    fmt = get_format(format_name)
    return _embedded(fmt, _render_cached(story, format_name, agency, tuple(attached)))


def render_media_item(media: MediaVersion, format_name: str, agency: Agency) -> Any:
    """Render a picture or video for embedding in an envelope, like `render_item`."""
    fmt = get_format(format_name)
    return _embedded(fmt, _render_media_cached(media, format_name, agency))


def _media_ranges(accept: str) -> list[tuple[str, dict[str, str]]]:
    """Split an Accept header into (type, params) pairs, highest q first, q=0 dropped."""
    ranges: list[tuple[float, int, str, dict[str, str]]] = []
    for index, part in enumerate(accept.split(",")):
        media, *raw_params = (piece.strip() for piece in part.split(";"))
        params: dict[str, str] = {}
        for raw in raw_params:
            name, _, value = raw.partition("=")
            params[name.strip().lower()] = value.strip().strip('"')
        try:
            quality = float(params.pop("q", "1"))
        except ValueError:
            quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, index, media.lower(), params))
    return [(media, params) for _, _, media, params in sorted(ranges)]


def _format_for_media(media: str, params: dict[str, str], default: str) -> str | None:
    if media in ("application/vnd.iptc.ninjs+json", "application/ninjs+json"):
        return "ninjs3" if params.get("version", "").startswith("3") else "ninjs2"
    if media == "application/json":
        return default if FORMATS[default].is_json else DEFAULT_FORMAT
    for fmt in FORMATS.values():
        if media == fmt.media_type.split(";")[0] or media in fmt.accept:
            return fmt.name
    return None


def negotiate(requested: str | None, accept: str | None, default: str) -> str:
    """Pick a format: ?format= wins, then the Accept header, then `default`.

    An unknown ?format= (or default) raises UnknownFormat. In the Accept header,
    `*/*` and media types no format serves are skipped, so browsers get the default;
    `application/json` gives the default when it is a JSON format, else ninjs2.
    """
    get_format(default)
    if requested is not None and requested.strip():
        name = requested.strip().lower()
        get_format(name)
        return name
    for media, params in _media_ranges(accept or ""):
        if media.endswith("/*"):
            continue
        chosen = _format_for_media(media, params, default)
        if chosen is not None:
            return chosen
    return default
