"""Ingest a ninjs document (2.x or 3.x) as the fields of a StoryDraft plus its version.

The generation is read from `standard.version` when it names ninjs 2 or 3, otherwise
from the keys: ninjs 2.x has no property with a capital letter, so any camelCase key
at any depth (versionCreated, pubStatus, contentType, ...) means 3.x.
Only text and composite items become stories; pictures, audio, video, graphics, events
and planning items are rejected at $.type.
The document is validated against the packaged official schema of that generation
(2.2 or 3.1); the first error becomes an IngestError with its JSON path.

Mapping back (the reverse of newswire.delivery.formats._ninjs): uri -> guid, version -> version,
headlines (role main, else the first) -> headline, descriptions (role summary, else the
first) -> summary, bodies (HTML preferred, else plain text) -> body, by -> byline,
located -> dateline, subjects with a Media Topic uri or medtop: literal -> subjects
(retired or unknown codes dropped), subjects with rel "section" -> categories,
urgency, language, embargoed/embargoedUntil, firstcreated/firstCreated,
ednote/edNote, genres[0] -> genre, infosources (role source, else the first) -> source.
An item without a body gets its summary (or headline) as body, so it can still be filed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import jsonschema

from newswire.delivery.formats.validation import ninjs_validator
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.vocab.mediatopics import SCHEME_URI, lookup

_TEXT_TYPES = {"text", "composite"}
_HTML_TYPES = ("text/html", "application/xhtml+xml", "body_xhtml", "xhtml", "html")


def generation(data: dict[str, Any]) -> int:
    """Tell which ninjs generation (2 or 3) a document follows."""
    standard = data.get("standard")
    if isinstance(standard, dict):
        version = str(standard.get("version", ""))
        if str(standard.get("name", "")).lower() == "ninjs" and version[:1] in ("2", "3"):
            return int(version[0])
    return 3 if _has_camel_key(data) else 2


def _has_camel_key(node: Any) -> bool:
    if isinstance(node, dict):
        return any(
            (key[:1].islower() and key != key.lower()) or _has_camel_key(value)
            for key, value in node.items()
            if key not in ("value", "geometry")  # free content, GeoJSON
        )
    if isinstance(node, list):
        return any(_has_camel_key(item) for item in node)
    return False


def validate_ninjs(data: Any) -> int:
    """Validate a ninjs document against its generation's schema; return the generation."""
    if not isinstance(data, dict):
        raise IngestError("$", "a ninjs document is a JSON object")
    gen = generation(data)
    error = jsonschema.exceptions.best_match(ninjs_validator(gen).iter_errors(data))
    if error is not None:
        raise IngestError(error.json_path, f"ninjs {gen}.x schema: {error.message}")
    return gen


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _pick(items: list[dict[str, Any]], roles: tuple[str, ...]) -> dict[str, Any] | None:
    for role in roles:
        for item in items:
            if str(item.get("role", "")).lower() == role:
                return item
    return items[0] if items else None


def _body(bodies: list[dict[str, Any]], content_type: str) -> str:
    def is_html(body: dict[str, Any]) -> bool:
        return str(body.get(content_type, "")).lower() in _HTML_TYPES

    html_bodies = [body for body in bodies if is_html(body)]
    chosen = _pick(html_bodies, ("main",)) or _pick(bodies, ("main",))
    return str(chosen["value"]) if chosen else ""


def _subjects(subjects: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    sections: list[str] = []
    for subject in subjects:
        if subject.get("rel") == "section":
            path = str(subject.get("literal") or subject.get("name") or "")
            if len(path.split("/")) > len(sections):
                sections = [part for part in path.split("/") if part.strip()]
            continue
        ref = str(subject.get("uri") or subject.get("literal") or "")
        if not (ref.startswith(SCHEME_URI) or ref.startswith("medtop:")):
            continue
        topic = lookup(ref)
        if topic is not None and not topic.retired and topic.qcode not in codes:
            codes.append(topic.qcode)
    return codes, sections


def _version(value: Any) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else 1


def parse_ninjs(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a ninjs 2.x/3.x document and map it to StoryDraft fields plus "version"."""
    gen = validate_ninjs(data)
    if data.get("type", "text") not in _TEXT_TYPES:
        raise IngestError(
            "$.type", f"only text items can be filed as stories, not {data['type']!r}"
        )

    def get(lower: str, camel: str) -> Any:
        return data.get(camel if gen == 3 else lower)

    headline_item = _pick(list(data.get("headlines", [])), ("main",))
    headline = str(headline_item["value"]) if headline_item else str(data.get("title", ""))
    if not headline.strip():
        raise IngestError("$.headlines", "the item has no headline (nor a title)")
    description = _pick(list(data.get("descriptions", [])), ("summary", "abstract"))
    summary = " ".join(str(description["value"]).split()) if description else ""
    body = _body(list(data.get("bodies", [])), "contentType" if gen == 3 else "contenttype")
    codes, sections = _subjects(list(data.get("subjects", [])))
    genres = list(data.get("genres", []))
    genre = str(genres[0].get("name") or genres[0].get("literal") or "") if genres else ""
    sources = list(get("infosources", "infoSources") or [])
    source = _pick(sources, ("source",))
    urgency = data.get("urgency")
    return {
        "guid": str(data["uri"]),
        "version": _version(data.get("version")),
        "headline": " ".join(headline.split()),
        "summary": summary,
        "body": body if body.strip() else (summary or headline),
        "byline": str(data.get("by", "")),
        "dateline": str(data.get("located", "")),
        "categories": sections,
        "subjects": codes,
        "urgency": int(urgency) if isinstance(urgency, int | float) and 1 <= urgency <= 9 else 4,
        "language": str(data.get("language") or "en"),
        "embargoed_until": _time(get("embargoed", "embargoedUntil")),
        "first_created": _time(get("firstcreated", "firstCreated")),
        "ednote": str(get("ednote", "edNote") or ""),
        "genre": genre[:100],
        "source": str(source.get("name", "")) if source else "",
    }
