"""NITF 3.6 (namespaced, valid against nitf-3-6.xsd): one standalone document per story version.

head: title (headline); tobject with the genre as tobject.property and one
tobject.subject per Media Topic (ipr "IPTC-MediaTopic", refnum the code);
docdata/@management-status: the publishing status (usable, embargoed when withheld
until a time, withheld, canceled); docdata: correction (on a correction: the editor's
note, the guid), doc-id (guid), urgency (ed-urg: IPTC 1-8 as is, 9 as 8, since
NITF's scale ends at 8, "least"), date.issue (version created), date.release
(embargo), ed-msg (editor's note), du-key (slugline and version), doc.copyright
(year and holder), doc.rights (holder and usage terms as limitations); pubdata
(date.publication: first created; position.section: the section breadcrumb).
body: body.head with hedline/hl1, byline, distributor (source, else the agency),
dateline (the located place marked as <location> with its code when the dateline
names it) and abstract (summary); body.content from the HTML body; body.end with
the copyright notice as tagline/copyrite. NITF's dates have whole seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from newswire.delivery.formats import media_items
from newswire.delivery.formats._common import (
    iso_utc,
    located_name,
    media_topics,
    section_paths,
    slugline,
)
from newswire.delivery.formats._xml import (
    NITF_NS,
    NITF_VERSION,
    XML_LANG,
    append_nitf_body,
    built,
    sub,
    to_bytes,
)
from newswire.delivery.formats.agency import Agency
from newswire.delivery.formats.concepts import place_code
from newswire.delivery.formats.rights import rights_of
from newswire.models.media import Attached, MediaVersion
from newswire.models.stories import PubStatus, StoryVersion

MEDIATOPIC_IPR = "IPTC-MediaTopic"
NITF_LEAST_URGENT = 8


def _norm(story_time: str) -> str:
    """Turn 2024-11-14T10:00:00Z into NITF's normalized 20241114T100000Z."""
    return story_time.replace("-", "").replace(":", "")


def nitf_urgency(urgency: int) -> int:
    """Map IPTC urgency (1-9) onto NITF's ed-urg (1 most, 5 normal, 8 least)."""
    return min(urgency, NITF_LEAST_URGENT)


def management_status(story: StoryVersion) -> str:
    """Return NITF's management-status: usable, embargoed, withheld or canceled."""
    if story.pubstatus is PubStatus.WITHHELD and story.embargoed_until is not None:
        return "embargoed"
    return story.pubstatus.value


def _dateline(head: etree._Element, story: StoryVersion, agency: Agency) -> None:
    dateline = sub(head, NITF_NS, "dateline")
    place = located_name(story)
    before, found, after = story.dateline.partition(place) if place else ("", "", "")
    if not found:
        dateline.text = story.dateline
        return
    dateline.text = before or None
    code = place_code(place, story.located_code, agency)
    location = sub(dateline, NITF_NS, "location", place, attrs={"location-code": code})
    location.tail = after or None


def build_body(parent: etree._Element, story: StoryVersion, agency: Agency) -> etree._Element:
    """Append the NITF <body> (body.head and body.content) of a story to `parent`."""
    body = sub(parent, NITF_NS, "body")
    head = sub(body, NITF_NS, "body.head")
    sub(sub(head, NITF_NS, "hedline"), NITF_NS, "hl1", story.headline)
    if story.byline:
        sub(head, NITF_NS, "byline", story.byline)
    sub(head, NITF_NS, "distributor", story.source or agency.name)
    if story.dateline:
        _dateline(head, story, agency)
    if story.summary:
        sub(sub(head, NITF_NS, "abstract"), NITF_NS, "p", story.summary)
    append_nitf_body(sub(body, NITF_NS, "body.content"), story.body_html)
    return body


def _tobject(head: etree._Element, story: StoryVersion) -> None:
    topics = media_topics(story)
    if not (topics or story.genre):
        return
    tobject = sub(head, NITF_NS, "tobject", attrs={"tobject.type": "news"})
    if story.genre:
        sub(tobject, NITF_NS, "tobject.property", attrs={"tobject.property.type": story.genre})
    for topic in topics:
        sub(
            tobject,
            NITF_NS,
            "tobject.subject",
            attrs={
                "tobject.subject.ipr": MEDIATOPIC_IPR,
                "tobject.subject.refnum": topic.code,
                "tobject.subject.type": topic.name,
            },
        )


