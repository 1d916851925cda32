"""A story's pictures in the portal, on both backends: shown to a company that buys them.

The story page shows the pictures the company may read (the API's media
access decides), with caption, credit, alt text and rights, drawn from the
preview with the base in its srcset, and lists each rendition with a portal
download link. A text-only company sees none and gets 404 at a rendition's
URL; a killed picture disappears from the page and its renditions are gone.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import create_subscriber
from tests.conftest import file_story
from tests.filed_media import file_media
from tests.people import PAGE, browser, cheap, company_user, signed_in_client

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings)


async def file_picture(client: httpx.AsyncClient, editor: dict[str, str]) -> dict[str, Any]:
    return await file_media(
        client,
        editor,
        credit_line="Newswire/Anna de Vries",
        alt_text="Three red cranes over a container ship",
        usage_terms="Editorial use only",
        copyright_notice="(c) 2026 Newswire",
    )


async def story_with_picture(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    picture = await file_picture(client, editor)
    story = await file_story(
        client, editor, headline="Port strike ends",
        media=[{"id": picture["id"], "rel": "featuremedia"}],
    )  # fmt: skip
    return story, picture


async def story_page(portal: httpx.AsyncClient, story: dict[str, Any]) -> httpx.Response:
    """Open a story's portal page as the client's company sees it; it must answer 200."""
    page = await portal.get(f"/portal/stories/{story['id']}", headers=PAGE)
    assert page.status_code == 200, page.text
    return page


def _links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="(/portal/media/[^"]+)"', page)]


async def test_the_story_page_shows_the_featured_picture_with_its_rights_and_renditions(
    pictures_desk: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story, picture = await story_with_picture(client, editor)
    page = await story_page(pictures_desk, story)
    text = html.unescape(page.text)
    figure = re.search(r'<figure class="picture featured" id="m-([^"]+)"', text)
    assert figure and figure.group(1) == picture["id"]
    img = re.search(r"<img [^>]*>", text.split('id="pictures-heading"')[1])
    assert img is not None
    tag = img.group(0)
    assert 'alt="Three red cranes over a container ship"' in tag
    sizes = {r["name"]: r for r in picture["renditions"]}
    preview = f"/portal/media/{picture['id']}/renditions/preview?version=1"
    base = f"/portal/media/{picture['id']}/renditions/base?version=1"
    assert f'src="{preview}"' in tag
    widths = sizes["preview"]["width"], sizes["base"]["width"]
    assert f'srcset="{preview} {widths[0]}w, {base} {widths[1]}w"' in tag
    assert "Newswire/Anna de Vries" in text and "Editorial use only" in text
    assert "(c) 2026 Newswire" in text
    assert "Cranes unload a container ship" in text  # the caption embedded in the file
    for name in ("original", "base", "preview", "thumbnail"):
        row = re.search(rf"<tr><td>{name}</td><td>(\d+) × (\d+) px", text)
        assert row and (int(row.group(1)), int(row.group(2))) == (
            sizes[name]["width"],
            sizes[name]["height"],
        )
    downloads = [link for link in _links(page.text) if link.endswith("download=1")]
    assert len(downloads) == 4
    for link in downloads:
        got = await pictures_desk.get(link)
        assert got.status_code == 200, (link, got.text)
        name = link.split("/renditions/")[1].split("?")[0]
        assert len(got.content) == sizes[name]["size"]
        assert got.headers["content-type"] == sizes[name]["content_type"]
        assert got.headers["etag"] == f'"{hashlib.sha256(got.content).hexdigest()}"'
        assert got.headers["content-disposition"].startswith("attachment;")
        assert "private" in got.headers["cache-control"]
    shown = await pictures_desk.get(preview)
    assert shown.status_code == 200 and shown.headers["content-disposition"].startswith("inline")
    # The downloads are in the company's history; a picture drawn on a page is not.
    history = (await pictures_desk.get("/portal/usage.csv")).text
    taken = [line for line in history.splitlines() if ",rendition:" in line]
    assert sorted(line.rsplit(",", 1)[1] for line in taken) == [
        "rendition:base",
        "rendition:original",
        "rendition:preview",
        "rendition:thumbnail",
    ]
    assert all(f",downloaded,{picture['id']},1," in line for line in taken)
    again = await pictures_desk.get(preview, headers={"If-None-Match": shown.headers["etag"]})
    assert again.status_code == 304


async def test_a_company_that_buys_text_only_sees_no_picture_and_gets_404_for_a_rendition(
    text_desk: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story, picture = await story_with_picture(client, editor)
    page = await story_page(text_desk, story)
    assert "Port strike ends" in page.text
    assert 'id="pictures-heading"' not in page.text and "/portal/media/" not in page.text
    for name in ("original", "base", "preview", "thumbnail"):
        url = f"/portal/media/{picture['id']}/renditions/{name}"
        assert (await text_desk.get(url)).status_code == 404
        assert (await text_desk.get(f"{url}?version=1&download=1")).status_code == 404


async def test_a_rendition_needs_a_signed_in_person(
    app: FastAPI, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    _, picture = await story_with_picture(client, editor)
    async with browser(app, address="127.0.0.3") as stranger:
        url = f"/portal/media/{picture['id']}/renditions/original"
        answer = await stranger.get(url, headers=PAGE)
        assert answer.status_code in (303, 401), answer.status_code
        assert not answer.headers.get("content-type", "").startswith("image/")


async def test_a_killed_picture_disappears_from_the_story_and_its_renditions_are_gone(
    pictures_desk: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story, picture = await story_with_picture(client, editor)
    before = await story_page(pictures_desk, story)
    links = _links(before.text)
    assert links
    killed = await client.post(
        f"/v1/media/{picture['id']}/kill", json={"reason": "Wrong port named"}, headers=editor
    )
    assert killed.status_code == 200, killed.text
    after = await story_page(pictures_desk, story)
    assert "Port strike ends" in after.text
    assert 'id="pictures-heading"' not in after.text and "/portal/media/" not in after.text
    for link in links:
        assert (await pictures_desk.get(link)).status_code == 404


async def test_the_pictures_read_in_turkish_for_a_turkish_interface(
    app: FastAPI, client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    company_id, _ = await create_subscriber(
        client, "Gazete", entitlements={"media": ["text", "pictures"]}
    )
    person = await company_user(runtime, company_id, "uye@gazete.example")
    await runtime.people.set_language(person, "tr")
    story, _ = await story_with_picture(client, editor)
    async with browser(app, address="127.0.0.4") as web:
        await signed_in_client(web, "/portal", "uye@gazete.example")
        page = await story_page(web, story)
        assert '<html lang="tr"' in page.text
        for label in ("Fotoğraflar ve videolar", "Öne çıkan fotoğraf", "Kullanım koşulları"):
            assert label in page.text
        wire = await web.get("/portal/", headers=PAGE)
        assert "Medya türü" in wire.text and "Fotoğraflar" in wire.text
