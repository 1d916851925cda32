"""Ingest a ninjs document (2.x or 3.x) as the fields of a StoryDraft plus its source.

The generation is read from `standard.version` when it names ninjs 2 or 3, otherwise
from the keys: ninjs 2.x has no property with a capital letter, so any camelCase key
at any depth (versionCreated, pubStatus, contentType, ...) means 3.x.
Only text and composite items become stories; pictures, audio, video, graphics, events
and planning items are rejected at $.type.
The document is validated against the packaged official schema of that generation
(2.2 or 3.1), with the formats it declares (date-time, uri) asserted; the first error
becomes an IngestError with its JSON path.

Mapping back (the reverse of newswire.delivery.formats._ninjs): uri -> guid, version -> version
(a positive number), pubstatus/pubStatus -> pubstatus, subjects with rel "signal" (or a
uri in the IPTC signal scheme) -> signals, versioncreated -> version_created,
headlines (role main, else the first) -> headline, descriptions (role summary, else the
first other than the dateline) -> summary, descriptions role dateline (else located) ->
dateline, bodies (HTML preferred, then NITF, else plain text, which stays text: it is
escaped, never read as markup; a body without contenttype is plain text) -> body,
by -> byline, located -> located, subjects with a Media Topic uri or medtop: literal ->
subjects (retired or unknown codes dropped), subjects with rel "section" -> categories,
urgency, language, embargoed/embargoedUntil, firstcreated/firstCreated,
contentcreated/contentCreated, ednote/edNote, slugline, copyrightholder/copyrightnotice/
usageterms (3.x camelCase) -> rights, genres[0] -> genre (its name) and genre_code (its
uri, as a qcode in an IPTC scheme), infosources (role source, else the first without a
role, else the provider) -> source.
An item without a body gets its summary (or headline) as body, so it can still be filed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import jsonschema

from newswire.delivery.formats._xml import nitf_blocks_to_html
from newswire.delivery.formats.concepts import SIGNAL_SCHEME, canonical
from newswire.delivery.formats.validation import ninjs_validator
from newswire.newsroom.bodies import paragraphs_to_html, split_paragraphs
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.importers.xml_support import NS, code_or_nothing, parse_xml, version
from newswire.newsroom.vocab.mediatopics import SCHEME_URI, lookup

_TEXT_TYPES = {"text", "composite"}
_HTML_TYPES = ("text/html", "text/html5", "application/xhtml+xml", "body_xhtml", "xhtml", "html")
_NITF_TYPES = ("text/vnd.iptc.nitf", "application/nitf+xml")
SIGNAL_REL = "signal"
DATELINE_ROLE = "dateline"


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
    """Return the main body as HTML: an HTML body, else a NITF one, else plain text escaped."""

    def kind(body: dict[str, Any]) -> str:
        declared = str(body.get(content_type, "")).lower()
        if declared in _HTML_TYPES:
            return "html"
        return "nitf" if declared in _NITF_TYPES else "text"

    for wanted in ("html", "nitf", "text"):
        chosen = _pick([body for body in bodies if kind(body) == wanted], ("main",))
        if chosen is None:
            continue
        value = str(chosen.get("value", ""))
        if wanted == "html":
            return value
        if wanted == "nitf":
            return _nitf_body(value)
        return paragraphs_to_html(split_paragraphs(value))
    return ""


def _nitf_body(value: str) -> str:
    try:
        document = parse_xml(value.encode("utf-8"))
    except IngestError as error:
        raise IngestError("$.bodies", f"the NITF body is not XML: {error.message}") from None
    blocks = document.xpath("//n:body.content | //body.content", namespaces=NS)
    return "".join(nitf_blocks_to_html(block) for block in blocks)


def _is_signal(subject: dict[str, Any]) -> bool:
    return (
        subject.get("rel") == SIGNAL_REL
        or str(subject.get("uri", "")).startswith(SIGNAL_SCHEME)
        or str(subject.get("literal", "")).startswith("sig:")
    )


def _signals(subjects: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for subject in subjects:
        if _is_signal(subject):
            literal = str(subject.get("literal", ""))
            signal = canonical(literal if ":" in literal else "", str(subject.get("uri", "")))
            if signal and signal not in found:
                found.append(signal)
    return found


def _subjects(subjects: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    sections: list[str] = []
    for subject in subjects:
        if subject.get("rel") == "section":
            path = str(subject.get("literal") or subject.get("name") or "")
            if len(path.split("/")) > len(sections):
                sections = [part for part in path.split("/") if part.strip()]
            continue
        if _is_signal(subject):
            continue
        ref = str(subject.get("uri") or subject.get("literal") or "")
        if not (ref.startswith(SCHEME_URI) or ref.startswith("medtop:")):
            continue
        topic = lookup(ref)
        if topic is not None and not topic.retired and topic.qcode not in codes:
            codes.append(topic.qcode)
    return codes, sections


def _version(value: Any) -> int:
    return version(None if value is None else str(value), "$.version")


def _genre(genres: list[dict[str, Any]]) -> tuple[str, str]:
    if not genres:
        return "", ""
    genre = genres[0]
    literal = str(genre.get("literal") or "")
    code = canonical(literal if ":" in literal else "", str(genre.get("uri") or ""))
    return str(genre.get("name") or ""), code_or_nothing(code)


def _descriptions(data: dict[str, Any]) -> tuple[str, str]:
    """Return the summary and the dateline the descriptions carry."""
    descriptions = list(data.get("descriptions", []))
    dateline = _pick([d for d in descriptions if d.get("role") == DATELINE_ROLE], ())
    others = [d for d in descriptions if d.get("role") != DATELINE_ROLE]
    summary = _pick(others, ("summary", "abstract"))
    return (
        " ".join(str(summary["value"]).split()) if summary else "",
        " ".join(str(dateline["value"]).split()) if dateline else "",
    )


def parse_ninjs(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a ninjs 2.x/3.x document and map it to StoryDraft fields plus its source."""
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
    summary, dateline = _descriptions(data)
    body = _body(list(data.get("bodies", [])), "contentType" if gen == 3 else "contenttype")
    subjects = list(data.get("subjects", []))
    codes, sections = _subjects(subjects)
    genre, genre_code = _genre(list(data.get("genres", [])))
    sources = list(get("infosources", "infoSources") or [])
    source = _pick(sources, ("source", "", "provider"))
    urgency = data.get("urgency")
    located = str(data.get("located", ""))
    return {
        "guid": str(data["uri"]),
        "version": _version(data.get("version")),
        "pubstatus": str(get("pubstatus", "pubStatus") or "usable"),
        "signals": _signals(subjects),
        "version_created": _time(get("versioncreated", "versionCreated")),
        "headline": " ".join(headline.split()),
        "summary": summary,
        "body": body if body.strip() else (summary or headline),
        "byline": str(data.get("by", "")),
        "dateline": dateline or located,
        "located": located[:200],
        "categories": sections,
        "subjects": codes,
        "urgency": int(urgency) if isinstance(urgency, int | float) and 1 <= urgency <= 9 else 4,
        "language": str(data.get("language") or "en"),
        "embargoed_until": _time(get("embargoed", "embargoedUntil")),
        "first_created": _time(get("firstcreated", "firstCreated")),
        "content_created": _time(get("contentcreated", "contentCreated")),
        "ednote": str(get("ednote", "edNote") or ""),
        "genre": genre[:100],
        "genre_code": genre_code,
        "slugline": str(data.get("slugline") or "")[:200],
        "source": str(source.get("name", ""))[:200] if source else "",
        "copyright_holder": str(get("copyrightholder", "copyrightHolder") or "")[:300],
        "copyright_notice": str(get("copyrightnotice", "copyrightNotice") or "")[:2_000],
        "usage_terms": str(get("usageterms", "usageTerms") or "")[:2_000],
        "media": associations(list(data.get("associations") or []), gen),
    }