def _docdata(head: etree._Element, story: StoryVersion, agency: Agency) -> None:
    docdata = sub(head, NITF_NS, "docdata", attrs={"management-status": management_status(story)})
    if story.is_correction:
        attrs = {"info": story.ednote, "id-string": story.guid, "regsrc": agency.code}
        sub(docdata, NITF_NS, "correction", attrs={k: v for k, v in attrs.items() if v})
    sub(docdata, NITF_NS, "doc-id", attrs={"regsrc": agency.code, "id-string": story.guid})
    sub(docdata, NITF_NS, "urgency", attrs={"ed-urg": str(nitf_urgency(story.urgency))})
    sub(docdata, NITF_NS, "date.issue", attrs={"norm": _norm(iso_utc(story.version_created))})
    if story.embargoed_until is not None:
        sub(docdata, NITF_NS, "date.release", attrs={"norm": _norm(iso_utc(story.embargoed_until))})
    if story.ednote:
        sub(docdata, NITF_NS, "ed-msg", attrs={"msg-type": "ednote", "info": story.ednote})
    du_key = {"version": str(story.version)}
    if slugline(story):
        du_key["key"] = slugline(story)
    sub(docdata, NITF_NS, "du-key", attrs=du_key)
    rights = rights_of(story, agency)
    sub(
        docdata, NITF_NS, "doc.copyright", attrs={"year": str(rights.year), "holder": rights.holder}
    )
    if rights.usage_terms:
        attrs = {"owner": rights.holder, "limitations": rights.usage_terms}
        sub(docdata, NITF_NS, "doc.rights", attrs=attrs)


def build(story: StoryVersion, agency: Agency) -> etree._Element:
    """Build the standalone <nitf> element for a story version."""
    root = etree.Element(f"{{{NITF_NS}}}nitf", nsmap={None: NITF_NS})
    root.set("version", NITF_VERSION)
    root.set(XML_LANG, story.language)
    head = sub(root, NITF_NS, "head")
    sub(head, NITF_NS, "title", story.headline)
    _tobject(head, story)
    _docdata(head, story, agency)
    pubdata = {"type": "web", "date.publication": _norm(iso_utc(story.first_created))}
    if story.categories:
        pubdata["position.section"] = section_paths(story)[-1]
    sub(head, NITF_NS, "pubdata", attrs=pubdata)
    body = build_body(root, story, agency)
    notice = rights_of(story, agency).notice
    if notice:
        tagline = sub(sub(body, NITF_NS, "body.end"), NITF_NS, "tagline")
        sub(tagline, NITF_NS, "copyrite", notice)
    return root


def render(story: StoryVersion, agency: Agency, attached: Sequence[Attached] = ()) -> bytes:
    """Render a story version as a standalone NITF 3.6 document (UTF-8), media first in the body."""
    root = build(story, agency)
    if story.media:
        content = built(root, NITF_NS, "body/body.content")
        media_items.nitf_media(content, attached, agency)
        media_items.nitf_remote_media(content, story, len(attached))
    return to_bytes(root)


def render_media(media: MediaVersion, agency: Agency) -> bytes:
    """Render a picture or video as a NITF document whose body is its <media>."""
    root = etree.Element(f"{{{NITF_NS}}}nitf", nsmap={None: NITF_NS})
    root.set("version", NITF_VERSION)
    root.set(XML_LANG, media.language)
    head = sub(root, NITF_NS, "head")
    title = media.details.headline or media.details.caption[:200] or media.guid
    sub(head, NITF_NS, "title", title)
    status = "canceled" if media.is_killed else media.pubstatus.value
    docdata = sub(head, NITF_NS, "docdata", attrs={"management-status": status})
    sub(docdata, NITF_NS, "doc-id", attrs={"regsrc": agency.code, "id-string": media.guid})
    sub(docdata, NITF_NS, "date.issue", attrs={"norm": _norm(iso_utc(media.version_created))})
    if media.ednote:
        sub(docdata, NITF_NS, "ed-msg", attrs={"msg-type": "ednote", "info": media.ednote})
    sub(docdata, NITF_NS, "du-key", attrs={"version": str(media.version)})
    body = sub(root, NITF_NS, "body")
    sub(sub(sub(body, NITF_NS, "body.head"), NITF_NS, "hedline"), NITF_NS, "hl1", title)
    content = sub(body, NITF_NS, "body.content")
    media_items.nitf_media(content, [Attached(media.kind.value, media)], agency)
    return to_bytes(root)
