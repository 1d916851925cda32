"""ninjs 2.x and 3.1 output, validated against the official IPTC schemas, and the registry."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import jsonschema
import pytest
import referencing
from referencing.jsonschema import DRAFT202012

from newswire.delivery.formats import (
    DEFAULT_FORMAT,
    FORMATS,
    Agency,
    UnknownFormat,
    negotiate,
    render,
    render_item,
)
from newswire.models.stories import StoryVersion
from tests.story_factory import (
    EMBARGO,
    STORY_SHAPES,
    arabic_story,
    full_story,
    killed,
    sample_story,
    standards_dir,
)

AGENCY = Agency()
STORIES = STORY_SHAPES


def official_validator(version: str) -> jsonschema.Draft202012Validator:
    """Return a validator for the official ninjs schema, GeoJSON resolved locally."""
    schemas = standards_dir() / "ninjs" / "schemas"
    geojson = json.loads((schemas / "GeoJSON-schema.json").read_text("utf-8"))
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        "https://geojson.org/schema/GeoJSON.json", DRAFT202012.create_resource(geojson)
    )
    schema = json.loads((schemas / f"ninjs-schema_{version}.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(
        schema,
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def errors(version: str, item: dict[str, Any]) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in official_validator(version).iter_errors(item)]


@pytest.mark.parametrize("story_name", STORIES)
@pytest.mark.parametrize("schema_version", ["2.1", "2.2"])
def test_ninjs2_is_valid_against_the_official_2x_schemas(story_name: str, schema_version: str):
    item = json.loads(render(STORIES[story_name](), "ninjs2", AGENCY))
    assert errors(schema_version, item) == []


@pytest.mark.parametrize("story_name", STORIES)
def test_ninjs3_is_valid_against_the_official_31_schema(story_name: str):
    item = json.loads(render(STORIES[story_name](), "ninjs3", AGENCY))
    assert errors("3.1", item) == []


def test_the_official_schema_rejects_a_property_that_ninjs_lacks():
    item = json.loads(render(full_story(), "ninjs2", AGENCY))
    item["public"] = True
    assert any("public" in message for message in errors("2.1", item))


def test_ninjs2_maps_every_field():
    story = full_story()
    item = json.loads(render(story, "ninjs2", AGENCY))
    assert item["uri"] == story.guid
    assert item["version"] == "3"
    assert item["standard"]["version"] == "2.1"
    assert item["versioncreated"] == "2024-11-14T11:05:07Z"
    assert item["firstcreated"] == "2024-11-14T09:30:00Z"
    assert item["embargoed"] == "2024-11-15T06:00:00Z"
    assert item["pubstatus"] == "usable"
    assert item["urgency"] == 2
    assert item["headlines"] == [{"role": "main", "value": story.headline}]
    assert item["descriptions"][0]["value"] == story.summary
    assert item["bodies"][0]["value"] == story.body_html
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert item["by"] == story.byline
    assert item["located"] == "FRANKFURT"
    assert item["slugline"] == "rates-on-hold"
    assert item["ednote"] == story.ednote
    assert item["genres"] == [
        {"name": "Analysis", "uri": "https://newswire.example/genres/Analysis"}
    ]
    assert item["infosources"] == [
        {"name": "Example Press", "role": "source"},
        {"name": "Newswire", "uri": "https://newswire.example", "role": "provider"},
    ]
    topics = [s for s in item["subjects"] if "uri" in s and s.get("rel") != "signal"]
    assert [s["literal"] for s in topics] == list(story.subjects)
    assert topics[1] == {
        "name": "central bank",
        "uri": "http://cv.iptc.org/newscodes/mediatopic/20000350",
        "literal": "medtop:20000350",
    }
    sections = [s for s in item["subjects"] if s.get("rel") == "section"]
    assert [s["literal"] for s in sections] == ["Economy", "Economy/Central Banks"]


def test_ninjs3_uses_camel_case_keys():
    item = json.loads(render(full_story(), "ninjs3", AGENCY))
    assert item["versionCreated"] == "2024-11-14T11:05:07Z"
    assert item["pubStatus"] == "usable"
    assert item["embargoedUntil"] == EMBARGO.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert item["edNote"].startswith("Corrects")
    assert item["bodies"][0]["contentType"] == "text/html"
    assert not {"versioncreated", "pubstatus", "embargoed", "ednote"} & set(item)


def test_optional_fields_are_left_out_when_empty():
    story = dataclasses.replace(
        sample_story(), summary="", byline="", dateline="", ednote="", categories=(), genre=""
    )
    item = json.loads(render(story, "ninjs2", AGENCY))
    for key in ("descriptions", "by", "located", "ednote", "embargoed", "subjects", "genres"):
        assert key not in item


def test_a_killed_story_is_canceled():
    item = json.loads(render(killed(full_story()), "ninjs3", AGENCY))
    assert item["pubStatus"] == "canceled"
    assert item["edNote"] == "Legal reasons"
    assert item["version"] == "4"


def test_non_latin_text_is_sent_as_utf8_not_escaped():
    story = arabic_story()
    data = render(story, "ninjs2", AGENCY)
    assert story.headline.encode("utf-8") in data
    assert json.loads(data)["language"] == "ar"


def test_characters_special_in_markup_survive_json():
    story = full_story()
    item = json.loads(render(story, "ninjs2", AGENCY))
    assert item["headlines"][0]["value"] == 'Rates "on hold" <for now> & markets rally'


def test_render_is_cached_per_version_and_format():
    story = full_story()
    assert render(story, "ninjs2", AGENCY) is render(story, "ninjs2", AGENCY)
    newer = dataclasses.replace(story, headline="Changed")
    assert json.loads(render(newer, "ninjs2", AGENCY))["headlines"][0]["value"] == "Changed"


def test_render_item_gives_a_fresh_dict_for_json_and_text_otherwise():
    story = full_story()
    first = render_item(story, "ninjs3", AGENCY)
    first["uri"] = "changed"
    assert render_item(story, "ninjs3", AGENCY)["uri"] == story.guid
    assert render_item(story, "nitf", AGENCY).startswith("<?xml")


def test_unknown_format_lists_the_known_ones():
    with pytest.raises(UnknownFormat) as caught:
        render(full_story(), "rss", AGENCY)
    assert caught.value.known == list(FORMATS)
    for name in ("ninjs2", "ninjs3", "newsml-g2", "nitf", "text"):
        assert name in str(caught.value)


@pytest.mark.parametrize(
    ("requested", "accept", "default", "expected"),
    [
        ("nitf", "application/json", "ninjs2", "nitf"),
        ("NewsML-G2", None, "ninjs2", "newsml-g2"),
        (None, "application/vnd.iptc.g2.newsitem+xml", "ninjs2", "newsml-g2"),
        (None, "application/nitf+xml", "ninjs3", "nitf"),
        (None, "text/plain", "ninjs2", "text"),
        (None, "application/vnd.iptc.ninjs+json; version=3", "ninjs2", "ninjs3"),
        (None, "application/json", "ninjs3", "ninjs3"),
        (None, "application/json", "text", "ninjs2"),
        (None, "*/*", "text", "text"),
        # A browser's Accept lists application/xml above */*: it gets the XML format.
        (None, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "ninjs3",
         "newsml-g2"),
        (None, "text/html,application/xhtml+xml,*/*;q=0.8", "ninjs3", "ninjs3"),
        (None, "text/plain;q=0.5, application/nitf+xml", "ninjs2", "nitf"),
        (None, "application/nitf+xml;q=0, text/plain", "ninjs2", "text"),
        (None, None, DEFAULT_FORMAT, "ninjs2"),
        ("", "", "newsml-g2", "newsml-g2"),
    ],
)  # fmt: skip
def test_negotiate(requested: str | None, accept: str | None, default: str, expected: str):
    assert negotiate(requested, accept, default) == expected


def test_negotiate_rejects_an_unknown_requested_format():
    with pytest.raises(UnknownFormat, match="known formats: ninjs2, ninjs3"):
        negotiate("ninjs9", "application/json", "ninjs2")


def test_every_registered_format_renders_bytes():
    story: StoryVersion = sample_story()
    for name, fmt in FORMATS.items():
        data = render(story, name, AGENCY)
        assert isinstance(data, bytes) and data
        assert fmt.is_json == name.startswith("ninjs")
