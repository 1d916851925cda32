"""Pictures and video in ninjs 2.x/3.x, NewsML-G2 and NITF: on their own and as associations.

Every output is validated against the official schemas in ../shared/standards.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from functools import cache

import jsonschema
import pytest
from lxml import etree

from newswire.delivery.formats import Agency, render, render_media
from newswire.models.events import PubStatus, RemoteMedia, RemoteRendition
from newswire.models.media import Attached, MediaDetails, MediaKind, MediaRendition, MediaVersion
from newswire.models.stories import MediaRef
from tests.conftest import STANDARDS, needs_shared
from tests.story_factory import full_story

pytestmark = needs_shared(STANDARDS)

AGENCY = Agency(api_url="https://wire.example")
G2 = "http://iptc.org/std/nar/2006-10-01/"
NITF = "http://iptc.org/std/NITF/2006-10-18/"
NS = {"g": G2, "n": NITF}
WHEN = datetime(2024, 11, 14, 9, 30, tzinfo=UTC)


def picture(**overrides: object) -> MediaVersion:
    base = MediaVersion(
        media_id="a1b2c3d4e5f60708",
        version=2,
        kind=MediaKind.PICTURE,
        guid="urn:newsml:newswire:media:a1b2c3d4e5f60708",
        pubstatus=PubStatus.USABLE,
        first_created=WHEN,
        version_created=WHEN,
        details=MediaDetails(
            headline="Cranes in Rotterdam",
            caption="Cranes unload a container ship in the port of Rotterdam.",
            alt_text="Three red cranes over a container ship",
            creator="Anna de Vries",
            credit_line="Newswire/Anna de Vries",
            copyright_notice="(c) 2024 Newswire",
            copyright_holder="Newswire",
            usage_terms="Editorial use only",
            keywords=("port", "shipping"),
        ),
        renditions=(
            MediaRendition("original", "a" * 64, "image/jpeg", 4000, 6000, 9_000_000),
            MediaRendition("base", "b" * 64, "image/jpeg", 1365, 2048, 400_000),
            MediaRendition("preview", "c" * 64, "image/jpeg", 427, 640, 50_000),
            MediaRendition("thumbnail", "d" * 64, "image/jpeg", 240, 240, 9_000),
        ),
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def video() -> MediaVersion:
    return picture(
        media_id="f0e0d0c0b0a09080",
        guid="urn:newsml:newswire:media:f0e0d0c0b0a09080",
        kind=MediaKind.VIDEO,
        renditions=(
            MediaRendition("original", "e" * 64, "video/mp4", 1280, 720, 5_000_000, 12.5),
            MediaRendition("poster", "f" * 64, "image/jpeg", 1280, 720, 90_000),
        ),
    )


def attached() -> tuple[Attached, ...]:
    return (Attached("featuremedia", picture()), Attached("inline", video()))


def story_with_media() -> tuple[object, tuple[Attached, ...]]:
    refs = (MediaRef(picture().media_id), MediaRef(video().media_id, "inline"))
    return full_story(media=refs), attached()


@cache
def _xsd(relative: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(STANDARDS / relative)))


def _ninjs_schema(generation: int) -> jsonschema.Draft202012Validator:
    name = {2: "ninjs-schema_2.2.json", 3: "ninjs-schema_3.1.json"}[generation]
    schema = json.loads((STANDARDS / "ninjs" / "schemas" / name).read_text("utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)
    return root


@pytest.mark.parametrize(("name", "generation"), [("ninjs2", 2), ("ninjs3", 3)])
def test_ninjs_story_associations_carry_every_rendition_and_are_valid(
    name: str, generation: int
) -> None:
    story, media = story_with_media()
    item = json.loads(render(story, name, AGENCY, media))  # type: ignore[arg-type]
    _ninjs_schema(generation).validate(item)
    associations = item["associations"]
    assert [a["name"] for a in associations] == ["featuremedia", "inline"]
    featured = associations[0]
    assert featured["type"] == "picture" and featured["uri"] == picture().guid
    size_key = "sizeInBytes" if generation == 3 else "sizeinbytes"
    type_key = "contentType" if generation == 3 else "contenttype"
    preview = next(r for r in featured["renditions"] if r["name"] == "preview")
    assert preview == {
        "name": "preview",
        "href": f"https://wire.example/v1/media/{picture().media_id}/renditions/preview?version=2",
        type_key: "image/jpeg",
        "width": 427,
        "height": 640,
        size_key: 50_000,
    }
    roles = {d["role"]: d["value"] for d in featured["descriptions"]}
    assert roles["alttext"] == "Three red cranes over a container ship"
    assert roles["creditline"] == "Newswire/Anna de Vries"
    assert associations[1]["renditions"][0]["duration"] == 12.5
    if generation == 3:
        assert [a["rel"] for a in associations] == ["featuremedia", "inline"]
    else:
        assert "rel" not in featured


def test_ninjs_2_names_a_second_use_of_a_rel_apart() -> None:
    story = full_story()
    two = (Attached("featuremedia", picture()), Attached("featuremedia", video()))
    item = json.loads(render(story, "ninjs2", AGENCY, two))
    assert [a["name"] for a in item["associations"]] == ["featuremedia", "featuremedia-2"]


@pytest.mark.parametrize(("name", "generation"), [("ninjs2", 2), ("ninjs3", 3)])
def test_ninjs_picture_and_video_items_are_valid(name: str, generation: int) -> None:
    for media in (picture(), video(), picture(pubstatus=PubStatus.CANCELED, ednote="Wrong")):
        item = json.loads(render_media(media, name, AGENCY))
        _ninjs_schema(generation).validate(item)
        assert item["type"] == media.kind.value


def test_newsml_g2_picture_and_video_items_have_remote_content_and_are_valid() -> None:
    schema = _xsd("newsml-g2/specification/NewsML-G2_2.35-spec-All-Power.xsd")
    root = assert_valid(schema, render_media(picture(), "newsml-g2", AGENCY))
    assert root.xpath("g:itemMeta/g:itemClass/@qcode", namespaces=NS) == ["ninat:picture"]
    remote = root.xpath("g:contentSet/g:remoteContent", namespaces=NS)
    assert [r.get("rendition") for r in remote] == [
        "rnd:original",
        "rnd:base",
        "rnd:preview",
        "rnd:thumbnail",
    ]
    assert remote[2].get("width") == "427" and remote[2].get("size") == "50000"
    assert root.xpath("g:contentMeta/g:creditline/text()", namespaces=NS) == [
        "Newswire/Anna de Vries"
    ]
    moving = assert_valid(schema, render_media(video(), "newsml-g2", AGENCY))
    assert moving.xpath("g:itemMeta/g:itemClass/@qcode", namespaces=NS) == ["ninat:video"]
    assert moving.xpath("g:contentSet/g:remoteContent/@duration", namespaces=NS)[0] == "12.5"


def test_newsml_g2_story_links_its_media_items() -> None:
    schema = _xsd("newsml-g2/specification/NewsML-G2_2.35-spec-All-Power.xsd")
    story, media = story_with_media()
    root = assert_valid(schema, render(story, "newsml-g2", AGENCY, media))  # type: ignore[arg-type]
    links = root.xpath("g:itemMeta/g:link", namespaces=NS)
    assert [(link.get("rel"), link.get("residref")) for link in links] == [
        ("irel:associatedWith", picture().guid),
        ("irel:associatedWith", video().guid),
    ]


def test_nitf_story_has_media_with_media_references_and_is_valid() -> None:
    schema = _xsd("nitf/nitf-3-6.xsd")
    story, media = story_with_media()
    root = assert_valid(schema, render(story, "nitf", AGENCY, media))  # type: ignore[arg-type]
    found = root.xpath("//n:body.content/n:media", namespaces=NS)
    assert [m.get("media-type") for m in found] == ["image", "video"]
    references = found[0].xpath("n:media-reference", namespaces=NS)
    assert len(references) == 4
    assert references[0].get("alternate-text") == "Three red cranes over a container ship"
    assert found[0].xpath("n:media-caption/text()", namespaces=NS) == [picture().details.caption]
    assert_valid(schema, render_media(picture(), "nitf", AGENCY))


def test_text_names_the_pictures() -> None:
    story, media = story_with_media()
    text = render(story, "text", AGENCY, media).decode()  # type: ignore[arg-type]
    assert "FEATUREMEDIA: picture" in text and picture().details.caption[:20] in text
    assert b"preview 427x640" in render_media(picture(), "text", AGENCY)


def test_pictures_an_ingested_story_names_are_delivered_as_sent_and_valid() -> None:
    remote = RemoteMedia(
        "a001",
        "picture",
        caption="A military exercise",
        renditions=(
            RemoteRendition("r00", "https://tt.example/a001.jpg", "image/jpeg", 4724, 3149),
        ),
    )
    story = full_story(media=(MediaRef("http://tt.example/media/a001", "a001", remote),))
    for name, generation in (("ninjs2", 2), ("ninjs3", 3)):
        item = json.loads(render(story, name, AGENCY, attached()))
        _ninjs_schema(generation).validate(item)
        assert [a["name"] for a in item["associations"]] == ["featuremedia", "inline", "a001"]
        assert item["associations"][2]["renditions"][0]["href"] == "https://tt.example/a001.jpg"
    g2 = assert_valid(
        _xsd("newsml-g2/specification/NewsML-G2_2.35-spec-All-Power.xsd"),
        render(story, "newsml-g2", AGENCY, attached()),
    )
    assert (
        g2.xpath("g:itemMeta/g:link/@residref", namespaces=NS)[-1] == "http://tt.example/media/a001"
    )
    nitf = assert_valid(_xsd("nitf/nitf-3-6.xsd"), render(story, "nitf", AGENCY, attached()))
    sources = nitf.xpath("//n:media/n:media-reference/@source", namespaces=NS)
    assert "https://tt.example/a001.jpg" in sources
