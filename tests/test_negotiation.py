"""Content negotiation over HTTP: every format's media type, application/xml, and 406."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lxml import etree

from newswire.delivery.formats import FORMATS
from tests.conftest import file_story

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[1]
G2 = "http://iptc.org/std/nar/2006-10-01/"


async def test_accept_application_xml_returns_a_newsml_g2_item(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    story = await file_story(client, editor)
    reader = await make_subscriber()
    response = await client.get(
        f"/v1/stories/{story['id']}", headers={**reader, "Accept": "application/xml"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.iptc.g2.newsitem+xml")
    assert etree.fromstring(response.content).tag == f"{{{G2}}}newsItem"


@pytest.mark.parametrize("name", sorted(FORMATS))
async def test_every_format_answers_its_own_accept(
    name: str, client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    story = await file_story(client, editor)
    reader = await make_subscriber()
    media = FORMATS[name].media_type.split(";")[0]
    accept = "application/vnd.iptc.ninjs+json; version=3" if name == "ninjs3" else media
    response = await client.get(f"/v1/stories/{story['id']}", headers={**reader, "Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    if name == "ninjs3":
        assert response.json()["standard"]["version"].startswith("3")


async def test_an_unknown_format_answers_406_listing_the_known_ones(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    story = await file_story(client, editor)
    reader = await make_subscriber()
    response = await client.get(f"/v1/stories/{story['id']}?format=rss", headers=reader)
    assert response.status_code == 406
    assert response.json()["error"]["field"] == "format"
    assert "newsml-g2" in response.json()["error"]["message"]


def test_the_formats_doc_says_what_the_code_answers() -> None:
    text = (ROOT / "docs" / "formats.md").read_text("utf-8")
    assert "HTTP 406" in text and "HTTP 400" not in text
    assert "`application/xml`" in text
