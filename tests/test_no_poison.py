"""No poison, by construction (issue 15): whatever the gate accepts, every reader can read.

Hypothesis draws drafts with hostile text (every Unicode character, controls
included), times across and beyond the years 1 to 9999 with any offset, and
long lists. What `StoryDraft` refuses is refused; what it accepts must store
and read back the same instant, render in every format as well-formed XML or
JSON, and, filed through the API, appear in the feed in every format, in Atom,
in search, on the SSE stream, on the WebSocket and in a webhook delivery.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError
from websockets.asyncio.client import connect

from newswire.delivery.formats import render
from newswire.delivery.formats.agency import Agency
from newswire.delivery.formats.atom import atom_feed
from newswire.newsroom.drafts import StoryDraft
from newswire.runtime import Runtime
from newswire.settings import Settings
from newswire.storage.rows import db_time, py_time
from tests.accounts import served, webhook_bodies
from tests.conftest import ADMIN, ADMIN_TOKEN, bearer
from tests.servers import sse_events
from tests.story_factory import story_from_draft

FORMATS = ("ninjs2", "ninjs3", "newsml-g2", "nitf", "text")
XML_FORMATS = ("newsml-g2", "nitf")
AGENCY = Agency()

# Every code point, surrogates and controls included: the gate must sort them out.
hostile_text = st.text(st.characters(codec=None, categories=None), max_size=60)
plain_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=60)
# Mostly text a story could have; now and then anything at all.
some_text = st.one_of(plain_text, plain_text, plain_text, hostile_text)
# Whole minutes, as ISO 8601 writes offsets.
offsets = st.integers(-1439, 1439).map(lambda minutes: timedelta(minutes=minutes))
times = st.builds(
    lambda moment, offset: moment.replace(tzinfo=timezone(offset)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    offsets,
) | st.sampled_from(
    [
        datetime(1000, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(999, 12, 31, 23, 59, tzinfo=UTC),
    ]
)
drafts = st.fixed_dictionaries(
    {
        "headline": some_text.filter(lambda text: text.strip()) | st.just("Markets rally"),
        "body": some_text | st.just("<p>Prices <b>rose</b> &amp; fell.</p>"),
    },
    optional={
        "summary": some_text,
        "byline": some_text,
        "dateline": some_text,
        "ednote": some_text,
        "genre": some_text,
        "source": some_text,
        "located": some_text,
        "copyright_notice": some_text,
        "categories": st.lists(some_text, max_size=12),
        "subjects": st.lists(st.sampled_from(["medtop:04000000", "medtop:11000000"]), max_size=3),
        "language": st.sampled_from(["en", "tr", "ar", "zh"]),
        "urgency": st.integers(1, 9),
        "embargoed_until": times,
        "first_created": times,
        "content_created": times,
        "content_modified": times,
    },
)


def accepted(fields: dict[str, Any]) -> StoryDraft | None:
    try:
        return StoryDraft.model_validate(fields)
    except ValidationError:
        return None


def assert_readable(name: str, output: bytes) -> None:
    if name in XML_FORMATS:
        etree.fromstring(output)
    elif name != "text":
        json.loads(output)
    else:
        output.decode("utf-8")


@settings(max_examples=300, deadline=None)
@given(fields=drafts)
def test_whatever_the_gate_accepts_renders_in_every_format_and_its_times_round_trip(
    fields: dict[str, Any],
) -> None:
    draft = accepted(fields)
    event("accepted" if draft is not None else "refused")
    if draft is None:
        return
    story = story_from_draft(draft)
    for name in FORMATS:
        assert_readable(name, render(story, name, AGENCY))
    etree.fromstring(
        atom_feed([(1, story)], title="t", feed_id="urn:t", self_url="/", agency=AGENCY)
    )
    for moment in (
        draft.embargoed_until,
        draft.first_created,
        draft.content_created,
        draft.content_modified,
    ):
        if moment is not None:
            assert py_time(db_time(moment)) == moment


async def _through_the_wire(fields: dict[str, Any], directory: Path) -> None:
    settings = Settings.load(
        environ={},
        db=f"sqlite:///{directory / 'wire.db'}",
        admin_token=ADMIN_TOKEN,
        webhook_allow_private=True,
    )
    # A real socket, so the SSE stream and the WebSocket are read as subscribers read them.
    async with served(settings) as (server, client, runtime):
        made = await client.post("/v1/editors", json={"name": "e"}, headers=ADMIN)
        editor = bearer(made.json()["api_key"])
        made = await client.post(
            "/v1/subscribers",
            json={"name": "s", "entitlements": {"embargoed": True}},
            headers=ADMIN,
        )
        subscriber = bearer(made.json()["api_key"])
        hook = await client.post(
            "/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=subscriber
        )
        assert hook.status_code == 201, hook.text
        body = json.dumps(fields, default=datetime.isoformat)
        filed = await client.post("/v1/stories", content=body, headers={**editor, **JSON})
        if accepted(fields) is None:
            assert filed.status_code == 422, filed.text
            return
        assert filed.status_code == 201, filed.text
        story_id = filed.json()["id"]
        for name in FORMATS:
            page = await client.get("/v1/feed", params={"format": name}, headers=editor)
            assert page.status_code == 200, (name, page.text)
            (event,) = page.json()["events"]
            assert event["story_id"] == story_id and "item" in event, event
            if name in XML_FORMATS:
                etree.fromstring(event["item"].encode())
        atom = await client.get("/v1/feed.atom", headers=editor)
        assert atom.status_code == 200
        assert story_id in atom.text or filed.json()["guid"] in atom.text
        found = await client.get(
            "/v1/search", params={"sort": "newest", "limit": 1}, headers=editor
        )
        assert found.status_code == 200, found.text
        assert [hit["id"] for hit in found.json()["hits"]] == [story_id]
        await _sse_receives(client, subscriber, story_id)
        await _websocket_receives(server.url, subscriber, story_id)
        await _webhook_receives(runtime, story_id)


async def _sse_receives(client: httpx.AsyncClient, key: dict[str, str], story_id: str) -> None:
    async with asyncio.timeout(20):
        async with client.stream("GET", "/v1/stream?after=0", headers=key) as response:
            assert response.status_code == 200
            async for event in sse_events(response):
                if event["event"].startswith("story."):
                    assert event["data"]["story_id"] == story_id and "item" in event["data"]
                    return


async def _websocket_receives(url: str, key: dict[str, str], story_id: str) -> None:
    async with asyncio.timeout(20):
        async with connect(
            url.replace("http://", "ws://") + "/v1/ws?after=0", additional_headers=key
        ) as ws:
            assert json.loads(await ws.recv())["type"] == "ready"
            while True:
                frame = json.loads(await ws.recv())
                if frame.get("type", "").startswith("story."):
                    assert frame["story_id"] == story_id and "item" in frame, frame
                    return


JSON = {"Content-Type": "application/json"}


async def _webhook_receives(runtime: Runtime, story_id: str) -> None:
    received = await webhook_bodies(runtime)
    assert [(event["story_id"], "item" in event) for event in received] == [(story_id, True)]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=drafts)
def test_whatever_the_gate_accepts_reaches_the_feed_atom_search_sse_websocket_and_webhooks(
    fields: dict[str, Any], tmp_path_factory: Any
) -> None:
    asyncio.run(_through_the_wire(fields, tmp_path_factory.mktemp("wire")))
