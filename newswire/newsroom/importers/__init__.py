"""Importers: the agency text layout, and other agencies' ninjs, NewsML-G2 and NITF items.

`parse` is the one dispatch from a request's content type to the fields of
a draft: every way in (the API, the CLI through the API, the desk) turns a
filing into the same fields, which `drafts.StoryDraft` then validates once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from newswire.models.errors import Invalid, Malformed, Unsupported
from newswire.models.sources import SourceItem
from newswire.models.stories import PubStatus
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.importers.newsml_g2 import parse_newsml_g2
from newswire.newsroom.importers.ninjs import parse_ninjs
from newswire.newsroom.importers.text_layout import LayoutError, parse_text_layout
from newswire.newsroom.safe_values import wire_time

JSON = "application/json"
TEXT_LAYOUT = "text/plain"
INGEST_TYPES = {
    "application/vnd.iptc.ninjs+json": "ninjs",
    "application/ninjs+json": "ninjs",
    "application/vnd.iptc.g2.newsitem+xml": "newsml-g2",
    "application/vnd.iptc.g2+xml": "newsml-g2",
    "application/nitf+xml": "newsml-g2",
    "application/xml": "newsml-g2",
    "text/xml": "newsml-g2",
}
ACCEPTED_TYPES = (JSON, TEXT_LAYOUT, *INGEST_TYPES)


# What an importer returns beside the draft fields: it decides the operation (see SourceItem).
SOURCE_KEYS = ("version", "pubstatus", "signals", "version_created")


@dataclass(frozen=True)
class Filing:
    """The draft fields of a filing, and what the source says of an item from another agency."""

    fields: dict[str, Any]
    source: SourceItem | None = None

    @property
    def source_version(self) -> int | None:
        """Return the source's version of an ingested item (None for the agency's own)."""
        return self.source.version if self.source else None


def source_item(fields: dict[str, Any]) -> SourceItem:
    """Take the source's version, status, signals and version time out of importer output."""
    values = {key: fields.pop(key, None) for key in SOURCE_KEYS}
    if values["version_created"] is not None:
        try:
            wire_time(values["version_created"])
        except ValueError as error:
            raise Invalid(str(error), "version_created") from None
    return SourceItem(
        version=int(values["version"] or 1),
        pubstatus=PubStatus(values["pubstatus"] or PubStatus.USABLE.value),
        signals=tuple(values["signals"] or ()),
        version_created=values["version_created"],
    )


# Deeper than any story or ninjs item; the sweep's 10,000 levels made json.loads recurse.
MAX_JSON_DEPTH = 64


def _too_deep(value: Any) -> bool:
    """Tell whether a parsed JSON value nests deeper than MAX_JSON_DEPTH (iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            if depth >= MAX_JSON_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in children)
    return False


def load_json(text: str) -> Any:
    """Parse a JSON body; too deep or a number too long to read is Malformed (400), not 500.

    Raises json.JSONDecodeError for text that is not JSON at all.
    """
    too_deep = Malformed(f"request body nests deeper than {MAX_JSON_DEPTH} levels", "body")
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise too_deep from None
    except ValueError as error:  # an integer over Python's 4,300-digit conversion limit
        raise Malformed(
            f"request body has a number with too many digits: {error}", "body"
        ) from None
    if _too_deep(value):
        raise too_deep
    return value


def _json_object(text: str) -> dict[str, Any]:
    try:
        fields = load_json(text)
    except json.JSONDecodeError as error:
        raise Malformed(
            f"request body is not valid JSON: {error.msg} at line {error.lineno}", "body"
        ) from error
    if not isinstance(fields, dict):
        raise Invalid("expected a JSON object with the story's fields", "body")
    return fields


def _ingested(kind: str, text: str) -> Filing:
    try:
        if kind == "ninjs":
            try:
                data = load_json(text)
            except json.JSONDecodeError as error:
                raise IngestError(
                    "$", f"not valid JSON: {error.msg} at line {error.lineno}"
                ) from error
            if not isinstance(data, dict):
                raise IngestError("$", "a ninjs item is a JSON object")
            fields = parse_ninjs(data)
        else:
            fields = parse_newsml_g2(text.encode("utf-8"))
    except IngestError as error:
        raise Invalid(error.message, error.path) from error
    return Filing(fields, source_item(fields))


def parse(content_type: str, text: str) -> Filing:
    """Turn a filed body into draft fields by its content type (JSON, layout, ninjs, G2).

    Raises Malformed for a body that cannot be read, Invalid for one that
    reads but is not a story, and Unsupported for a content type we do not take.
    """
    content_type = content_type.split(";")[0].strip().lower() or JSON
    if content_type == TEXT_LAYOUT:
        try:
            return Filing(parse_text_layout(text))
        except LayoutError as error:
            raise Invalid(error.message, error.field) from error
    if content_type == JSON:
        return Filing(_json_object(text))
    if content_type in INGEST_TYPES:
        return _ingested(INGEST_TYPES[content_type], text)
    raise Unsupported(
        f"unsupported Content-Type {content_type!r}; use application/json, text/plain, "
        "application/vnd.iptc.ninjs+json, application/vnd.iptc.g2.newsitem+xml "
        "or application/nitf+xml",
        "content-type",
    )
