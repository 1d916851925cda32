"""Ingest a bare NITF 3.6 document as StoryDraft fields plus what the source says of it.

The document is validated against the packaged NITF 3.6 XSD (namespaced, as IPTC
publishes it); a DTD-style document without the namespace is read as the same
vocabulary in the namespace, then validated. A document must carry
docdata/doc-id/@id-string: without an identity, its later versions could not be
recognised and would each become a new story.

Mapping back (the reverse of newswire.delivery.formats.nitf): doc-id/@id-string -> guid,
du-key/@version -> version (a positive number) and @key -> slugline,
docdata/@management-status (usable, embargoed, withheld, canceled; else our
earlier meta name=pubstatus) -> pubstatus, docdata/correction -> sig:correction (its
info is the editor's note when ed-msg has none), date.issue -> version_created,
pubdata/@date.publication -> first_created, date.release -> embargoed_until, urgency
ed-urg, ed-msg -> ednote, doc.copyright/@holder -> copyright_holder,
body.end/tagline/copyrite -> copyright_notice, doc.rights/@limitations ->
usage_terms, tobject.property/@tobject.property.type -> genre, tobject.subject
refnums -> Media Topics, pubdata/@position.section -> categories, hl1 (else title),
abstract, byline, distributor -> source, dateline (its <location> -> located and
located_code), body.content -> body (HTML), @xml:lang -> language.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from lxml import etree

from newswire.delivery.formats._xml import NITF_NS, XML_LANG, nitf_blocks_to_html
from newswire.delivery.formats.validation import SCHEMAS
from newswire.newsroom.importers import xml_support
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.importers.xml_support import NS, first, text

NITF_XSD = "nitf-3-6.xsd"
# NITF's management-status has "embargoed" besides the G2 statuses: withheld until a time.
_MANAGEMENT_STATUS = {"embargoed": "withheld"}


@cache
def nitf_schema() -> etree.XMLSchema:
    """Return the NITF 3.6 schema (its ruby include and xml.xsd are resolved beside it)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / NITF_XSD)))


def _namespaced(root: etree._Element) -> etree._Element:
    """Put a DTD-style (namespace-less) NITF document into the NITF namespace."""
    if root.tag == f"{{{NITF_NS}}}nitf":
        return root
    for element in root.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = f"{{{NITF_NS}}}{element.tag}"
    etree.cleanup_namespaces(root, top_nsmap={None: NITF_NS})
    return etree.fromstring(etree.tostring(root))


def _pubstatus(docdata: etree._Element | None, root: etree._Element) -> str:
    value = docdata.get("management-status", "") if docdata is not None else ""
    if not value:
        legacy = first(root, "n:head/n:meta[@name='pubstatus']")
        value = legacy.get("content", "") if legacy is not None else ""
    value = _MANAGEMENT_STATUS.get(value, value)
    return xml_support.status(value, "/nitf/head/docdata/@management-status") if value else "usable"


def _dateline(root: etree._Element) -> tuple[str, str, str]:
    """Return the dateline text, and the name and code of the <location> it marks."""
    dateline = first(root, "n:body/n:body.head/n:dateline")
    location = first(dateline, "n:location")
    if location is None:
        return text(dateline), "", ""
    return (
        text(dateline),
        text(location),
        xml_support.code_or_nothing(location.get("location-code", "")),
    )


def _rights(root: etree._Element) -> dict[str, str]:
    copyright_ = first(root, "n:head/n:docdata/n:doc.copyright")
    rights = first(root, "n:head/n:docdata/n:doc.rights")
    notice = text(first(root, "n:body/n:body.end/n:tagline/n:copyrite")) or text(
        first(root, "n:body/n:body.head/n:copyrite")
    )
    return {
        "copyright_holder": (copyright_.get("holder", "") if copyright_ is not None else "")[:300],
        "copyright_notice": notice[:2_000],
        "usage_terms": (rights.get("limitations", "") if rights is not None else "")[:2_000],
    }


