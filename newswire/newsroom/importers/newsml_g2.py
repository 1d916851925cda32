"""Ingest a NewsML-G2 newsItem (or a bare NITF 3.6 document) as StoryDraft fields plus version.

A newsItem is validated against the packaged NewsML-G2 2.35 All-Power XSD; the first
error becomes an IngestError whose path is the failing element's XPath and line. Only
text items (itemClass ninat:text) become stories.

Mapping back (the reverse of newswire.delivery.formats.newsml_g2): @guid -> guid, @version ->
version, contentMeta/headline -> headline (else the NITF hl1), description (drol:summary,
else the first; else the NITF abstract) -> summary, the NITF body.content (or XHTML
body, or plain text) in contentSet -> body, by (else creator names, else the NITF byline)
-> byline, dateline (else located/name) -> dateline, medtop: subjects -> subjects
(retired or unknown codes dropped, other schemes ignored), nwsect: subjects ->
categories, urgency, language/@tag (else @xml:lang), embargoed, firstCreated, edNote,
genre, infoSource (else provider) -> source. A text item without content (the official
LISTING_1 has an empty inlineXML) gets its summary, else its headline, as body.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from lxml import etree

from newswire.delivery.formats._xml import G2_NS, NITF_NS, XML_LANG, nitf_blocks_to_html
from newswire.delivery.formats.newsml_g2 import SECTION_ALIAS
from newswire.delivery.formats.validation import newsml_g2_schema
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.vocab.mediatopics import SCHEME_URI, lookup

_NS = {"g": G2_NS, "n": NITF_NS, "h": "http://www.w3.org/1999/xhtml"}
_NITF_NORM = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{4})?$")


def _parse_xml(xml_bytes: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(xml_bytes, parser)
    except etree.XMLSyntaxError as error:
        raise IngestError(f"line {error.lineno}", f"not well-formed XML: {error.msg}") from None


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _first(root: etree._Element, path: str) -> etree._Element | None:
    found = root.xpath(path, namespaces=_NS)
    return found[0] if found else None


def _g2_time(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _nitf_time(norm: str | None) -> datetime | None:
    match = _NITF_NORM.match((norm or "").strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    text = f"{year}-{month}-{day}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zone and zone != "Z":
        text += f"{zone[:3]}:{zone[3:]}"
    return _g2_time(text)


def _subject_code(qcode: str, uri: str) -> str | None:
    if qcode.startswith("medtop:") or uri.startswith(SCHEME_URI):
        topic = lookup(qcode or uri)
        if topic is not None and not topic.retired:
            return topic.qcode
    return None


def _subjects(meta: etree._Element | None) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    sections: list[str] = []
    for subject in meta.findall(f"{{{G2_NS}}}subject") if meta is not None else []:
        qcode, uri = subject.get("qcode", ""), subject.get("uri", "")
        if qcode.startswith(f"{SECTION_ALIAS}:"):
            path = [unquote(part) for part in qcode.partition(":")[2].split("/") if part]
            sections = path if len(path) > len(sections) else sections
            continue
        code = _subject_code(qcode, uri)
        if code and code not in codes:
            codes.append(code)
    return codes, sections


def _content(item: etree._Element) -> str:
    """Return the item's text as HTML: NITF body.content, else XHTML body, else plain text."""
    blocks = item.xpath("g:contentSet/g:inlineXML//n:body.content", namespaces=_NS)
    if blocks:
        return "".join(nitf_blocks_to_html(block) for block in blocks)
    xhtml = _first(item, "g:contentSet/g:inlineXML//h:body")
    if xhtml is not None:
        return "".join(etree.tostring(child, encoding="unicode") for child in xhtml)
    plain = _first(item, "g:contentSet/g:inlineData")
    return (plain.text or "") if plain is not None else ""


def _urgency(text: str, default: int = 4) -> int:
    return int(text) if text.isdigit() and 1 <= int(text) <= 9 else default


def _version(text: str | None) -> int:
    return int(text) if text and text.isdigit() and int(text) > 0 else 1


def _named_path(item: etree._Element, lxml_path: str | None) -> str:
    """Turn lxml's /*/*[4]/*[1] into /newsItem/itemMeta/itemKlass (local names)."""
    found = etree.ElementTree(item).xpath(lxml_path) if lxml_path else []
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


def _validate(item: etree._Element) -> None:
    schema = newsml_g2_schema()
    if not schema.validate(item):
        error = schema.error_log[0]
        path = _named_path(item, error.path)
        raise IngestError(f"{path} (line {error.line})", f"NewsML-G2 2.35: {error.message}")


