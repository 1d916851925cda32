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


# Issue 16: the source's status and signals decide the operation. -------------------

GUID = "urn:newsml:example.com:20241114:source-status"


def source_item(version: int, **extra: object) -> str:
    """A ninjs 2.x text item from another agency, at a given source version."""
    item: dict[str, object] = {
        "uri": GUID,
        "type": "text",
        "version": str(version),
        "versioncreated": f"2024-11-14T10:0{version}:00Z",
        "headlines": [{"role": "main", "value": f"Minister resigns, version {version}"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Text.</p>"}],
        "infosources": [{"name": "Example Press", "role": "source"}],
    }
    item.update(extra)
    return json.dumps(item)


async def ingest(client: httpx.AsyncClient, editor: dict[str, str], item: str) -> httpx.Response:
    return await client.post("/v1/stories", content=item, headers={**editor, "Content-Type": NINJS})


async def test_a_source_kill_is_our_kill(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    reader = await make_subscriber()
    assert (await ingest(client, editor, source_item(1))).status_code == 201
    kill = source_item(
        2,
        pubstatus="canceled",
        ednote="Withdrawn for legal reasons.",
        bodies=[{"role": "main", "contenttype": "text/html", "value": "<p>KILL KILL KILL</p>"}],
    )
    killed = await ingest(client, editor, kill)
    assert killed.status_code == 200, killed.text
    story = killed.json()
    assert (story["event"], story["pubstatus"], story["version"]) == ("story.killed", "canceled", 2)
    assert "Withdrawn for legal reasons." in story["body"]
    events, _ = await read_all(client, reader)
    # A replay after the kill carries the kill notice in place of version 1 (issue 15).
    assert [(e["type"], e["item"]["pubstatus"]) for e in events] == [
        ("story.published", "canceled"),
        ("story.killed", "canceled"),
    ]
    again = await ingest(client, editor, source_item(3))
    assert again.status_code == 409, "a killed story stays killed"


async def test_a_kill_of_an_item_we_never_had_files_nothing(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    refused = await ingest(client, editor, source_item(4, pubstatus="canceled"))
    assert refused.status_code == 409
    assert refused.json()["error"]["field"] == "pubstatus"
    events, _ = await read_all(client, await make_subscriber())
    assert events == []


async def test_withheld_stays_withheld_until_the_source_lifts_it(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    plain = await make_subscriber("Plain")
    embargo = await make_subscriber("Embargo desk", embargoed=True)
    held = await ingest(client, editor, source_item(1, pubstatus="withheld"))
    assert held.status_code == 201
    assert held.json()["pubstatus"] == "withheld"
    assert (await read_all(client, plain))[0] == [], "withheld never reaches plain subscribers"
    events, _ = await read_all(client, embargo)
    assert [e["item"]["pubstatus"] for e in events] == ["withheld"]

    lifted = await ingest(client, editor, source_item(2))
    assert lifted.status_code == 200
    assert (lifted.json()["event"], lifted.json()["pubstatus"]) == ("story.released", "usable")
    events, _ = await read_all(client, plain)
    assert [(e["type"], e["version"]) for e in events] == [("story.published", 2)]


async def test_an_embargo_lift_by_the_source_is_our_release(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    held = await ingest(client, editor, source_item(1, embargoed="2099-01-01T00:00:00Z"))
    assert (held.json()["pubstatus"], held.json()["embargoed_until"]) == (
        "withheld",
        "2099-01-01T00:00:00Z",
    )
    same_text = [{"role": "main", "value": "Minister resigns, version 1"}]
    moved = await ingest(
        client, editor, source_item(2, embargoed="2099-06-01T00:00:00Z", headlines=same_text)
    )
    assert (moved.json()["event"], moved.json()["embargoed_until"]) == (
        "story.embargo_changed",
        "2099-06-01T00:00:00Z",
    )
    lifted = await ingest(client, editor, source_item(3))
    story = lifted.json()
    assert (story["event"], story["pubstatus"], story["embargoed_until"]) == (
        "story.released",
        "usable",
        None,
    )


async def test_a_source_correction_is_our_correction(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    signal = {"name": "correction", "uri": "http://cv.iptc.org/newscodes/signal/correction",
              "rel": "signal"}  # fmt: skip
    assert (await ingest(client, editor, source_item(1))).status_code == 201
    corrected = await ingest(
        client, editor, source_item(2, subjects=[signal], ednote="Corrects the name.")
    )
    assert corrected.json()["event"] == "story.corrected"
    updated = await ingest(client, editor, source_item(3))
    assert updated.json()["event"] == "story.updated"


async def test_the_source_version_time_is_kept(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    filed = await ingest(client, editor, source_item(1))
    assert filed.json()["version_created"] == "2024-11-14T10:01:00Z"
