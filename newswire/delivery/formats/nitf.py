"""NITF 3.6 (namespaced, valid against nitf-3-6.xsd): one standalone document per story version.

head: title (headline); meta pubstatus (NITF has no publishing status of its own);
tobject with one tobject.subject per Media Topic (ipr "IPTC-MediaTopic", refnum the code);
docdata: doc-id (guid), urgency (ed-urg), date.issue (version created), date.release
(embargo), ed-msg (editor's note), du-key (slug and version), doc.copyright (agency);
pubdata (position.section: the section breadcrumb). body: body.head with hedline/hl1,
byline, distributor, dateline and abstract (summary); body.content from the HTML body.
"""

from __future__ import annotations

from lxml import etree

from newswire.delivery.formats._common import iso_utc, media_topics, section_paths
from newswire.delivery.formats._xml import (
    NITF_NS,
    NITF_VERSION,
    XML_LANG,
    append_nitf_body,
    sub,
    to_bytes,
)
from newswire.delivery.formats.agency import Agency
from newswire.models.stories import StoryVersion

MEDIATOPIC_IPR = "IPTC-MediaTopic"


def _norm(story_time: str) -> str:
    """Turn 2024-11-14T10:00:00Z into NITF's normalized 20241114T100000Z."""
    return story_time.replace("-", "").replace(":", "")


def build_body(parent: etree._Element, story: StoryVersion, agency: Agency) -> etree._Element:
    """Append the NITF <body> (body.head and body.content) of a story to `parent`."""
    body = sub(parent, NITF_NS, "body")
    head = sub(body, NITF_NS, "body.head")
    sub(sub(head, NITF_NS, "hedline"), NITF_NS, "hl1", story.headline)
    if story.byline:
        sub(head, NITF_NS, "byline", story.byline)
    sub(head, NITF_NS, "distributor", story.source or agency.name)
    if story.dateline:
        sub(head, NITF_NS, "dateline", story.dateline)
    if story.summary:
        sub(sub(head, NITF_NS, "abstract"), NITF_NS, "p", story.summary)
    append_nitf_body(sub(body, NITF_NS, "body.content"), story.body_html)
    return body


def build(story: StoryVersion, agency: Agency) -> etree._Element:
    """Build the standalone <nitf> element for a story version."""
    root = etree.Element(f"{{{NITF_NS}}}nitf", nsmap={None: NITF_NS})
    root.set("version", NITF_VERSION)
    root.set(XML_LANG, story.language)
    head = sub(root, NITF_NS, "head")
    sub(head, NITF_NS, "title", story.headline)
    sub(head, NITF_NS, "meta", attrs={"name": "pubstatus", "content": story.pubstatus.value})
    topics = media_topics(story)
    if topics:
        tobject = sub(head, NITF_NS, "tobject", attrs={"tobject.type": "news"})
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
    docdata = sub(head, NITF_NS, "docdata")
    sub(docdata, NITF_NS, "doc-id", attrs={"regsrc": agency.code, "id-string": story.guid})
    sub(docdata, NITF_NS, "urgency", attrs={"ed-urg": str(story.urgency)})
    sub(docdata, NITF_NS, "date.issue", attrs={"norm": _norm(iso_utc(story.version_created))})
    if story.embargoed_until is not None:
        sub(docdata, NITF_NS, "date.release", attrs={"norm": _norm(iso_utc(story.embargoed_until))})
    if story.ednote:
        sub(docdata, NITF_NS, "ed-msg", attrs={"msg-type": "ednote", "info": story.ednote})
    du_key = {"version": str(story.version)}
    if story.slug:
        du_key["key"] = story.slug
    sub(docdata, NITF_NS, "du-key", attrs=du_key)
    sub(
        docdata,
        NITF_NS,
        "doc.copyright",
        attrs={
            "year": str(story.first_created.year),
            "holder": story.source or agency.name,
        },
    )
    pubdata = {"type": "web"}
    if story.categories:
        pubdata["position.section"] = section_paths(story)[-1]
    sub(head, NITF_NS, "pubdata", attrs=pubdata)
    build_body(root, story, agency)
    return root


def render(story: StoryVersion, agency: Agency) -> bytes:
    """Render a story version as a standalone NITF 3.6 document (UTF-8)."""
    return to_bytes(build(story, agency))
