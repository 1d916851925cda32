"""Atom 1.0 feeds (RFC 4287) with full content, built with feedgen.

Each (sequence number, story version) pair becomes one entry: id = the story guid (later
versions of a story are revisions of the same entry, told apart by `updated`), title =
headline (prefixed KILLED: / EMBARGOED: when that applies), summary, content = the HTML
body followed by the editor's note, published = first created, updated = version created,
author = byline (or the agency), rights = the copyright notice (see rights.py),
categories = Media Topics (scheme = the IPTC concept scheme, label = English name) and
sections (scheme = the agency's section URI).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from newswire.delivery.formats._common import iso_utc, media_topics, section_paths
from newswire.delivery.formats.agency import Agency
from newswire.delivery.formats.rights import rights_of
from newswire.models.stories import StoryVersion
from newswire.newsroom.vocab.mediatopics import SCHEME_URI

MEDIA_TYPE = "application/atom+xml"


def _title(story: StoryVersion) -> str:
    if story.is_killed:
        return f"KILLED: {story.headline}"
    if story.embargoed_until is not None:
        return f"EMBARGOED until {iso_utc(story.embargoed_until)}: {story.headline}"
    return story.headline


def _content(story: StoryVersion) -> str:
    if not story.ednote:
        return story.body_html
    note = html.escape(story.ednote, quote=False)
    return f"{story.body_html}<p><em>Editor's note: {note}</em></p>"


def atom_feed(
    entries: list[tuple[int, StoryVersion]],
    *,
    title: str,
    feed_id: str,
    self_url: str,
    agency: Agency,
    updated: datetime | None = None,
) -> bytes:
    """Build an Atom 1.0 feed of story versions, in the order given, as UTF-8 bytes."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.link(href=self_url, rel="self", type=MEDIA_TYPE)
    feed.link(href=agency.uri, rel="alternate")
    feed.author({"name": agency.name, "uri": agency.uri})
    feed.generator(agency.name, uri=agency.uri)
    times = [story.version_created for _, story in entries]
    feed.updated(updated or (max(times) if times else datetime.fromtimestamp(0, UTC)))
    sections_uri = f"{agency.uri.rstrip('/')}/sections/"
    for _seq, story in entries:
        entry = feed.add_entry(order="append")
        entry.id(story.guid)
        entry.title(_title(story))
        if story.summary:
            entry.summary(story.summary)
        entry.content(_content(story), type="html")
        entry.published(story.first_created)
        entry.updated(story.version_created)
        entry.author({"name": story.byline or agency.name})
        notice = rights_of(story, agency).notice
        if notice:
            entry.rights(notice)
        for topic in media_topics(story):
            entry.category(term=topic.qcode, scheme=SCHEME_URI, label=topic.name)
        for path in section_paths(story):
            entry.category(term=path, scheme=sections_uri, label=path.rsplit("/", 1)[-1])
    return bytes(feed.atom_str(pretty=True))
