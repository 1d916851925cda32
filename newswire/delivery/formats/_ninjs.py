"""One ninjs builder for both generations: 2.x spells keys in lower case, 3.x in camelCase.

Mapping (StoryVersion -> ninjs), chosen against the official schemas, which forbid
unknown top-level properties:

- guid -> uri; version -> version (a string); type is always "text";
  representationtype/representationType "full"; standard names the schema.
- first_created, version_created -> firstcreated/firstCreated, versioncreated/versionCreated;
  embargoed_until -> embargoed (2.x) / embargoedUntil (3.x), only when set.
- pubstatus -> pubstatus/pubStatus; urgency -> urgency; language -> language.
- headline -> headlines[{role: main}]; summary -> descriptions[{role: summary}] when set;
  body_html -> bodies[{role: main, contenttype: text/html, charcount, wordcount}].
- byline -> by; dateline -> located; slug -> slugline; ednote -> ednote/edNote;
  genre -> genres[{name}]; source -> infosources/infoSources[{name, role: source}].
- subjects (medtop codes) -> subjects[{name, uri, literal: medtop:...}] with English names.
- categories: ninjs has no sections, so each one is a subject without a uri,
  {name: "Europe", literal: "World/Europe", rel: "section"}; the literal keeps the
  breadcrumb and rel tells it apart from Media Topics (ingest reads them back).
- public, public_summary, story_id: wire matters, carried in the delivery envelope.
"""

from __future__ import annotations

from typing import Any

from newswire.delivery.formats._common import iso_utc, media_topics, section_paths
from newswire.models.stories import StoryVersion
from newswire.newsroom.bodies import html_to_text

SECTION_REL = "section"
SOURCE_ROLE = "source"

_CAMEL = {
    "representationtype": "representationType",
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "embargoed": "embargoedUntil",
    "pubstatus": "pubStatus",
    "ednote": "edNote",
    "contenttype": "contentType",
    "charcount": "charCount",
    "wordcount": "wordCount",
    "infosources": "infoSources",
}


def schema_uri(version: str) -> str:
    """Return the official $id of the ninjs schema for a version such as 2.1."""
    return f"http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json#"


def build(story: StoryVersion, standard_version: str) -> dict[str, Any]:
    """Build the ninjs object for a story; 3.x versions get camelCase keys."""
    camel = standard_version.startswith("3")

    def key(name: str) -> str:
        return _CAMEL.get(name, name) if camel else name

    text = html_to_text(story.body_html)
    item: dict[str, Any] = {
        "uri": story.guid,
        "standard": {
            "name": "ninjs",
            "version": standard_version,
            "schema": schema_uri(standard_version),
        },
        "type": "text",
        key("representationtype"): "full",
        "version": str(story.version),
        key("firstcreated"): iso_utc(story.first_created),
        key("versioncreated"): iso_utc(story.version_created),
    }
    if story.embargoed_until is not None:
        item[key("embargoed")] = iso_utc(story.embargoed_until)
    item[key("pubstatus")] = story.pubstatus.value
    item["urgency"] = story.urgency
    item["language"] = story.language
    if story.slug:
        item["slugline"] = story.slug
    item["headlines"] = [{"role": "main", "value": story.headline}]
    if story.summary:
        item["descriptions"] = [
            {"role": "summary", key("contenttype"): "text/plain", "value": story.summary}
        ]
    item["bodies"] = [
        {
            "role": "main",
            key("contenttype"): "text/html",
            key("charcount"): len(text),
            key("wordcount"): len(text.split()),
            "value": story.body_html,
        }
    ]
    if story.byline:
        item["by"] = story.byline
    if story.dateline:
        item["located"] = story.dateline
    if story.ednote:
        item[key("ednote")] = story.ednote
    subjects: list[dict[str, Any]] = [
        {"name": topic.name, "uri": topic.uri, "literal": topic.qcode}
        for topic in media_topics(story)
    ]
    subjects += [
        {"name": path.rsplit("/", 1)[-1], "literal": path, "rel": SECTION_REL}
        for path in section_paths(story)
    ]
    if subjects:
        item["subjects"] = subjects
    if story.genre:
        item["genres"] = [{"name": story.genre}]
    if story.source:
        item[key("infosources")] = [{"name": story.source, "role": SOURCE_ROLE}]
    return item