def media_rel(text: str, fallback: str = "associated") -> str:
    """Return a name or rel as newswire's rel (lower case, featuremedia-2 -> featuremedia)."""
    rel = re.sub(r"[^a-z0-9_-]+", "-", text.strip().lower()).strip("-")
    rel = re.sub(r"-\d+$", "", rel)[:40]
    return rel if re.match(r"^[a-z][a-z0-9_-]*$", rel) else fallback


def associations(items: list[dict[str, Any]], gen: int) -> list[dict[str, Any]]:
    """Return a ninjs item's associations as the story's media: each by its uri, kept as sent."""
    media = []
    for item in items[:50]:
        if not isinstance(item, dict) or not item.get("uri"):
            continue
        name = str(item.get("name", ""))
        renditions = []
        for rendition in item.get("renditions") or []:
            if not isinstance(rendition, dict) or not rendition.get("href"):
                continue
            renditions.append(
                {
                    "name": str(rendition.get("name") or "rendition")[:100],
                    "href": str(rendition["href"])[:2_000],
                    "content_type": str(
                        rendition.get("contentType" if gen == 3 else "contenttype") or ""
                    )[:200],
                    "width": _count(rendition.get("width")),
                    "height": _count(rendition.get("height")),
                    "size": _count(rendition.get("sizeInBytes" if gen == 3 else "sizeinbytes")),
                    "duration": rendition.get("duration"),
                }
            )
        headline = _pick(list(item.get("headlines") or []), ("main",))
        caption = _pick(list(item.get("descriptions") or []), ("caption", "summary", ""))
        kind = str(item.get("type") or "picture")
        media.append(
            {
                "id": str(item["uri"])[:2_000],
                "rel": media_rel(str(item.get("rel") or name)),
                "name": name[:100],
                "type": kind if kind in ("picture", "video", "graphic", "audio") else "picture",
                "headline": str(headline["value"])[:300] if headline else "",
                "caption": str(caption["value"])[:10_000] if caption else "",
                "renditions": renditions,
            }
        )
    return media


def _count(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and value >= 0 else None
