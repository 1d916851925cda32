"""What the NewsML-G2 and NITF importers share: safe parsing, paths, times, codes, numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml import etree

from newswire.delivery.formats._xml import G2_NS, NITF_NS
from newswire.newsroom.drafts import CONCEPT_CODE
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.vocab.mediatopics import SCHEME_URI, lookup

NS = {"g": G2_NS, "n": NITF_NS, "h": "http://www.w3.org/1999/xhtml"}
_NITF_NORM = re.compile(
    r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_TRUNCATED = re.compile(r"^\d{4}(-\d{2})?$")
STATUSES = ("usable", "withheld", "canceled")
_DIGITS = re.compile(r"[0-9]{1,12}")
MAX_VERSION = 2_147_483_647  # story_versions.version is a 32-bit INTEGER on PostgreSQL


def parse_xml(xml_bytes: bytes) -> etree._Element:
    """Parse XML without entities or network access; malformed input names its line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(xml_bytes, parser)
    except etree.XMLSyntaxError as error:
        raise IngestError(f"line {error.lineno}", f"not well-formed XML: {error.msg}") from None


def text(element: etree._Element | None) -> str:
    """Return an element's text with white space collapsed ("" for no element)."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def first(root: etree._Element | None, path: str) -> etree._Element | None:
    """Return the first element an XPath (g:, n:, h: prefixes) finds, or None."""
    if root is None:
        return None
    found = root.xpath(path, namespaces=NS)
    return found[0] if found else None


def named_path(root: etree._Element, lxml_path: str | None) -> str:
    """Turn lxml's /*/*[4]/*[1] into /newsItem/itemMeta/itemKlass (local names)."""
    try:
        found = etree.ElementTree(root).xpath(lxml_path) if lxml_path else []
    except etree.XPathError:  # a path through a foreign namespace (embedded ODRL rights)
        found = []
    if not found or not isinstance(found[0], etree._Element):
        return lxml_path or "/"
    steps: list[str] = []
    element: etree._Element | None = found[0]
    while element is not None:
        name = etree.QName(element).localname
        parent = element.getparent()
        same = [e for e in parent if e.tag == element.tag] if parent is not None else [element]
        steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
        element = parent
    return "/" + "/".join(reversed(steps))


def validate(root: etree._Element, schema: etree.XMLSchema, standard: str) -> None:
    """Validate a document against an official schema; the first error names its path."""
    if not schema.validate(root):
        error = schema.error_log[0]
        path = named_path(root, error.path)
        raise IngestError(f"{path} (line {error.line})", f"{standard}: {error.message}")


def zoned(moment: datetime) -> datetime:
    """Return a time with a zone (UTC when the source gave none)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def g2_time(value: str, path: str = "") -> datetime | None:
    """Read a G2 date-time; a truncated one (2016, 2016-02, 2016-02-09) means its start."""
    value = value.strip()
    if not value:
        return None
    if _TRUNCATED.match(value):
        value = (value + "-01-01")[:10]
    try:
        return zoned(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise IngestError(path or "/", f"{value!r} is not a date and time") from None


def nitf_time(norm: str | None, path: str) -> datetime | None:
    """Read a NITF normalized date (20241114T100000Z, or ISO 8601 extended); None if absent."""
    norm = (norm or "").strip()
    if not norm:
        return None
    match = _NITF_NORM.match(norm)
    if match is None:
        return g2_time(norm, path)
    year, month, day, hour, minute, second, zone = match.groups()
    moment = f"{year}-{month}-{day}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zone and zone != "Z":
        moment += f"{zone[:3]}:{zone[-2:]}"
    return zoned(datetime.fromisoformat(moment))


def subject_code(qcode: str, uri: str) -> str | None:
    """Return the active Media Topic a subject names, or None (retired, unknown, other)."""
    if qcode.startswith("medtop:") or uri.startswith(SCHEME_URI):
        topic = lookup(qcode or uri)
        if topic is not None and not topic.retired:
            return topic.qcode
    return None


def urgency(value: str, default: int = 4) -> int:
    """Read an urgency 1-9; anything else is the routine default."""
    value = value.strip()
    return int(value) if value in ("1", "2", "3", "4", "5", "6", "7", "8", "9") else default


def version(value: str | None, path: str) -> int:
    """Read a source version: a whole number from 1 to MAX_VERSION, ASCII digits (absent: 1)."""
    text = (value or "").strip()
    if not text:
        return 1
    # ASCII digits only: "²".isdigit() is true, and int() refuses it.
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_VERSION:
        raise IngestError(
            path, f"the version must be a whole number from 1 to {MAX_VERSION}, not {text!r}"
        )
    return int(text)


def code_or_nothing(code: str) -> str:
    """Keep a concept code only when it is a qcode or a URI (a bare literal names nothing)."""
    return code if CONCEPT_CODE.match(code) else ""


def status(value: str, path: str) -> str:
    """Check a publishing status (usable, withheld, canceled)."""
    if value not in STATUSES:
        raise IngestError(path, f"unknown publishing status {value!r}; use {', '.join(STATUSES)}")
    return value
