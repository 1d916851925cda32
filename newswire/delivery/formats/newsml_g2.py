"""NewsML-G2 2.35 newsItem (itemClass ninat:text), valid against the All-Power XSD.

rightsInfo (see rights.py): copyrightHolder (with the agency's uri on its own stories),
copyrightNotice, usageTerms.
itemMeta: itemClass, provider (the agency's registered qcode when configured, else
its uri, with its name), versionCreated (to the microsecond: versions filed within a
second differ), firstCreated, embargoed, pubStatus (stat:usable|withheld|canceled),
edNote, signals: sig:update on every version after the first, sig:correction on a
version filed as a correction (StoryVersion.change), whose editor's note says what
was wrong.
contentMeta: urgency, contentCreated, contentModified, located (a code and a name:
the source's, else the dateline as a place in the agency's own space), infoSource
(the source agency), creator (the byline), language, genre (qcode or uri, and name),
subjects (medtop: qcodes with English names), sections as subjects in the agency's
own scheme (nwsect:World/Europe, declared in an inline catalog), slugline, headline,
dateline, by, description (drol:summary). contentSet: the NITF body (see nitf.py) in
inlineXML. @guid is the story guid, @version the story version.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from lxml import etree

from newswire.delivery.formats import _common, media_items, nitf
from newswire.delivery.formats._xml import G2_NS, NITF_NS, XML_LANG, built, sub, to_bytes
from newswire.delivery.formats.agency import Agency
from newswire.delivery.formats.concepts import g2_attributes, genre_code, place_code
from newswire.delivery.formats.rights import rights_of
from newswire.models.media import Attached, MediaVersion
from newswire.models.stories import StoryVersion

STANDARD_VERSION = "2.35"
IPTC_CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_41.xml"
SECTION_ALIAS = "nwsect"


def _rights_info(root: etree._Element, story: StoryVersion, agency: Agency) -> None:
    rights = rights_of(story, agency)
    info = sub(root, G2_NS, "rightsInfo")
    holder = sub(
        info,
        G2_NS,
        "copyrightHolder",
        attrs={"uri": rights.holder_uri} if rights.holder_uri else {},
    )
    sub(holder, G2_NS, "name", rights.holder)
    if rights.notice:
        sub(info, G2_NS, "copyrightNotice", rights.notice)
    if rights.usage_terms:
        sub(info, G2_NS, "usageTerms", rights.usage_terms)


def _provider(meta: etree._Element, agency: Agency) -> None:
    # A qcode in nprov: only when the agency has a registered one; else its own URI.
    attrs = {"qcode": agency.provider_qcode} if agency.provider_qcode else {"uri": agency.uri}
    sub(sub(meta, G2_NS, "provider", attrs=attrs), G2_NS, "name", agency.name)


def _item_meta(
    root: etree._Element, item_class: str, item: StoryVersion | MediaVersion, agency: Agency
) -> etree._Element:
    """Add the itemMeta that stories and media share: class, provider, times, status, note."""
    meta = sub(root, G2_NS, "itemMeta")
    sub(meta, G2_NS, "itemClass", attrs={"qcode": item_class})
    _provider(meta, agency)
    sub(meta, G2_NS, "versionCreated", _common.iso_utc_exact(item.version_created))
    sub(meta, G2_NS, "firstCreated", _common.iso_utc_exact(item.first_created))
    if item.embargoed_until is not None:
        sub(meta, G2_NS, "embargoed", _common.iso_utc_exact(item.embargoed_until))
    sub(meta, G2_NS, "pubStatus", attrs={"qcode": f"stat:{item.pubstatus.value}"})
    if item.ednote:
        sub(meta, G2_NS, "edNote", item.ednote)
    return meta


def _story_meta(root: etree._Element, story: StoryVersion, agency: Agency) -> None:
    meta = _item_meta(root, "ninat:text", story, agency)
    for signal in _common.signals(story):
        sub(meta, G2_NS, "signal", attrs={"qcode": signal})


def _administrative(meta: etree._Element, story: StoryVersion, agency: Agency) -> None:
    sub(meta, G2_NS, "urgency", str(story.urgency))
    created = story.content_created or story.first_created
    sub(meta, G2_NS, "contentCreated", _common.iso_utc_exact(created))
    sub(
        meta,
        G2_NS,
        "contentModified",
        _common.iso_utc_exact(story.content_modified or story.version_created),
    )
    place = _common.located_name(story)
    if place:
        code = place_code(place, story.located_code, agency)
        sub(sub(meta, G2_NS, "located", attrs=g2_attributes(code)), G2_NS, "name", place)
    if story.source:
        source = sub(meta, G2_NS, "infoSource", attrs={"role": "isrol:originfo"})
        sub(source, G2_NS, "name", story.source)
    if story.byline:
        sub(sub(meta, G2_NS, "creator"), G2_NS, "name", story.byline)


def _content_meta(root: etree._Element, story: StoryVersion, agency: Agency) -> None:
    meta = sub(root, G2_NS, "contentMeta")
    _administrative(meta, story, agency)
    sub(meta, G2_NS, "language", attrs={"tag": story.language})
    code = genre_code(story.genre, story.genre_code, agency)
    if story.genre or code:
        genre = sub(meta, G2_NS, "genre", attrs=g2_attributes(code))
        if story.genre:
            sub(genre, G2_NS, "name", story.genre)
    for topic in _common.media_topics(story):
        subject = sub(
            meta, G2_NS, "subject", attrs={"type": "cpnat:abstract", "qcode": topic.qcode}
        )
        sub(subject, G2_NS, "name", topic.name, attrs={XML_LANG: "en"})
    for path in _common.section_paths(story):
        qcode = f"{SECTION_ALIAS}:{quote(path, safe='/')}"
        subject = sub(meta, G2_NS, "subject", attrs={"type": "cpnat:abstract", "qcode": qcode})
        sub(subject, G2_NS, "name", path.rsplit("/", 1)[-1])
    if _common.slugline(story):
        sub(meta, G2_NS, "slugline", _common.slugline(story))
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
    _rights_info(root, story, agency)
    _story_meta(root, story, agency)
    _content_meta(root, story, agency)
    inline = sub(
        sub(root, G2_NS, "contentSet"),
        G2_NS,
        "inlineXML",
        attrs={"contenttype": "application/nitf+xml"},
    )
    document = etree.SubElement(inline, f"{{{NITF_NS}}}nitf", nsmap={None: NITF_NS})
    nitf.build_body(document, story, agency)
    return root


def render(story: StoryVersion, agency: Agency, attached: Sequence[Attached] = ()) -> bytes:
    """Render a story version as a NewsML-G2 2.35 newsItem document (UTF-8)."""
    root = build(story, agency)
    if story.media:
        media_items.g2_links(built(root, G2_NS, "itemMeta"), story, attached, agency)
    return to_bytes(root)


def _item_root(guid: str, version: int, language: str) -> etree._Element:
    root = etree.Element(f"{{{G2_NS}}}newsItem", nsmap={None: G2_NS})
    root.set("guid", guid)
    root.set("version", str(version))
    root.set("standard", "NewsML-G2")
    root.set("standardversion", STANDARD_VERSION)
    root.set("conformance", "power")
    root.set(XML_LANG, language)
    sub(root, G2_NS, "catalogRef", attrs={"href": IPTC_CATALOG})
    return root


def render_media(media: MediaVersion, agency: Agency) -> bytes:
    """Render a picture or video as a NewsML-G2 newsItem with one remoteContent per rendition."""
    root = _item_root(media.guid, media.version, media.language)
    details = media.details
    if details.copyright_holder or details.copyright_notice or details.usage_terms:
        info = sub(root, G2_NS, "rightsInfo")
        if details.copyright_holder:
            holder = sub(info, G2_NS, "copyrightHolder")
            sub(holder, G2_NS, "name", details.copyright_holder)
        if details.copyright_notice:
            sub(info, G2_NS, "copyrightNotice", details.copyright_notice)
        if details.usage_terms:
            sub(info, G2_NS, "usageTerms", details.usage_terms)
    _item_meta(root, media_items.g2_item_class(media), media, agency)
    content = sub(root, G2_NS, "contentMeta")
    sub(content, G2_NS, "urgency", str(media.urgency))
    if details.creator:
        sub(sub(content, G2_NS, "creator"), G2_NS, "name", details.creator)
    if details.credit_line:
        sub(content, G2_NS, "creditline", details.credit_line)
    sub(content, G2_NS, "language", attrs={"tag": media.language})
    for keyword in details.keywords:
        sub(content, G2_NS, "keyword", keyword)
    if details.headline:
        sub(content, G2_NS, "headline", details.headline)
    if details.caption:
        sub(content, G2_NS, "description", details.caption, attrs={"role": "drol:caption"})
    media_items.g2_remote_content(sub(root, G2_NS, "contentSet"), media, agency)
    return to_bytes(root)
