"""Ingest a NewsML-G2 newsItem (or a bare NITF 3.6 document) as StoryDraft fields plus source.

A newsItem is validated against the packaged NewsML-G2 2.35 All-Power XSD; the first
error becomes an IngestError whose path is the failing element's XPath and line. Only
text items (itemClass ninat:text) become stories.

Mapping back (the reverse of newswire.delivery.formats.newsml_g2): @guid -> guid, @version ->
version, itemMeta: pubStatus -> pubstatus, signal (qcode, or uri read as its qcode) ->
signals, versionCreated -> version_created, firstCreated, embargoed, edNote;
rightsInfo: copyrightHolder/name (else its uri) -> copyright_holder, copyrightNotice,
usageTerms; contentMeta: headline (else the NITF hl1, else itemMeta/title), description
(drol:summary, else the first; else the NITF abstract) -> summary, the NITF body.content
(or XHTML body, or plain text) in contentSet -> body, by (else creator names, else the
NITF byline) -> byline, dateline (else located/name) -> dateline, located -> located and
located_code, genre -> genre (its name) and genre_code, slugline, contentCreated,
contentModified, medtop: subjects -> subjects (retired or unknown codes dropped, other
schemes ignored), nwsect: subjects -> categories, urgency, language/@tag (else
@xml:lang), infoSource (else provider) -> source. Codes are stored as qcodes when the
IPTC catalog has their scheme, as URIs when the item declares it inline, else as sent
(see delivery/formats/concepts.py). A text item without content (the official LISTING_1
has an empty inlineXML) gets its summary, else its headline, as body.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from lxml import etree

from newswire.delivery.formats._xml import G2_NS, NITF_NS, XML_LANG, nitf_blocks_to_html
from newswire.delivery.formats.concepts import canonical
from newswire.delivery.formats.newsml_g2 import SECTION_ALIAS
from newswire.delivery.formats.validation import newsml_g2_odrl_schema, newsml_g2_schema
from newswire.newsroom.importers import nitf, xml_support
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.importers.xml_support import NS, first, text

parse_nitf = nitf.parse_nitf  # a bare NITF document, also taken by parse_newsml_g2


def _subjects(meta: etree._Element | None) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    sections: list[str] = []
    for subject in meta.findall(f"{{{G2_NS}}}subject") if meta is not None else []:
        qcode, uri = subject.get("qcode", ""), subject.get("uri", "")
        if qcode.startswith(f"{SECTION_ALIAS}:"):
            path = [unquote(part) for part in qcode.partition(":")[2].split("/") if part]
            sections = path if len(path) > len(sections) else sections
            continue
        code = xml_support.subject_code(qcode, uri)
        if code and code not in codes:
            codes.append(code)
    return codes, sections


def _content(item: etree._Element) -> str:
    """Return the item's text as HTML: NITF body.content, else XHTML body, else plain text."""
    blocks = item.xpath("g:contentSet/g:inlineXML//n:body.content", namespaces=NS)
    if blocks:
        return "".join(nitf_blocks_to_html(block) for block in blocks)
    xhtml = first(item, "g:contentSet/g:inlineXML//h:body")
    if xhtml is not None:
        return "".join(etree.tostring(child, encoding="unicode") for child in xhtml)
    plain = first(item, "g:contentSet/g:inlineData")
    return (plain.text or "") if plain is not None else ""


def _inline_schemes(item: etree._Element) -> dict[str, str]:
    """Return the aliases the item declares in its own catalog."""
    return {
        scheme.get("alias", ""): scheme.get("uri", "")
        for scheme in item.xpath("g:catalog/g:scheme", namespaces=NS)
        if scheme.get("alias") and scheme.get("uri")
    }


def _concept(element: etree._Element | None, schemes: dict[str, str]) -> tuple[str, str]:
    """Return (name, code) of a concept element such as genre or located."""
    if element is None:
        return "", ""
    code = canonical(element.get("qcode", ""), element.get("uri", ""), schemes)
    return text(first(element, "g:name")), xml_support.code_or_nothing(code)


def _status_and_signals(item: etree._Element) -> dict[str, Any]:
    found = first(item, "g:itemMeta/g:pubStatus")
    qcode = canonical(found.get("qcode", ""), found.get("uri", "")) if found is not None else ""
    signals = [
        canonical(signal.get("qcode", ""), signal.get("uri", ""))
        for signal in item.xpath("g:itemMeta/g:signal", namespaces=NS)
    ]
    path = "/newsItem/itemMeta/pubStatus"
    return {
        "pubstatus": xml_support.status(qcode.removeprefix("stat:"), path) if qcode else "usable",
        "signals": [signal for signal in signals if signal],
    }


def _rights(item: etree._Element) -> dict[str, str]:
    rights = first(item, "g:rightsInfo")
    holder = first(rights, "g:copyrightHolder")
    name = text(first(holder, "g:name")) if holder is not None else ""
    if holder is not None and not name:
        name = holder.get("uri") or holder.get("literal") or holder.get("qcode") or ""
    return {
        "copyright_holder": name[:300],
        "copyright_notice": text(first(rights, "g:copyrightNotice"))[:2_000],
        "usage_terms": text(first(rights, "g:usageTerms"))[:2_000],
    }


