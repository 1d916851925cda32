"""Filing other agencies' items through the API: guid kept, source versions followed."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import STANDARDS, needs_shared, read_all

pytestmark = [pytest.mark.anyio, needs_shared(STANDARDS)]
NINJS = "application/vnd.iptc.ninjs+json"
NEWSML = "application/vnd.iptc.g2.newsitem+xml"


def official_ninjs() -> dict:
    return json.loads((STANDARDS / "ninjs" / "examples" / "2.1" / "dpa_text.json").read_text())


async def test_official_ninjs_item_becomes_a_story_keeping_its_guid_and_version(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    item = official_ninjs()
    response = await client.post(
        "/v1/stories", content=json.dumps(item), headers={**editor, "Content-Type": NINJS}
    )
    assert response.status_code == 201, response.text
    story = response.json()
    assert story["guid"] == item["uri"]
    assert story["version"] == int(item["version"])
    assert story["headline"] == item["headlines"][0]["value"]
    assert story["language"] == "de"

    newer = {**item, "version": str(int(item["version"]) + 1)}
    newer["headlines"] = [{"role": "main", "value": "Neue Fassung"}]
    updated = await client.post(
        "/v1/stories", content=json.dumps(newer), headers={**editor, "Content-Type": NINJS}
    )
    assert updated.status_code == 200
    assert updated.json()["id"] == story["id"] and updated.json()["headline"] == "Neue Fassung"

    again = await client.post(
        "/v1/stories", content=json.dumps(item), headers={**editor, "Content-Type": NINJS}
    )
    assert again.status_code == 409, "an older source version is refused"
    reader = await make_subscriber()
    events, _ = await read_all(client, reader)
    assert [(e["type"], e["version"]) for e in events] == [
        ("story.published", int(item["version"])),
        ("story.updated", int(item["version"]) + 1),
    ]


async def test_invalid_ninjs_is_rejected_with_the_schemas_message_and_path(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    item = official_ninjs()
    item["urgency"] = "very"
    response = await client.post(
        "/v1/stories", content=json.dumps(item), headers={**editor, "Content-Type": NINJS}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "$.urgency"
    assert "'very'" in error["message"]


async def test_official_newsml_g2_item_is_ingested(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    xml = (
        STANDARDS / "newsml-g2" / "examples" / "LISTING_2_NewsML-G2_Text_Document.xml"
    ).read_bytes()
    response = await client.post(
        "/v1/stories", content=xml, headers={**editor, "Content-Type": NEWSML}
    )
    assert response.status_code == 201, response.text
    assert response.json()["guid"].startswith("urn:newsml:")
    broken = xml.replace(b"<itemMeta>", b"<itemMeta><bogus/>", 1)
    rejected = await client.post(
        "/v1/stories", content=broken, headers={**editor, "Content-Type": NEWSML}
    )
    assert rejected.status_code == 422
    assert rejected.json()["error"]["field"].startswith("/newsItem/itemMeta")
