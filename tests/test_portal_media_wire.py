"""The wire's media type filter, on both backends: pictures listed as pictures, live too.

Without a media type the wire lists stories (a picture is seen with its
story); `media=pictures` lists the pictures the company may read, newest
first, each line with its thumbnail, headline, caption and credit, linking
to the picture's page; a killed picture leaves the list; a text-only
company's picture wire is empty. The live stream keeps to the same filter.
"""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from newswire.settings import Settings
from tests.accounts import create_subscriber, served
from tests.conftest import ADMIN, bearer, file_story, story_json
from tests.filed_media import file_media
from tests.media_files import mp4_video, plain_jpeg
from tests.page_clients import wire_ids
from tests.people import PAGE, cheap, company_user, signed_in_client
from tests.servers import LiveEvents, receive_sse

pytestmark = pytest.mark.anyio

WAIT = 15.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings)


async def file_picture(
    client: httpx.AsyncClient, editor: dict[str, str], photo: bytes | None = None, **data: str
) -> dict[str, Any]:
    return await file_media(
        client, editor, photo, "photo.jpg", credit_line="Newswire/Anna de Vries", **data
    )


async def test_the_picture_wire_lists_pictures_newest_first_and_stories_stay_on_the_text_wire(
    pictures_desk: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    cranes = await file_picture(client, editor, alt_text="Three red cranes")
    field = await file_picture(
        client, editor, plain_jpeg((900, 600)), headline="Cup final crowd",
        caption="Fans fill the stadium.", categories="Sport",
    )  # fmt: skip
    story = await file_story(client, editor, headline="Port strike ends")
    text_wire = await pictures_desk.get("/portal/", headers=PAGE)
    assert wire_ids(text_wire.text) == [story["id"]]
    page = await pictures_desk.get("/portal/", params={"media": "pictures"}, headers=PAGE)
    assert page.status_code == 200, page.text
    assert wire_ids(page.text) == [field["id"], cranes["id"]]
    line = html.unescape(page.text.split(f'id="s-{field["id"]}"')[1].split("</li>")[0])
    assert f'src="/portal/media/{field["id"]}/renditions/thumbnail?version=1"' in line
    assert 'alt="Fans fill the stadium."' in line  # no alt text filed: the caption
    assert "Cup final crowd" in line and "Newswire/Anna de Vries" in line
    assert f'href="/portal/media/{field["id"]}"' in line
    assert 'type="checkbox"' not in line  # the zip holds stories
    assert 'id="bundle"' not in page.text and 'id="bundle"' in text_wire.text
    assert 'data-live="/portal/live?media=pictures"' in page.text
    # The other filters narrow pictures too, and the video wire has none of them.
    sport = await pictures_desk.get(
        "/portal/", params={"media": "pictures", "section": "Sport"}, headers=PAGE
    )
    assert wire_ids(sport.text) == [field["id"]]
    video = await pictures_desk.get("/portal/", params={"media": "video"}, headers=PAGE)
    assert wire_ids(video.text) == [] and "No pictures match." in video.text
    words = await pictures_desk.get(
        "/portal/search", params={"media": "pictures", "q": "stadium"}, headers=PAGE
    )
    assert wire_ids(words.text) == [field["id"]]
    shown = await pictures_desk.get(f"/portal/media/{field['id']}", headers=PAGE)
    assert shown.status_code == 200 and "Fans fill the stadium." in shown.text
    wrong = await pictures_desk.get("/portal/", params={"media": "audio"}, headers=PAGE)
    assert wrong.status_code == 422 and 'id="f-media-error"' in wrong.text


async def test_picture_wire_pages_stay_stable_and_a_killed_picture_leaves_the_list(
    pictures_desk: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    small = plain_jpeg((320, 240))
    filed = [(await file_picture(client, editor, small))["id"] for _ in range(32)]
    first = await pictures_desk.get("/portal/", params={"media": "pictures"}, headers=PAGE)
    assert wire_ids(first.text) == list(reversed(filed))[:30]
    older = re.search(r'href="(/portal/\?[^"]*cursor=[^"]+)" rel="next"', first.text)
    assert older
    await file_picture(client, editor, small)
    second = await pictures_desk.get(html.unescape(older.group(1)), headers=PAGE)
    assert wire_ids(second.text) == list(reversed(filed))[30:]
    killed = await client.post(
        f"/v1/media/{filed[-1]}/kill", json={"reason": "Wrong caption"}, headers=editor
    )
    assert killed.status_code == 200, killed.text
    again = await pictures_desk.get("/portal/", params={"media": "pictures"}, headers=PAGE)
    assert filed[-1] not in wire_ids(again.text)
    assert (await pictures_desk.get(f"/portal/media/{filed[-1]}", headers=PAGE)).status_code == 404
    bad = await pictures_desk.get(
        "/portal/", params={"media": "pictures", "cursor": "nonsense!"}, headers=PAGE
    )
    assert bad.status_code == 422


async def test_a_text_only_company_lists_no_pictures_and_cannot_open_one(
    text_desk: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    picture = await file_picture(client, editor)
    page = await text_desk.get("/portal/", params={"media": "pictures"}, headers=PAGE)
    assert page.status_code == 200 and wire_ids(page.text) == []
    assert (await text_desk.get(f"/portal/media/{picture['id']}", headers=PAGE)).status_code == 404
    thumb = f"/portal/media/{picture['id']}/renditions/thumbnail"
    assert (await text_desk.get(thumb)).status_code == 404


async def test_the_live_wire_keeps_to_the_media_type_filter(settings: Settings) -> None:
    async with served(cheap(settings)) as (server, client, runtime):
        made = await client.post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)
        editor = bearer(made.json()["api_key"])
        company_id, _ = await create_subscriber(client, "Daily", entitlements={"media": []})
        await company_user(runtime, company_id, "member@daily.example")
        async with httpx.AsyncClient(base_url=server.url, timeout=20) as web:
            await signed_in_client(web, "/portal", "member@daily.example")
            pictures, stories = LiveEvents(), LiveEvents()
            tasks = []
            for path, into in (
                ("/portal/live?media=pictures", pictures),
                ("/portal/live", stories),
            ):
                opened = asyncio.Event()
                tasks.append(asyncio.create_task(receive_sse(web, path, into, opened)))
                async with asyncio.timeout(WAIT):
                    await opened.wait()
            await asyncio.sleep(0.3)  # both subscriptions have joined the fan-out
            picture = await file_picture(client, editor, plain_jpeg((320, 240)), caption="A gull")
            story = await client.post("/v1/stories", json=story_json(), headers=editor)
            assert story.status_code == 201
            kill = await client.post(
                f"/v1/media/{picture['id']}/kill", json={"reason": "Wrong bird"}, headers=editor
            )
            assert kill.status_code == 200
            async with asyncio.timeout(WAIT):
                while len(pictures) < 2 or len(stories) < 1:  # noqa: ASYNC110 - events arrive
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)
            for task in tasks:
                task.cancel()
    assert [event["data"]["type"] for event in pictures] == ["picture.published", "picture.killed"]
    published, killed = (event["data"] for event in pictures)
    assert f'id="s-{picture["id"]}"' in published["html"] and "A gull" in published["html"]
    assert f"/portal/media/{picture['id']}/renditions/thumbnail" in published["html"]
    assert "killed" in killed["html"] and "/renditions/" not in killed["html"]
    assert [event["data"]["story_id"] for event in stories] == [story.json()["id"]]


async def test_the_video_wire_and_a_story_page_show_a_video_by_its_poster(
    pictures_desk: httpx.AsyncClient,
    client: httpx.AsyncClient,
    editor: dict[str, str],
    tmp_path: Path,
) -> None:
    clip = mp4_video(tmp_path / "clip.mp4", frames=25)
    video = await file_media(
        client, editor, clip, "clip.mp4", "video/mp4",
        caption="Waves at the pier", credit_line="Newswire Video",
    )  # fmt: skip
    assert await file_picture(client, editor, plain_jpeg((320, 240)))
    listed = await pictures_desk.get("/portal/", params={"media": "video"}, headers=PAGE)
    assert wire_ids(listed.text) == [video["id"]]
    assert '<span class="kind">Video</span>' in listed.text
    story = await file_story(
        client, editor, headline="Storm reaches the pier",
        media=[{"id": video["id"], "rel": "featuremedia"}],
    )  # fmt: skip
    page = await pictures_desk.get(f"/portal/stories/{story['id']}", headers=PAGE)
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert '<strong class="rel">Video</strong>' in text and "Waves at the pier" in text
    original = next(r for r in video["renditions"] if r["name"] == "original")
    assert original["content_type"] == "video/mp4"
    assert re.search(r"<td>original</td><td>\d+ × \d+ px, [^<]*, \d+\.\d s</td>", text)
    img = re.search(r'<img src="([^"]+)"', text.split('id="pictures-heading"')[1])
    assert img and "/renditions/original" not in img.group(1)  # the poster, not the MP4
    poster = await pictures_desk.get(img.group(1))
    assert poster.status_code == 200 and poster.headers["content-type"].startswith("image/")
    mp4 = await pictures_desk.get(f"/portal/media/{video['id']}/renditions/original?download=1")
    assert mp4.status_code == 200 and mp4.content == clip
