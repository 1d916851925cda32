"""Pictures and video in every format: as items of their own, and as a story's associations.

ninjs: a picture or video is a ninjs object of type picture/video with
`renditions` (name, href, width, height, contenttype, sizeinbytes, duration;
3.x camelCase); caption, alt text and credit line are `descriptions` with
the roles caption, alttext and creditline; creator -> by; rights as on
stories. A story's media are its `associations`: in ninjs 2.x an array of
those objects each identified by its `name` (the rel, numbered from the
second of a rel: featuremedia, featuremedia-2), in 3.x the same with `rel`.

NewsML-G2: a picture or video is a newsItem of itemClass ninat:picture /
ninat:video whose contentSet has one `remoteContent` per rendition (href,
size, contenttype, width, height, duration for video, rendition
rnd:<name>). A story links its media from itemMeta with
`<link rel="irel:associatedWith" residref=GUID version=N
contenttype="application/vnd.iptc.g2.newsitem+xml">` (the IPTC guide's
links between items; a packageItem would be a third item to version), so a
G2 subscriber follows the links to the picture items it receives too.

NITF: each medium is a `<media media-type="image|video">` at the top of
body.content, with one `media-reference` per rendition (source, mime-type,
width, height, alternate-text), `media-caption` and `media-producer` (credit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

from newswire.delivery.formats._common import iso_utc_exact
from newswire.delivery.formats._xml import G2_NS, NITF_NS, XML_LANG, sub
from newswire.delivery.formats.agency import Agency
from newswire.models.events import MediaRef, RemoteMedia
from newswire.models.media import Attached, MediaKind, MediaRendition, MediaVersion
from newswire.models.stories import StoryVersion

G2_ITEM_TYPE = "application/vnd.iptc.g2.newsitem+xml"
ASSOCIATED_WITH = "irel:associatedWith"


def rendition_href(media: MediaVersion, rendition: MediaRendition, agency: Agency) -> str:
    """Return the absolute download URL of one rendition of one version."""
    path = f"/v1/media/{media.media_id}/renditions/{rendition.name}?version={media.version}"
    return agency.rendition_url(path)


def association_names(rels: Sequence[str]) -> list[str]:
    """Return each association's name: its rel, numbered from the second use of a rel."""
    seen: dict[str, int] = {}
    names = []
    for rel in rels:
        seen[rel] = seen.get(rel, 0) + 1
        count = seen[rel]
        names.append(rel if count == 1 else f"{rel}-{count}")
    return names


def remote_refs(story: StoryVersion) -> list[tuple[MediaRef, RemoteMedia]]:
    """Return the pictures an ingested story names that its source holds, as the source sent."""
    return [(ref, ref.remote) for ref in story.media if ref.remote is not None]


def _ninjs_remote(ref: MediaRef, remote: RemoteMedia, key: Callable[[str], str]) -> dict[str, Any]:
    item: dict[str, Any] = {"uri": ref.id, "type": remote.type}
    if remote.headline:
        item["headlines"] = [{"role": "main", "value": remote.headline}]
    if remote.caption:
        item["descriptions"] = [{"role": "caption", "value": remote.caption}]
    renditions = []
    for rendition in remote.renditions:
        body: dict[str, Any] = {"name": rendition.name, "href": rendition.href}
        optional = {
            key("contenttype"): rendition.content_type or None,
            "width": rendition.width,
            "height": rendition.height,
            key("sizeinbytes"): rendition.size,
            "duration": rendition.duration,
        }
        body.update({name: value for name, value in optional.items() if value is not None})
        renditions.append(body)
    if renditions:
        item["renditions"] = renditions
    return item


def _ninjs_renditions(
    media: MediaVersion, agency: Agency, key: Callable[[str], str]
) -> list[dict[str, Any]]:
    renditions = []
    for rendition in media.renditions:
        body: dict[str, Any] = {
            "name": rendition.name,
            "href": rendition_href(media, rendition, agency),
            key("contenttype"): rendition.content_type,
            "width": rendition.width,
            "height": rendition.height,
            key("sizeinbytes"): rendition.size,
        }
        if rendition.duration is not None:
            body["duration"] = rendition.duration
        renditions.append(body)
    return renditions


_CAMEL = {
    "contenttype": "contentType",
    "sizeinbytes": "sizeInBytes",
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "pubstatus": "pubStatus",
    "embargoed": "embargoedUntil",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "usageterms": "usageTerms",
    "ednote": "edNote",
    "representationtype": "representationType",
}


def ninjs_media(media: MediaVersion, standard_version: str, agency: Agency) -> dict[str, Any]:
    """Return the ninjs object of a picture or video (2.x lower case, 3.x camelCase)."""
    camel = standard_version.startswith("3")

    def key(name: str) -> str:
        return _CAMEL.get(name, name) if camel else name

    details = media.details
    item: dict[str, Any] = {
        "uri": media.guid,
        "type": media.kind.value,
        key("representationtype"): "full",
        "version": str(media.version),
        key("firstcreated"): iso_utc_exact(media.first_created),
        key("versioncreated"): iso_utc_exact(media.version_created),
    }
    if media.embargoed_until is not None:
        item[key("embargoed")] = iso_utc_exact(media.embargoed_until)
    item[key("pubstatus")] = media.pubstatus.value
    item["urgency"] = media.urgency
    rights = {
        key("copyrightholder"): details.copyright_holder,
        key("copyrightnotice"): details.copyright_notice,
        key("usageterms"): details.usage_terms,
    }
    item.update({name: value for name, value in rights.items() if value})
    item["language"] = media.language
    if details.headline:
        item["headlines"] = [{"role": "main", "value": details.headline}]
    descriptions = [
        {"role": role, key("contenttype"): "text/plain", "value": value}
        for role, value in (
            ("caption", details.caption),
            ("alttext", details.alt_text),
            ("creditline", details.credit_line),
        )
        if value
    ]
    if descriptions:
        item["descriptions"] = descriptions
    if details.creator:
        item["by"] = details.creator
    if media.ednote:
        item[key("ednote")] = media.ednote
    item["renditions"] = _ninjs_renditions(media, agency, key)
    return item


