"""Ingest keeps media references: ninjs associations and NewsML-G2 links survive, on both backends.

A reference to a picture filed here (its guid) becomes a link to it; one to a
picture the source holds is kept as the source described it and delivered so.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import STANDARDS, MakeSubscriber, file_story, needs_shared
from tests.filed_media import feed_events, file_media

pytestmark = [pytest.mark.anyio, needs_shared(STANDARDS)]
TT_STORY = STANDARDS / "ninjs" / "examples" / "2.1" / "tt_text_image_2.json"
NINJS = {"Content-Type": "application/vnd.iptc.ninjs+json"}
G2 = {"Content-Type": "application/vnd.iptc.g2.newsitem+xml"}


async def test_a_ninjs_story_keeps_the_associations_its_source_holds(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    sent = json.loads(TT_STORY.read_text("utf-8"))
    filed = await client.post("/v1/stories", content=json.dumps(sent), headers={**editor, **NINJS})
    assert filed.status_code == 201, filed.text
    [ref] = filed.json()["media"]
    assert ref == {"id": "http://tt.se/media/image/sdlk2sirkPaauM", "rel": "a001"}
    subscriber = await make_subscriber()
    for name, size_key in (("ninjs2", "sizeinbytes"), ("ninjs3", "sizeInBytes")):
        [event] = await feed_events(client, subscriber, format=name)
        [association] = event["item"]["associations"]
        assert association["uri"] == "http://tt.se/media/image/sdlk2sirkPaauM"
        assert association["name"] == "a001" and association["type"] == "picture"
        hires = association["renditions"][0]
        assert hires["href"].endswith("a001_NormalHires.jpg")
        assert hires[size_key] == 10326191 and hires["width"] == 4724
    [g2] = await feed_events(client, subscriber, format="newsml-g2")
    assert 'residref="http://tt.se/media/image/sdlk2sirkPaauM"' in g2["item"]
    [nitf] = await feed_events(client, subscriber, format="nitf")
    assert "a001_NormalPreview.jpg" in nitf["item"] and "media-reference" in nitf["item"]


async def test_our_own_g2_output_ingested_again_links_our_picture(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    picture = await file_media(client, editor)
    story = await file_story(client, editor, media=[{"id": picture["id"]}])
    subscriber = await make_subscriber(media=["text", "pictures"])
    events = await feed_events(client, subscriber, format="newsml-g2")
    item = events[-1]["item"]
    # Another newswire (here: the same one) takes the item in; a new guid makes it a new story.
    again = item.replace(story["guid"], "urn:newsml:elsewhere:copy-1")
    ingested = await client.post("/v1/stories", content=again.encode(), headers={**editor, **G2})
    assert ingested.status_code == 201, ingested.text
    assert ingested.json()["media"] == [{"id": picture["id"], "rel": "featuremedia"}]
    latest = await feed_events(client, subscriber, after=str(events[-1]["seq"]))
    assert latest[-1]["item"]["associations"][0]["uri"] == picture["guid"]
