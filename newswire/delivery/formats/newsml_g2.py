"""NewsML-G2 2.35 newsItem (itemClass ninat:text), valid against the All-Power XSD.

itemMeta: itemClass, provider (nprov:<agency code> with its name), versionCreated,
firstCreated, embargoed, pubStatus (stat:usable|withheld|canceled), edNote, signals:
sig:update on every version after the first, sig:correction on a version filed as a
correction (StoryVersion.change), whose editor's note says what was wrong.
contentMeta: urgency, located, infoSource (the source agency), language, genre, subjects
(medtop: qcodes with English names), sections as subjects in the agency's own scheme
(nwsect:World/Europe, declared in an inline catalog), slugline, headline, dateline, by,
description (drol:summary). contentSet: the NITF body (see nitf.py) in inlineXML.
@guid is the story guid, @version the story version.
"""

from __future__ import annotations

from urllib.parse import quote

from lxml import etree

from newswire.delivery.formats import nitf
from newswire.delivery.formats._common import iso_utc, media_topics, section_paths
from newswire.delivery.formats._xml import G2_NS, NITF_NS, XML_LANG, sub, to_bytes
from newswire.delivery.formats.agency import Agency
from newswire.models.stories import StoryVersion

STANDARD_VERSION = "2.35"
IPTC_CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_41.xml"
SECTION_ALIAS = "nwsect"


def _signals(story: StoryVersion) -> list[str]:
    if story.version <= 1:
        return []
    signals = ["sig:update"]
    if story.is_correction:
        signals.append("sig:correction")
    return signals


def _item_meta(root: etree._Element, story: StoryVersion, agency: Agency) -> None:
    meta = sub(root, G2_NS, "itemMeta")
    sub(meta, G2_NS, "itemClass", attrs={"qcode": "ninat:text"})
    provider = sub(meta, G2_NS, "provider", attrs={"qcode": agency.provider_qcode})
    sub(provider, G2_NS, "name", agency.name)
    sub(meta, G2_NS, "versionCreated", iso_utc(story.version_created))
    sub(meta, G2_NS, "firstCreated", iso_utc(story.first_created))
    if story.embargoed_until is not None:
        sub(meta, G2_NS, "embargoed", iso_utc(story.embargoed_until))
    sub(meta, G2_NS, "pubStatus", attrs={"qcode": f"stat:{story.pubstatus.value}"})
    if story.ednote:
        sub(meta, G2_NS, "edNote", story.ednote)
    for signal in _signals(story):
        sub(meta, G2_NS, "signal", attrs={"qcode": signal})


def _content_meta(root: etree._Element, story: StoryVersion) -> None:
    meta = sub(root, G2_NS, "contentMeta")
    sub(meta, G2_NS, "urgency", str(story.urgency))
    if story.dateline:
        sub(sub(meta, G2_NS, "located"), G2_NS, "name", story.dateline)
    if story.source:
        source = sub(meta, G2_NS, "infoSource", attrs={"role": "isrol:originfo"})
        sub(source, G2_NS, "name", story.source)
    sub(meta, G2_NS, "language", attrs={"tag": story.language})
    if story.genre:
        sub(sub(meta, G2_NS, "genre"), G2_NS, "name", story.genre)
    for topic in media_topics(story):
        subject = sub(
            meta, G2_NS, "subject", attrs={"type": "cpnat:abstract", "qcode": topic.qcode}
        )
        sub(subject, G2_NS, "name", topic.name, attrs={XML_LANG: "en"})
    for path in section_paths(story):
        qcode = f"{SECTION_ALIAS}:{quote(path, safe='/')}"
        subject = sub(meta, G2_NS, "subject", attrs={"type": "cpnat:abstract", "qcode": qcode})
        sub(subject, G2_NS, "name", path.rsplit("/", 1)[-1])
    if story.slug:
        sub(meta, G2_NS, "slugline", story.slug)
    sub(meta, G2_NS, "headline", story.headline)
    if story.dateline:
        sub(meta, G2_NS, "dateline", story.dateline)
    if story.byline:
        sub(meta, G2_NS, "by", story.byline)
    if story.summary:
        sub(meta, G2_NS, "description", story.summary, attrs={"role": "drol:summary"})


def build(story: StoryVersion, agency: Agency) -> etree._Element:
    """Build the <newsItem> element for a story version."""
    root = etree.Element(f"{{{G2_NS}}}newsItem", nsmap={None: G2_NS})
    root.set("guid", story.guid)
    root.set("version", str(story.version))
    root.set("standard", "NewsML-G2")
    root.set("standardversion", STANDARD_VERSION)
    root.set("conformance", "power")
    root.set(XML_LANG, story.language)
    sub(root, G2_NS, "catalogRef", attrs={"href": IPTC_CATALOG})
    catalog = sub(root, G2_NS, "catalog")
    sub(
        catalog,
        G2_NS,
        "scheme",
        attrs={"alias": SECTION_ALIAS, "uri": f"{agency.uri.rstrip('/')}/sections/"},
    )
    rights = sub(root, G2_NS, "rightsInfo")
    holder = sub(
        rights, G2_NS, "copyrightHolder", attrs={} if story.source else {"uri": agency.uri}
    )
    sub(holder, G2_NS, "name", story.source or agency.name)
    _item_meta(root, story, agency)
    _content_meta(root, story)
    inline = sub(
        sub(root, G2_NS, "contentSet"),
        G2_NS,
        "inlineXML",
        attrs={"contenttype": "application/nitf+xml"},
    )
    document = etree.SubElement(inline, f"{{{NITF_NS}}}nitf", nsmap={None: NITF_NS})
    nitf.build_body(document, story, agency)
    return root


def render(story: StoryVersion, agency: Agency) -> bytes:
    """Render a story version as a NewsML-G2 2.35 newsItem document (UTF-8)."""
    return to_bytes(build(story, agency))
