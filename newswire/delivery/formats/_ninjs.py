"""One ninjs builder for both generations: 2.x spells keys in lower case, 3.x in camelCase.

Mapping (StoryVersion -> ninjs), chosen against the official schemas, which forbid
unknown top-level properties:

- guid -> uri; version -> version (a string); type is always "text";
  representationtype/representationType "full"; standard names the schema.
- first_created, version_created, content_created -> firstcreated, versioncreated,
  contentcreated (3.x: firstCreated, ...), to the microsecond when there is one;
  embargoed_until -> embargoed (2.x) / embargoedUntil (3.x), only when set.
- pubstatus -> pubstatus/pubStatus; urgency -> urgency; language -> language.
- rights (see rights.py) -> copyrightholder, copyrightnotice, usageterms (3.x camelCase).
- headline -> headlines[{role: main}]; summary -> descriptions[{role: summary}] when set;
  dateline -> descriptions[{role: dateline}] (ninjs has no dateline property);
  body_html -> bodies[{role: main, contenttype: text/html, charcount, wordcount}]
  (each Han or kana character counts as a word).
- byline -> by; located (else the dateline) -> located; slugline (else the slug) ->
  slugline; ednote -> ednote/edNote; genre -> genres[{name, uri|literal}].
- source -> infosources/infoSources[{name, role: source}], then the agency itself,
  {name, uri, role: provider}, on every item.
- subjects (medtop codes) -> subjects[{name, uri, literal: medtop:...}] with English names.
- categories: ninjs has no sections, so each one is a subject without a uri,
  {name: "Europe", literal: "World/Europe", rel: "section"}; the literal keeps the
  breadcrumb and rel tells it apart from Media Topics (ingest reads them back).
- signals: ninjs has no signal property, so each IPTC signal of the version
  (sig:update, sig:correction) is a subject {name, uri, rel: "signal"} whose uri is
  in the IPTC signal scheme: a correction can be told from the item alone.
- public, public_summary, story_id: wire matters, carried in the delivery envelope.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from newswire.delivery.formats import _common, media_items
from newswire.delivery.formats.agency import Agency
from newswire.delivery.formats.concepts import SIGNAL_SCHEME, genre_code, ninjs_reference
from newswire.delivery.formats.rights import rights_of
from newswire.models.media import Attached, MediaVersion
from newswire.models.stories import StoryVersion
from newswire.newsroom.bodies import html_to_text

SECTION_REL = "section"
SIGNAL_REL = "signal"
SOURCE_ROLE = "source"
PROVIDER_ROLE = "provider"
DATELINE_ROLE = "dateline"

_CAMEL = {
    "representationtype": "representationType",
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "contentcreated": "contentCreated",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "usageterms": "usageTerms",
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


def _standard(version: str) -> dict[str, str]:
    return {"name": "ninjs", "version": version, "schema": schema_uri(version)}


def _to_bytes(item: dict[str, Any]) -> bytes:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render(
    story: StoryVersion, standard_version: str, agency: Agency, attached: Sequence[Attached]
) -> bytes:
    """Render a story version as a ninjs JSON document (UTF-8) of the given version."""
    item = build(story, standard_version, agency)
    associations = media_items.ninjs_associations(story, attached, standard_version, agency)
    if associations:
        item["associations"] = associations
    return _to_bytes(item)


def render_media(media: MediaVersion, standard_version: str, agency: Agency) -> bytes:
    """Render a picture or video as a ninjs object of type picture or video."""
    item = {
        "standard": _standard(standard_version),
        **media_items.ninjs_media(media, standard_version, agency),
    }
    return _to_bytes(item)


def build(story: StoryVersion, standard_version: str, agency: Agency) -> dict[str, Any]:
    """Build the ninjs object for a story; 3.x versions get camelCase keys."""
    camel = standard_version.startswith("3")

    def key(name: str) -> str:
        return _CAMEL.get(name, name) if camel else name

    text = html_to_text(story.body_html)
    item: dict[str, Any] = {
        "uri": story.guid,
        "standard": _standard(standard_version),
        "type": "text",
        key("representationtype"): "full",
        "version": str(story.version),
        key("firstcreated"): _common.iso_utc_exact(story.first_created),
        key("versioncreated"): _common.iso_utc_exact(story.version_created),
        key("contentcreated"): _common.iso_utc_exact(story.content_created or story.first_created),
    }
    if story.embargoed_until is not None:
        item[key("embargoed")] = _common.iso_utc_exact(story.embargoed_until)
    item[key("pubstatus")] = story.pubstatus.value
    item["urgency"] = story.urgency
    item.update(_rights(story, agency, key))
    item["language"] = story.language
    if _common.slugline(story):
        item["slugline"] = _common.slugline(story)
    item["headlines"] = [{"role": "main", "value": story.headline}]
    descriptions = [
        {"role": role, key("contenttype"): "text/plain", "value": value}
        for role, value in (("summary", story.summary), (DATELINE_ROLE, story.dateline))
        if value
    ]
    if descriptions:
        item["descriptions"] = descriptions
    item["bodies"] = [
        {
            "role": "main",
            key("contenttype"): "text/html",
            key("charcount"): len(text),
            key("wordcount"): _common.word_count(text),
            "value": story.body_html,
        }
    ]
    if story.byline:
        item["by"] = story.byline
    if _common.located_name(story):
        item["located"] = _common.located_name(story)
    if story.ednote:
        item[key("ednote")] = story.ednote
    subjects = _subjects(story)
    if subjects:
        item["subjects"] = subjects
    genres = _genres(story, agency)
    if genres:
        item["genres"] = genres
    item[key("infosources")] = _infosources(story, agency)
    return item


def _rights(story: StoryVersion, agency: Agency, key: Any) -> dict[str, str]:
    rights = rights_of(story, agency)
    values = {
        key("copyrightholder"): rights.holder,
        key("copyrightnotice"): rights.notice,
        key("usageterms"): rights.usage_terms,
    }
    return {name: value for name, value in values.items() if value}


def _subjects(story: StoryVersion) -> list[dict[str, Any]]:
    subjects: list[dict[str, Any]] = [
        {"name": topic.name, "uri": topic.uri, "literal": topic.qcode}
        for topic in _common.media_topics(story)
    ]
    subjects += [
        {"name": path.rsplit("/", 1)[-1], "literal": path, "rel": SECTION_REL}
        for path in _common.section_paths(story)
    ]
    subjects += [
        {
            "name": signal.partition(":")[2],
            "uri": SIGNAL_SCHEME + signal.partition(":")[2],
            "rel": SIGNAL_REL,
        }
        for signal in _common.signals(story)
    ]
    return subjects


def _genres(story: StoryVersion, agency: Agency) -> list[dict[str, Any]]:
    code = genre_code(story.genre, story.genre_code, agency)
    if not (story.genre or code):
        return []
    genre: dict[str, Any] = {"name": story.genre} if story.genre else {}
    genre.update(ninjs_reference(code))
    return [genre]


def _infosources(story: StoryVersion, agency: Agency) -> list[dict[str, Any]]:
    provider = {"name": agency.name, "uri": agency.uri, "role": PROVIDER_ROLE}
    if story.source and story.source != agency.name:
        return [{"name": story.source, "role": SOURCE_ROLE}, provider]
    return [provider]
