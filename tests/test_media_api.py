"""Pictures and video over the API, on both backends: file, version, kill, read, download."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from newswire.runtime import Runtime
from tests.conftest import MakeSubscriber
from tests.filed_media import file_media, upload
from tests.media_files import mp4_video, plain_jpeg, press_photo

pytestmark = pytest.mark.anyio


async def filed_picture(
    client: httpx.AsyncClient, editor: dict[str, str], **fields: str
) -> dict[str, Any]:
    return await file_media(
        client, editor, press_photo(), "photo.jpg", credit_line="Newswire/Anna", **fields
    )


async def test_upload_answers_201_with_id_version_renditions_and_embedded_metadata(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    body = await filed_picture(client, editor, caption="Cranes at dawn in Rotterdam.")
    assert body["version"] == 1 and body["kind"] == "picture"
    assert body["event"] == "picture.published" and body["seq"] >= 1
    assert body["caption"] == "Cranes at dawn in Rotterdam."  # the filed field wins
    assert body["alt_text"] == "Three red cranes over a container ship"  # embedded XMP
    assert body["credit_line"] == "Newswire/Anna"
    names = {r["name"]: r for r in body["renditions"]}
    assert set(names) == {"original", "base", "preview", "thumbnail"}
    # Orientation 6: the 1200x800 stored picture is shown portrait.
    assert (names["original"]["width"], names["original"]["height"]) == (800, 1200)
    assert max(names["preview"]["width"], names["preview"]["height"]) == 640
    assert names["thumbnail"]["width"] == names["thumbnail"]["height"] == 240


async def test_media_events_take_the_next_seq_of_the_one_log(
    client: httpx.AsyncClient, editor: dict[str, str], runtime: Runtime
) -> None:
    from tests.conftest import story_json

    story = await client.post("/v1/stories", json=story_json(), headers=editor)
    picture = await filed_picture(client, editor)
    second = await client.post("/v1/stories", json=story_json(headline="Another"), headers=editor)
    seqs = [story.json()["seq"], picture["seq"], second.json()["seq"]]
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]
    assert await runtime.storage.log.last_seq() == seqs[-1]
    entries = await runtime.storage.log.entries_after(0, 10)
    assert [entry.event.type.value for entry in entries] == [
        "story.published",
        "picture.published",
        "story.published",
    ]
    assert entries[1].media is not None and entries[1].media.media_id == picture["id"]


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        (b"just some text, not a picture", 415, "file"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 415, "file"),
        (plain_jpeg((400, 300))[:-600], 422, "file"),
        (plain_jpeg((400, 300)) + b"PK\x03\x04 trailing zip", 422, "file"),
    ],
    ids=["not-an-image", "svg", "truncated", "polyglot"],
)
async def test_bad_uploads_get_a_clear_4xx_and_nothing_is_stored(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    runtime: Runtime,
    data: bytes,
    status: int,
    field: str,
) -> None:
    response = await upload(client, editor, data)
    assert response.status_code == status, response.text
    assert response.json()["error"]["field"] == field
    assert await runtime.storage.log.last_seq() == 0


async def test_bad_fields_are_refused_naming_the_field(
    client: httpx.AsyncClient, editor: dict[str, str], runtime: Runtime
) -> None:
    for fields, field in (
        ({"captoin": "typo"}, "captoin"),
        ({"focus_x": "2"}, "focus_x"),
        ({"caption": "x" * 10_001}, "caption"),
        ({"embargoed_until": "tomorrow"}, "embargoed_until"),
        ({"language": "klingon-ish"}, "language"),
        ({"urgency": "11"}, "urgency"),
    ):
        response = await upload(client, editor, plain_jpeg((300, 200)), **fields)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == field
    missing = await client.post("/v1/media", data={"caption": "no file"}, headers=editor)
    assert missing.status_code in (415, 422)
    json_body = await client.post("/v1/media", json={"caption": "x"}, headers=editor)
    assert json_body.status_code == 415
    assert await runtime.storage.log.last_seq() == 0


async def test_subscribers_may_not_file_media(
    client: httpx.AsyncClient, make_subscriber: MakeSubscriber
) -> None:
    subscriber = await make_subscriber(media=["text", "pictures"])
    response = await upload(client, subscriber, plain_jpeg((300, 200)))
    assert response.status_code == 403


async def test_a_new_version_rewrites_the_caption_into_the_renditions(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    first = await filed_picture(client, editor)
    # Fields only, no new file: multipart parts without a filename.
    response = await client.put(
        f"/v1/media/{first['id']}",
        files={"caption": (None, "Corrected: cranes at dusk."), "focus_x": (None, "0.9")},
        headers=editor,
    )
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["version"] == 2 and second["event"] == "picture.updated"
    assert second["caption"] == "Corrected: cranes at dusk."
    assert second["focus"]["x"] == 0.9
    old = {r["name"]: r["etag"] for r in first["renditions"]}
    new = {r["name"]: r["etag"] for r in second["renditions"]}
    assert old["base"] != new["base"]  # the caption is in the bytes
    base = await client.get(f"/v1/media/{first['id']}/renditions/base", headers=editor)
    assert b"Corrected: cranes at dusk." in base.content


async def test_rendition_downloads_with_key_etag_range_and_signed_url(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    picture = await filed_picture(client, editor)
    subscriber = await make_subscriber(media=["text", "pictures"])
    item = await client.get(f"/v1/media/{picture['id']}", headers=subscriber)
    assert item.status_code == 200, item.text
    for rendition in item.json()["renditions"]:
        response = await client.get(rendition["href"], headers=subscriber)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == rendition["content_type"]
        assert len(response.content) == rendition["size"]
        assert response.headers["etag"] == rendition["etag"]
        assert rendition["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
        assert "max-age" in response.headers["cache-control"]
        # Without any header, through the signed URL:
        signed = await client.get(rendition["signed_href"])
        assert signed.status_code == 200 and signed.content == response.content
    original = item.json()["renditions"][0]
    again = await client.get(
        original["href"], headers={**subscriber, "If-None-Match": original["etag"]}
    )
    assert again.status_code == 304
    part = await client.get(original["href"], headers={**subscriber, "Range": "bytes=10-19"})
    assert part.status_code == 206 and len(part.content) == 10
    assert part.headers["content-range"] == f"bytes 10-19/{original['size']}"
    beyond = await client.get(
        original["href"], headers={**subscriber, "Range": f"bytes={original['size']}-"}
    )
    assert beyond.status_code == 416
    anonymous = await client.get(original["href"])
    assert anonymous.status_code == 401
    forged = original["href"] + "&sub=x&expires=9999999999&sig=" + "0" * 64
    assert (await client.get(forged)).status_code == 404


async def test_signed_urls_expire(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    make_subscriber: MakeSubscriber,
    runtime: Runtime,
) -> None:
    from datetime import timedelta

    picture = await filed_picture(client, editor)
    subscriber = await make_subscriber(media=["text", "pictures"])
    item = (await client.get(f"/v1/media/{picture['id']}", headers=subscriber)).json()
    signed = item["renditions"][1]["signed_href"]
    assert (await client.get(signed)).status_code == 200
    runtime.clock.advance(timedelta(seconds=runtime.settings.media_url_seconds + 1))
    assert (await client.get(signed)).status_code == 404


async def test_non_entitled_subscribers_get_404(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    picture = await filed_picture(client, editor, categories="Sport")
    text_only = await make_subscriber(media=["text"])
    other_section = await make_subscriber(categories=["Politics"], media=["pictures"])
    for headers in (text_only, other_section):
        item = await client.get(f"/v1/media/{picture['id']}", headers=headers)
        assert item.status_code == 404
        href = picture["renditions"][0]["href"]
        assert (await client.get(href, headers=headers)).status_code == 404


async def test_killing_a_picture_stops_every_rendition(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    picture = await filed_picture(client, editor)
    subscriber = await make_subscriber(media=["text", "pictures"])
    item = (await client.get(f"/v1/media/{picture['id']}", headers=subscriber)).json()
    killed = await client.post(
        f"/v1/media/{picture['id']}/kill", json={"reason": "Wrong person named"}, headers=editor
    )
    assert killed.status_code == 200, killed.text
    assert killed.json()["event"] == "picture.killed"
    assert killed.json()["pubstatus"] == "canceled"
    for rendition in item["renditions"]:
        assert (await client.get(rendition["href"], headers=subscriber)).status_code == 404
        assert (await client.get(rendition["signed_href"])).status_code == 404
    again = await client.put(
        f"/v1/media/{picture['id']}", files={"caption": (None, "x")}, headers=editor
    )
    assert again.status_code == 409


async def test_a_video_is_filed_with_its_poster_and_streams_by_range(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    make_subscriber: MakeSubscriber,
    tmp_path: Path,
) -> None:
    data = mp4_video(tmp_path / "clip.mp4")
    video = await file_media(
        client, editor, data, "clip.mp4", "video/mp4",
        caption="Cranes at work", credit_line="Newswire video",
    )  # fmt: skip
    assert video["kind"] == "video" and video["event"] == "video.published"
    renditions = {r["name"]: r for r in video["renditions"]}
    original = renditions["original"]
    assert original["content_type"] == "video/mp4" and original["size"] == len(data)
    assert original["duration"] == pytest.approx(2.0, abs=0.1)
    assert renditions["poster"]["content_type"] == "image/jpeg"
    viewer = await make_subscriber(media=["video"])
    whole = await client.get(original["href"], headers=viewer)
    assert whole.content == data
    tail = await client.get(original["href"], headers={**viewer, "Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.content == data[-100:]
    middle = await client.get(original["href"], headers={**viewer, "Range": "bytes=1000-"})
    assert middle.status_code == 206 and middle.content == data[1000:]
    pictures_only = await make_subscriber(media=["pictures"])
    assert (await client.get(original["href"], headers=pictures_only)).status_code == 404


async def test_an_upload_that_dies_before_its_commit_leaves_nothing_visible(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The blobs are written first and the version committed last: a crash between shows nothing."""
    store = runtime.media_library.media

    async def dies(*_args: object) -> None:
        raise ConnectionResetError("the node died")

    monkeypatch.setattr(store, "save_version", dies)
    with pytest.raises(ConnectionResetError):
        await upload(client, editor, press_photo())
    assert await runtime.storage.log.last_seq() == 0
    monkeypatch.undo()
    retried = await upload(client, editor, press_photo())
    assert retried.status_code == 201, retried.text
    assert retried.json()["seq"] == 1  # the log has no gap where the failed upload was
