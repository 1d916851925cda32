"""The sample agency story's whole journey: text import, feed, by id, public page."""

from __future__ import annotations

import json

import httpx
import jsonschema
import pytest
import referencing
from referencing.jsonschema import DRAFT202012

from tests.conftest import SAMPLE_STORY, STANDARDS, needs_shared, read_all

pytestmark = [pytest.mark.anyio, needs_shared(SAMPLE_STORY)]


def ninjs2_validator() -> jsonschema.Draft202012Validator:
    schemas = STANDARDS / "ninjs" / "schemas"
    geojson = DRAFT202012.create_resource(json.loads((schemas / "GeoJSON-schema.json").read_text()))
    registry = referencing.Registry().with_resource(
        "https://geojson.org/schema/GeoJSON.json", geojson
    )
    schema = json.loads((schemas / "ninjs-schema_2.2.json").read_text())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def sample_paragraphs() -> list[str]:
    text = SAMPLE_STORY.read_text(encoding="utf-8")
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    # blocks: breadcrumb, headline, summary, byline+caption, dateline, 9 paragraphs + footer
    return blocks[5:-1]


async def test_sample_story_travels_from_text_import_to_feed_by_id_and_public_page(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    text = SAMPLE_STORY.read_bytes()
    filed = await client.post(
        "/v1/stories?public=true", content=text, headers={**editor, "Content-Type": "text/plain"}
    )
    assert filed.status_code == 201, filed.text
    story = filed.json()
    assert story["version"] == 1
    assert story["categories"] == ["World", "Europe"]
    assert story["headline"] == "Rutte calls for stronger US-NATO alliance"
    assert story["summary"].startswith("'NATO is there not only to defend Europe")
    assert story["byline"] == "Aysu Bicer"
    assert story["dateline"] == "LONDON"
    assert story["first_created"].startswith("2024-11-14")
    assert "Rinkeviss" in story["body"], "text is kept as written"
    assert "portion of the news stories" not in story["body"], "the site footer is dropped"
    assert story["body"].count("<p>") == len(sample_paragraphs()) == 9

    subscriber = await make_subscriber("Europe desk", categories=["Europe"], languages=["en"])
    events, _ = await read_all(client, subscriber)
    assert [e["type"] for e in events] == ["story.published"]
    item = events[0]["item"]
    ninjs2_validator().validate(item)
    assert item["headlines"][0]["value"] == story["headline"]
    assert "Resolute Warrior" in json.dumps(item), "subscribers get the full text"

    by_id = await client.get(f"/v1/stories/{story['id']}", headers=subscriber)
    assert by_id.status_code == 200
    assert by_id.json() == item

    page = await client.get(f"/stories/{story['id']}", follow_redirects=True)
    assert page.status_code == 200
    assert str(page.url).endswith(f"/en/stories/{story['slug']}")
    html = page.text
    for shown in (
        "Rutte calls for stronger US-NATO alliance",
        "Aysu Bicer",
        "LONDON",
        "14.11.2024",
    ):
        assert shown in html
    assert "make sure that the Indo-Pacific" in html, (
        "the editor's summary line is the public summary"
    )
    assert "Subscribers receive the full service" in html
    for paragraph in sample_paragraphs():
        assert paragraph[:60] not in html

    home = await client.get("/")
    assert story["headline"] in home.text
    section = await client.get("/sections/world/europe")
    assert section.status_code == 200 and story["headline"] in section.text
