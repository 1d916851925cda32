"""The public site shows a story's featured picture from its public preview, on both backends."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from lxml import html

from tests.conftest import file_story
from tests.filed_media import file_media

pytestmark = pytest.mark.anyio


async def public_story_with_picture(
    client: httpx.AsyncClient, editor: dict[str, str], **picture_fields: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    picture = await file_media(
        client, editor, credit_line="Newswire/Anna de Vries", **picture_fields
    )
    story = await file_story(
        client, editor, public=True, categories=["Economy"], media=[{"id": picture["id"]}]
    )
    return picture, story


def preview_of(picture: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in picture["renditions"] if r["name"] == "preview")


async def test_story_page_shows_the_preview_with_alt_caption_credit_and_og_image(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    picture, story = await public_story_with_picture(client, editor)
    page = await client.get(f"/en/stories/{story['slug']}")
    assert page.status_code == 200, page.text
    tree = html.fromstring(page.text)
    [img] = tree.xpath("//article//figure[@class='picture']/img")
    src = img.get("src")
    assert src == f"/media/{picture['id']}/v1/preview"
    assert img.get("alt") == "Three red cranes over a container ship"
    assert img.get("srcset") == f"{src} {preview_of(picture)['width']}w"
    assert img.get("width") == str(preview_of(picture)["width"])
    caption = tree.xpath("string(//figure[@class='picture']/figcaption)")
    assert "Cranes unload a container ship" in caption and "Newswire/Anna de Vries" in caption
    og = tree.xpath("//meta[@property='og:image']/@content")
    assert og == [f"http://newswire.test{src}"]
    [ld] = tree.xpath("//script[@type='application/ld+json']/text()")
    image = json.loads(ld)["image"]
    assert image["url"] == f"http://newswire.test{src}" and image["creditText"]
    # Only the public preview is linked, never the original or the base.
    assert "/original" not in page.text and "/base" not in page.text
    served = await client.get(src)
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert len(served.content) == preview_of(picture)["size"]
    assert b"GPS" not in served.content and b"SN-123456789" not in served.content
    for name in ("original", "base"):
        assert (await client.get(f"/media/{picture['id']}/v1/{name}")).status_code == 404


async def test_home_and_section_pages_show_the_picture_lazily(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    picture, _ = await public_story_with_picture(client, editor)
    for path in ("/en/", "/en/sections/economy"):
        page = await client.get(path)
        assert page.status_code == 200, (path, page.text)
        [img] = html.fromstring(page.text).xpath("//figure[@class='picture']/img")
        assert img.get("loading") == "lazy"
        assert img.get("src") == f"/media/{picture['id']}/v1/preview"


async def test_a_killed_picture_leaves_every_page_at_once(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    picture, story = await public_story_with_picture(client, editor)
    before = await client.get(f"/en/stories/{story['slug']}")
    src = f"/media/{picture['id']}/v1/preview"
    assert src in before.text
    killed = await client.post(
        f"/v1/media/{picture['id']}/kill", json={"reason": "Wrong port"}, headers=editor
    )
    assert killed.status_code == 200
    after = await client.get(
        f"/en/stories/{story['slug']}", headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200  # the page changed: not a 304
    assert src not in after.text and "og:image" not in after.text
    assert (await client.get(src)).status_code == 404
    assert not re.search(r"<figure class=\"picture\"", (await client.get("/en/")).text)


async def test_a_picture_not_for_the_public_is_not_shown(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    picture, story = await public_story_with_picture(client, editor, public="false")
    page = await client.get(f"/en/stories/{story['slug']}")
    assert "<figure" not in page.text
    assert (await client.get(f"/media/{picture['id']}/v1/preview")).status_code == 404
