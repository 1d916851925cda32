"""Pictures on the wire, on both backends: a story with its featured picture, end to end.

upload -> renditions -> a story with a featured picture -> a subscriber receives the
item with associations and downloads each rendition -> a non-entitled subscriber
gets 404 -> kill: the kill is delivered and the story no longer carries the picture.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from newswire.runtime import Runtime
from tests.conftest import MakeSubscriber, file_story, story_json
from tests.filed_media import feed_events, file_media

pytestmark = pytest.mark.anyio


async def file_picture(client: httpx.AsyncClient, editor: dict[str, str]) -> dict[str, Any]:
    return await file_media(
        client, editor, credit_line="Newswire/Anna de Vries", categories="Economy"
    )


async def test_a_story_with_its_featured_picture_from_upload_to_kill(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    picture = await file_picture(client, editor)
    story = await file_story(
        client, editor, categories=["Economy"], media=[{"id": picture["id"], "rel": "featuremedia"}]
    )
    assert story["media"] == [{"id": picture["id"], "rel": "featuremedia"}]

    subscriber = await make_subscriber(categories=["Economy"], media=["text", "pictures"])
    events = await feed_events(client, subscriber)
    assert [e["type"] for e in events] == ["picture.published", "story.published"]
    assert events[0]["media_id"] == picture["id"] and events[0]["item"]["type"] == "picture"
    item = events[1]["item"]
    assert events[1]["media"] == [{"id": picture["id"], "version": 1, "rel": "featuremedia"}]
    [association] = item["associations"]
    assert association["name"] == "featuremedia" and association["uri"] == picture["guid"]
    names = [r["name"] for r in association["renditions"]]
    assert names == ["original", "base", "preview", "thumbnail"]
    for rendition in association["renditions"]:
        response = await client.get(rendition["href"], headers=subscriber)
        assert response.status_code == 200, (rendition["name"], response.text)
        assert len(response.content) == rendition["sizeinbytes"]
        assert response.headers["content-type"] == rendition["contenttype"]
        assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'

    # Other formats carry it too: ninjs 3 as an array with rel, G2 as a link.
    three = await feed_events(client, subscriber, format="ninjs3")
    assert three[1]["item"]["associations"][0]["rel"] == "featuremedia"
    g2 = await feed_events(client, subscriber, format="newsml-g2")
    assert f'residref="{picture["guid"]}"' in g2[1]["item"]
    assert "remoteContent" in g2[0]["item"]
    # A G2 subscriber follows the story's link to the picture item.
    href = re.search(r'<link rel="irel:associatedWith"[^>]* href="([^"]+)"', g2[1]["item"])
    assert href is not None
    followed = await client.get(urlsplit(href.group(1))._replace(scheme="", netloc="").geturl(),
                                headers=subscriber)  # fmt: skip
    assert followed.status_code == 200, followed.text
    assert followed.headers["content-type"].startswith("application/vnd.iptc.g2.newsitem+xml")
    assert b'qcode="ninat:picture"' in followed.content

    text_only = await make_subscriber(media=["text"])
    seen = await feed_events(client, text_only)
    assert [e["type"] for e in seen] == ["story.published"]
    assert "associations" not in seen[0]["item"]  # it does not buy pictures
    href = association["renditions"][0]["href"]
    assert (await client.get(href, headers=text_only)).status_code == 404
    assert (await client.get(f"/v1/media/{picture['id']}", headers=text_only)).status_code == 404

    by_id = await client.get(f"/v1/stories/{story['id']}", headers=subscriber)
    assert by_id.status_code == 200 and by_id.json()["associations"][0]["uri"] == picture["guid"]

    cursor = events[-1]["seq"]
    killed = await client.post(
        f"/v1/media/{picture['id']}/kill", json={"reason": "Wrong port named"}, headers=editor
    )
    assert killed.status_code == 200, killed.text
    after_kill = await feed_events(client, subscriber, after=cursor)
    assert [e["type"] for e in after_kill] == ["picture.killed"]
    assert after_kill[0]["reason"] == "Wrong port named"
    assert after_kill[0]["item"]["pubstatus"] == "canceled"
    # A subscriber who never received the picture never hears of its kill.
    assert [e["type"] for e in await feed_events(client, text_only, after=cursor)] == []
    assert (await client.get(href, headers=subscriber)).status_code == 404
    # Rendered by id from now on, the story no longer carries it.
    by_id = await client.get(f"/v1/stories/{story['id']}/versions/1", headers=subscriber)
    assert by_id.status_code == 200 and "associations" not in by_id.json()

    # The story's next version no longer names it.
    update = await client.put(
        f"/v1/stories/{story['id']}",
        json=story_json(
            categories=["Economy"],
            headline="Port strike ends",
        ),
        headers=editor,
    )
    assert update.status_code == 200, update.text
    updated = await feed_events(client, subscriber, after=after_kill[-1]["seq"])
    assert [e["type"] for e in updated] == ["story.updated"]
    assert "associations" not in updated[0]["item"]


async def test_a_story_naming_a_missing_or_killed_picture_is_refused(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    missing = await client.post(
        "/v1/stories", json=story_json(media=[{"id": "nosuchpicture"}]), headers=editor
    )
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "media"
    picture = await file_picture(client, editor)
    await client.post(f"/v1/media/{picture['id']}/kill", json={"reason": "x"}, headers=editor)
    killed = await client.post(
        "/v1/stories", json=story_json(media=[{"id": picture["id"]}]), headers=editor
    )
    assert killed.status_code == 422 and "killed" in killed.json()["error"]["message"]
    bad_rel = await client.post(
        "/v1/stories", json=story_json(media=[{"id": "x", "rel": "Feature Media"}]), headers=editor
    )
    assert bad_rel.status_code == 422


async def test_killing_a_story_does_not_kill_its_pictures(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    picture = await file_picture(client, editor)
    story = await file_story(client, editor, media=[{"id": picture["id"]}])
    killed = await client.post(
        f"/v1/stories/{story['id']}/kill", json={"reason": "Legal"}, headers=editor
    )
    assert killed.status_code == 200, killed.text
    subscriber = await make_subscriber(media=["text", "pictures"])
    item = await client.get(f"/v1/media/{picture['id']}", headers=subscriber)
    assert item.status_code == 200 and item.json()["pubstatus"] == "usable"


async def test_an_embargoed_picture_reaches_only_embargo_subscribers_until_released(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    make_subscriber: MakeSubscriber,
    runtime: Runtime,
) -> None:
    release = runtime.clock() + timedelta(hours=1)
    picture = await file_media(client, editor, embargoed_until=release.isoformat())
    assert picture["pubstatus"] == "withheld"
    plain = await make_subscriber(media=["text", "pictures"])
    early = await make_subscriber(embargoed=True, media=["text", "pictures"])
    assert (await client.get(f"/v1/media/{picture['id']}", headers=plain)).status_code == 404
    assert (await client.get(f"/v1/media/{picture['id']}", headers=early)).status_code == 200
    assert [e["type"] for e in await feed_events(client, plain)] == []
    # A story cannot carry a withheld picture to subscribers before its release.
    story = await file_story(client, editor, media=[{"id": picture["id"]}])
    [delivered] = await feed_events(client, plain, after=picture["seq"])
    assert delivered["story_id"] == story["id"]
    assert "associations" not in delivered["item"]

    # The release job lifts it when its time comes: a usable version for everyone.
    assert await runtime.media_library.release_due() == []
    runtime.clock.advance(timedelta(hours=2))
    assert await runtime.media_library.release_due() == [picture["id"]]
    [released] = await feed_events(client, plain, after=delivered["seq"])
    assert released["type"] == "picture.published" and released["pubstatus"] == "usable"
    [updated] = await feed_events(client, early, after=delivered["seq"])
    assert updated["type"] == "picture.updated"
    assert (await client.get(f"/v1/media/{picture['id']}", headers=plain)).status_code == 200


async def test_subscribers_buy_text_only_unless_they_buy_pictures(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    from newswire.models.principals import Entitlements

    # Entitlements stored before media existed have no `media`: they stay text only.
    assert Entitlements.model_validate_json('{"categories": ["World"]}').media == ["text"]
    picture = await file_picture(client, editor)
    default = await make_subscriber()
    everything = await make_subscriber(media=[])
    assert [e["type"] for e in await feed_events(client, default)] == []
    assert [e["media_id"] for e in await feed_events(client, everything)] == [picture["id"]]