def ninjs_associations(
    story: StoryVersion, attached: Sequence[Attached], standard_version: str, agency: Agency
) -> list[dict[str, Any]]:
    """Return a story's associations: named objects (2.x), named with their rel (3.x).

    Pictures newswire holds come first, then those an ingested story named
    that its source holds, as the source described them.
    """
    camel = standard_version.startswith("3")

    def key(name: str) -> str:
        return _CAMEL.get(name, name) if camel else name

    remote = remote_refs(story)
    rels = [item.rel for item in attached] + [ref.rel for ref, _ in remote]
    bodies = [ninjs_media(item.media, standard_version, agency) for item in attached]
    bodies += [_ninjs_remote(ref, media, key) for ref, media in remote]
    associations = []
    for name, rel, body in zip(association_names(rels), rels, bodies, strict=True):
        association = {"name": name, **body}
        if camel:
            association["rel"] = rel
        associations.append(association)
    return associations


def g2_links(
    meta: etree._Element, story: StoryVersion, attached: Sequence[Attached], agency: Agency
) -> None:
    """Append to a story's itemMeta one link per picture or video it uses (held or remote)."""
    for item in attached:
        attrs = {
            "rel": ASSOCIATED_WITH,
            "residref": item.media.guid,
            "version": str(item.media.version),
            "href": agency.rendition_url(f"/v1/media/{item.media.media_id}?format=newsml-g2"),
            "contenttype": G2_ITEM_TYPE,
        }
        sub(meta, G2_NS, "link", attrs=attrs)
    for ref, _remote in remote_refs(story):
        sub(meta, G2_NS, "link", attrs={"rel": ASSOCIATED_WITH, "residref": ref.id})


def g2_remote_content(content_set: etree._Element, media: MediaVersion, agency: Agency) -> None:
    """Append one remoteContent per rendition to a picture or video item's contentSet."""
    for rendition in media.renditions:
        attrs = {
            "rendition": f"rnd:{rendition.name}",
            "href": rendition_href(media, rendition, agency),
            "size": str(rendition.size),
            "contenttype": rendition.content_type,
            "width": str(rendition.width),
            "height": str(rendition.height),
        }
        if rendition.duration is not None:
            attrs["duration"] = f"{rendition.duration:g}"
            attrs["durationunit"] = "timeunit:seconds"
        sub(content_set, G2_NS, "remoteContent", attrs=attrs)


def g2_item_class(media: MediaVersion) -> str:
    """Return the G2 itemClass qcode of a picture or video."""
    return "ninat:picture" if media.kind is MediaKind.PICTURE else "ninat:video"


def nitf_remote_media(content: etree._Element, story: StoryVersion, at: int) -> None:
    """Insert a `<media>` per remote picture with renditions, after the held ones."""
    for ref, remote in remote_refs(story):
        if not remote.renditions:
            continue
        kind = "video" if remote.type == "video" else "image"
        element = etree.Element(f"{{{NITF_NS}}}media", {"media-type": kind, "class": ref.rel})
        content.insert(at, element)
        at += 1
        for rendition in remote.renditions:
            attrs = {"source": rendition.href, "name": rendition.name}
            if rendition.content_type:
                attrs["mime-type"] = rendition.content_type
            sub(element, NITF_NS, "media-reference", attrs=attrs)
        if remote.caption:
            sub(element, NITF_NS, "media-caption", remote.caption)


def nitf_media(content: etree._Element, attached: Sequence[Attached], agency: Agency) -> None:
    """Insert a `<media>` per picture or video at the top of a story's body.content."""
    for index, item in enumerate(attached):
        media = item.media
        kind = "image" if media.kind is MediaKind.PICTURE else "video"
        element = etree.Element(f"{{{NITF_NS}}}media", {"media-type": kind, "class": item.rel})
        content.insert(index, element)
        for rendition in media.renditions:
            attrs = {
                "source": rendition_href(media, rendition, agency),
                "name": rendition.name,
                "mime-type": rendition.content_type,
                "width": str(rendition.width),
                "height": str(rendition.height),
            }
            if media.details.alt_text:
                attrs["alternate-text"] = media.details.alt_text
            if media.details.copyright_notice:
                attrs["copyright"] = media.details.copyright_notice
            sub(element, NITF_NS, "media-reference", attrs=attrs)
        if media.details.caption:
            caption = sub(element, NITF_NS, "media-caption", media.details.caption)
            caption.set(XML_LANG, media.language)
        if media.details.credit_line:
            sub(element, NITF_NS, "media-producer", media.details.credit_line)