def nitf_fields(document: etree._Element) -> dict[str, Any]:
    """Validate a parsed NITF document and map it to StoryDraft fields plus its source."""
    root = _namespaced(document)
    xml_support.validate(root, nitf_schema(), "NITF 3.6")

    def get(path: str) -> etree._Element | None:
        return first(root, path)

    def attribute(path: str, name: str) -> str:
        element = get(path)
        return element.get(name, "") if element is not None else ""

    doc_id = attribute("n:head/n:docdata/n:doc-id", "id-string").strip()
    if not doc_id:
        raise IngestError(
            "/nitf/head/docdata/doc-id",
            "a NITF document needs docdata/doc-id/@id-string: without an identity its "
            "later versions could not be told from new stories",
        )
    headline = text(get("n:body/n:body.head/n:hedline/n:hl1")) or text(get("n:head/n:title"))
    if not headline:
        raise IngestError("/nitf/body/body.head/hedline/hl1", "the document has no headline")
    blocks = root.xpath("n:body/n:body.content", namespaces=NS)
    body = "".join(nitf_blocks_to_html(block) for block in blocks)
    summary = text(get("n:body/n:body.head/n:abstract"))
    docdata = get("n:head/n:docdata")
    correction = get("n:head/n:docdata/n:correction")
    refnums = root.xpath(
        "n:head/n:tobject/n:tobject.subject/@tobject.subject.refnum", namespaces=NS
    )
    codes = [
        code for code in (xml_support.subject_code(f"medtop:{ref}", "") for ref in refnums) if code
    ]
    section = attribute("n:head/n:pubdata", "position.section")
    dateline, located, located_code = _dateline(root)
    docdata_path = "/nitf/head/docdata/"
    return {
        "guid": doc_id,
        "version": xml_support.version(
            attribute("n:head/n:docdata/n:du-key", "version") or None,
            docdata_path + "du-key/@version",
        ),
        "pubstatus": _pubstatus(docdata, root),
        "signals": ["sig:correction"] if correction is not None else [],
        "version_created": xml_support.nitf_time(
            attribute("n:head/n:docdata/n:date.issue", "norm"), docdata_path + "date.issue"
        ),
        **_rights(root),
        "headline": headline,
        "summary": summary,
        "body": body if body.strip() else (summary or headline),
        "byline": text(get("n:body/n:body.head/n:byline")),
        "dateline": dateline,
        "located": located[:200],
        "located_code": located_code,
        "categories": [part for part in section.split("/") if part.strip()],
        "subjects": list(dict.fromkeys(codes)),
        "urgency": xml_support.urgency(attribute("n:head/n:docdata/n:urgency", "ed-urg")),
        # DTD-style NITF names the language in baselang.
        "language": root.get(XML_LANG) or root.get("baselang") or "en",
        "embargoed_until": xml_support.nitf_time(
            attribute("n:head/n:docdata/n:date.release", "norm"), docdata_path + "date.release"
        ),
        "first_created": xml_support.nitf_time(
            attribute("n:head/n:pubdata", "date.publication"), "/nitf/head/pubdata"
        ),
        "ednote": attribute("n:head/n:docdata/n:ed-msg", "info")
        or (correction.get("info", "") if correction is not None else ""),
        "genre": attribute("n:head/n:tobject/n:tobject.property", "tobject.property.type")[:100],
        "genre_code": "",
        "slugline": attribute("n:head/n:docdata/n:du-key", "key")[:200],
        "source": text(get("n:body/n:body.head/n:distributor"))[:200],
        "content_created": None,
        "content_modified": None,
    }


def parse_nitf(xml_bytes: bytes) -> dict[str, Any]:
    """Map a NITF 3.6 document to StoryDraft fields plus its source's version and status."""
    return nitf_fields(xml_support.parse_xml(xml_bytes))