def _news_item(item: etree._Element) -> dict[str, Any]:
    _validate(item)
    item_class = _first(item, "g:itemMeta/g:itemClass")
    if item_class is None or item_class.get("qcode") != "ninat:text":
        got = item_class.get("qcode") if item_class is not None else None
        raise IngestError("/newsItem/itemMeta/itemClass", f"only ninat:text items, not {got}")
    meta = _first(item, "g:contentMeta")
    nitf_head = _first(item, "g:contentSet/g:inlineXML//n:body.head")

    def cm(path: str) -> str:
        return _text(_first(item, f"g:contentMeta/{path}"))

    def nh(path: str) -> str:
        return _text(_first(nitf_head, path)) if nitf_head is not None else ""

    headline = (
        cm("g:headline") or nh("n:hedline/n:hl1") or _text(_first(item, "g:itemMeta/g:title"))
    )
    if not headline:
        raise IngestError("/newsItem/contentMeta/headline", "the item has no headline")
    summary = cm("g:description[@role='drol:summary']") or cm("g:description") or nh("n:abstract")
    body = _content(item)
    creators = [
        _text(name) for name in item.xpath("g:contentMeta/g:creator/g:name", namespaces=_NS)
    ]
    codes, sections = _subjects(meta)
    provider = _first(item, "g:itemMeta/g:provider")
    source = (
        cm("g:infoSource[@role='isrol:originfo']/g:name")
        or cm("g:infoSource/g:name")
        or _text(_first(item, "g:itemMeta/g:provider/g:name"))
        or (provider.get("qcode", "").partition(":")[2] if provider is not None else "")
    )
    language = _first(item, "g:contentMeta/g:language")
    genre = _first(item, "g:contentMeta/g:genre")
    return {
        "guid": item.get("guid"),
        "version": _version(item.get("version")),
        "headline": headline,
        "summary": summary,
        "body": body if body.strip() else (summary or headline),
        "byline": cm("g:by") or ", ".join(name for name in creators if name) or nh("n:byline"),
        "dateline": cm("g:dateline") or cm("g:located/g:name"),
        "categories": sections,
        "subjects": codes,
        "urgency": _urgency(cm("g:urgency")),
        "language": (language.get("tag") if language is not None else None)
        or item.get(XML_LANG)
        or "en",
        "embargoed_until": _g2_time(_text(_first(item, "g:itemMeta/g:embargoed"))),
        "first_created": _g2_time(_text(_first(item, "g:itemMeta/g:firstCreated"))),
        "ednote": _text(_first(item, "g:itemMeta/g:edNote")),
        "genre": (_text(_first(genre, "g:name")) or genre.get("qcode", ""))[:100]
        if genre is not None
        else "",
        "source": source[:200],
    }


def parse_nitf(xml_bytes: bytes) -> dict[str, Any]:
    """Map a namespaced NITF 3.6 document to StoryDraft fields plus "version"."""
    root = _parse_xml(xml_bytes)
    return _nitf(root)


def _nitf(root: etree._Element) -> dict[str, Any]:
    if root.tag != f"{{{NITF_NS}}}nitf":
        raise IngestError(f"/{etree.QName(root).localname}", f"expected <nitf> in {NITF_NS}")

    def get(path: str) -> etree._Element | None:
        return _first(root, path)

    headline = _text(get("n:body/n:body.head/n:hedline/n:hl1")) or _text(get("n:head/n:title"))
    if not headline:
        raise IngestError("/nitf/body/body.head/hedline/hl1", "the document has no headline")
    blocks = root.xpath("n:body/n:body.content", namespaces=_NS)
    body = "".join(nitf_blocks_to_html(block) for block in blocks)
    summary = _text(get("n:body/n:body.head/n:abstract"))
    doc_id, du_key = get("n:head/n:docdata/n:doc-id"), get("n:head/n:docdata/n:du-key")
    urgency, release = get("n:head/n:docdata/n:urgency"), get("n:head/n:docdata/n:date.release")
    ed_msg, pubdata = get("n:head/n:docdata/n:ed-msg"), get("n:head/n:pubdata")
    refnums = root.xpath(
        "n:head/n:tobject/n:tobject.subject/@tobject.subject.refnum", namespaces=_NS
    )
    codes = [code for code in (_subject_code(f"medtop:{ref}", "") for ref in refnums) if code]
    section = pubdata.get("position.section", "") if pubdata is not None else ""
    return {
        "guid": doc_id.get("id-string") if doc_id is not None else None,
        "version": _version(du_key.get("version") if du_key is not None else None),
        "headline": headline,
        "summary": summary,
        "body": body if body.strip() else (summary or headline),
        "byline": _text(get("n:body/n:body.head/n:byline")),
        "dateline": _text(get("n:body/n:body.head/n:dateline")),
        "categories": [part for part in section.split("/") if part.strip()],
        "subjects": list(dict.fromkeys(codes)),
        "urgency": _urgency(urgency.get("ed-urg", "") if urgency is not None else ""),
        "language": root.get(XML_LANG) or "en",
        "embargoed_until": _nitf_time(release.get("norm") if release is not None else None),
        "first_created": None,
        "ednote": ed_msg.get("info", "") if ed_msg is not None else "",
        "genre": "",
        "source": "",
    }


def parse_newsml_g2(xml_bytes: bytes) -> dict[str, Any]:
    """Validate a NewsML-G2 newsItem (or read a NITF document) into StoryDraft fields + version."""
    root = _parse_xml(xml_bytes)
    if root.tag == f"{{{G2_NS}}}newsItem":
        return _news_item(root)
    if root.tag == f"{{{NITF_NS}}}nitf":
        return _nitf(root)
    raise IngestError(
        f"/{etree.QName(root).localname}",
        f"expected a NewsML-G2 <newsItem> in {G2_NS} (or a NITF 3.6 <nitf>)",
    )