def _times(item: etree._Element) -> dict[str, Any]:
    def at(path: str) -> Any:
        return xml_support.g2_time(text(first(item, path)), "/newsItem/" + path.replace("g:", ""))

    return {
        "version_created": at("g:itemMeta/g:versionCreated"),
        "first_created": at("g:itemMeta/g:firstCreated"),
        "embargoed_until": at("g:itemMeta/g:embargoed"),
        "content_created": at("g:contentMeta/g:contentCreated"),
        "content_modified": at("g:contentMeta/g:contentModified"),
    }


def _source(item: etree._Element) -> str:
    def cm(path: str) -> str:
        return text(first(item, f"g:contentMeta/{path}"))

    provider = first(item, "g:itemMeta/g:provider")
    source = (
        cm("g:infoSource[@role='isrol:originfo']/g:name")
        or cm("g:infoSource/g:name")
        or text(first(item, "g:itemMeta/g:provider/g:name"))
        or (provider.get("qcode", "").partition(":")[2] if provider is not None else "")
    )
    return source[:200]


def _news_item(item: etree._Element) -> dict[str, Any]:
    odrl = item.xpath("g:rightsInfo/g:rightsExpressionXML", namespaces=NS)
    schema = newsml_g2_odrl_schema() if odrl else newsml_g2_schema()
    xml_support.validate(item, schema, "NewsML-G2 2.35")
    item_class = first(item, "g:itemMeta/g:itemClass")
    if item_class is None or item_class.get("qcode") != "ninat:text":
        got = item_class.get("qcode") if item_class is not None else None
        raise IngestError("/newsItem/itemMeta/itemClass", f"only ninat:text items, not {got}")
    meta = first(item, "g:contentMeta")
    nitf_head = first(item, "g:contentSet/g:inlineXML//n:body.head")

    def cm(path: str) -> str:
        return text(first(item, f"g:contentMeta/{path}"))

    def nh(path: str) -> str:
        return text(first(nitf_head, path))

    headline = cm("g:headline") or nh("n:hedline/n:hl1") or text(first(item, "g:itemMeta/g:title"))
    if not headline:
        raise IngestError("/newsItem/contentMeta/headline", "the item has no headline")
    summary = cm("g:description[@role='drol:summary']") or cm("g:description") or nh("n:abstract")
    body = _content(item)
    creators = [text(name) for name in item.xpath("g:contentMeta/g:creator/g:name", namespaces=NS)]
    codes, sections = _subjects(meta)
    language = first(item, "g:contentMeta/g:language")
    schemes = _inline_schemes(item)
    genre, genre_code = _concept(first(item, "g:contentMeta/g:genre"), schemes)
    located, located_code = _concept(first(item, "g:contentMeta/g:located"), schemes)
    return {
        "guid": item.get("guid"),
        "version": xml_support.version(item.get("version"), "/newsItem/@version"),
        **_status_and_signals(item),
        **_rights(item),
        **_times(item),
        "headline": headline,
        "summary": summary,
        "body": body if body.strip() else (summary or headline),
        "byline": cm("g:by") or ", ".join(name for name in creators if name) or nh("n:byline"),
        "dateline": cm("g:dateline") or located,
        "located": located[:200],
        "located_code": located_code,
        "categories": sections,
        "subjects": codes,
        "urgency": xml_support.urgency(cm("g:urgency")),
        "language": (language.get("tag") if language is not None else None)
        or item.get(XML_LANG)
        or "en",
        "ednote": text(first(item, "g:itemMeta/g:edNote")),
        "genre": genre[:100],
        "genre_code": genre_code,
        "slugline": cm("g:slugline")[:200],
        "source": _source(item),
        "media": _linked_media(item),
    }


def _linked_media(item: etree._Element) -> list[dict[str, Any]]:
    """Return the items a newsItem links as associated (irel:associatedWith): its media.

    G2 links carry no rel of ours: the first is taken as the featured picture,
    as newswire writes its own (the featured one first).
    """
    media = []
    links = item.xpath("g:itemMeta/g:link[@rel='irel:associatedWith']", namespaces=NS)
    for index, link in enumerate(links[:50]):
        target = link.get("residref") or link.get("href")
        if not target:
            continue
        media.append(
            {
                "id": target[:2_000],
                "rel": "featuremedia" if index == 0 else "associated",
                "name": text(first(link, "g:title"))[:100],
            }
        )
    return media


def parse_newsml_g2(xml_bytes: bytes) -> dict[str, Any]:
    """Validate a NewsML-G2 newsItem (or a NITF document) into StoryDraft fields + source."""
    root = xml_support.parse_xml(xml_bytes)
    if root.tag == f"{{{G2_NS}}}newsItem":
        return _news_item(root)
    if etree.QName(root).localname == "nitf" and root.tag in (f"{{{NITF_NS}}}nitf", "nitf"):
        return nitf.nitf_fields(root)
    raise IngestError(
        f"/{etree.QName(root).localname}",
        f"expected a NewsML-G2 <newsItem> in {G2_NS} (or a NITF 3.6 <nitf>)",
    )
