"""Archive search through the API, on SQLite FTS5 and on PostgreSQL full-text search alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import MakeSubscriber, file_story, story_json

pytestmark = pytest.mark.anyio


async def search(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> dict[str, Any]:
    response = await client.get("/v1/search", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in body["hits"]]


@pytest.fixture
async def archive(client: httpx.AsyncClient, editor: dict[str, str]) -> dict[str, str]:
    """A small archive; returns story ids by a short name."""
    stories = {
        "nato": dict(
            headline="NATO allies raise defence spending",
            body="Latvian President Edgars Rinkēvičs said Latvia would spend more on defence.",
            byline="Jane Doe",
            dateline="BRUSSELS",
            categories=["World"],
            subjects=["medtop:20000587"],  # armed forces, under politics? (defence)
            urgency=2,
        ),
        "istanbul": dict(
            headline="İstanbul hosts energy summit",
            body="Ministers met in the city to discuss gas pipelines.",
            byline="Ali Yılmaz",
            dateline="ISTANBUL",
            categories=["Economy"],
            urgency=4,
            language="tr",
        ),
        "budget": dict(
            headline="Parliament passes budget",
            body="Spending on schools rises. The budget does not mention defence.",
            byline="John Roe",
            dateline="ANKARA",
            categories=["Politics"],
            subjects=["medtop:11000000"],
            urgency=5,
        ),
        "football": dict(
            headline="Cup final ends in a draw",
            body="The defence held firm for ninety minutes.",
            byline="Jane Doe",
            dateline="LONDON",
            categories=["Sport"],
            subjects=["medtop:15000000"],
            urgency=6,
        ),
    }
    filed = {}
    for name, fields in stories.items():
        filed[name] = (await file_story(client, editor, **fields))["id"]
    return filed


async def test_words_are_folded_so_diacritics_and_turkish_i_do_not_matter(
    client: httpx.AsyncClient, editor: dict[str, str], archive: dict[str, str]
) -> None:
    assert ids(await search(client, editor, q="Rinkevics")) == [archive["nato"]]
    assert ids(await search(client, editor, q="RINKĒVIČS")) == [archive["nato"]]
    assert ids(await search(client, editor, q="istanbul")) == [archive["istanbul"]]
    assert ids(await search(client, editor, q="ıstanbul")) == [archive["istanbul"]]
    assert ids(await search(client, editor, q="yilmaz")) == [archive["istanbul"]]


async def test_operators_phrases_fields_and_prefixes(
    client: httpx.AsyncClient, editor: dict[str, str], archive: dict[str, str]
) -> None:
    every_defence = {archive["nato"], archive["budget"], archive["football"]}
    assert set(ids(await search(client, editor, q="defence"))) == every_defence
    assert set(ids(await search(client, editor, q="defence -budget"))) == every_defence - {
        archive["budget"]
    }
    assert set(ids(await search(client, editor, q="defence NOT cup"))) == every_defence - {
        archive["football"]
    }
    assert set(ids(await search(client, editor, q="defence AND spending"))) == {
        archive["nato"],
        archive["budget"],
    }
    assert ids(await search(client, editor, q='"defence spending"')) == [archive["nato"]]
    assert set(ids(await search(client, editor, q="summit OR cup"))) == {
        archive["istanbul"],
        archive["football"],
    }
    assert set(ids(await search(client, editor, q="(summit OR cup) AND draw"))) == {
        archive["football"]
    }
    assert ids(await search(client, editor, q="headline:defence")) == [archive["nato"]]
    assert set(ids(await search(client, editor, q='byline:"jane doe"'))) == {
        archive["nato"],
        archive["football"],
    }
    assert ids(await search(client, editor, q="dateline:ankara")) == [archive["budget"]]
    assert ids(await search(client, editor, q="located:brussels")) == [archive["nato"]]
    assert ids(await search(client, editor, q="subject:politics")) == [archive["budget"]]
    assert ids(await search(client, editor, q="pipe*")) == [archive["istanbul"]]
    assert ids(await search(client, editor, q="pipe")) == []


async def test_every_filter_narrows_the_hits(
    client: httpx.AsyncClient, editor: dict[str, str], archive: dict[str, str]
) -> None:
    assert ids(await search(client, editor, category="sport")) == [archive["football"]]
    both = set(ids(await search(client, editor, category=["World", "Sport"])))
    assert both == {archive["nato"], archive["football"]}
    assert ids(await search(client, editor, language="tr")) == [archive["istanbul"]]
    assert set(ids(await search(client, editor, urgency="1-4"))) == {
        archive["nato"],
        archive["istanbul"],
    }
    assert ids(await search(client, editor, urgency="5")) == [archive["budget"]]
    assert set(ids(await search(client, editor, byline="jane"))) == {
        archive["nato"],
        archive["football"],
    }
    assert ids(await search(client, editor, located="paris")) == []
    assert ids(await search(client, editor, located="Brüssels")) == [archive["nato"]]
    # Politics (11000000) includes its narrower topics at any depth.
    politics = set(ids(await search(client, editor, subject="medtop:11000000")))
    assert archive["budget"] in politics and archive["football"] not in politics
    today = datetime.now(UTC).date()
    assert len(ids(await search(client, editor, **{"from": today.isoformat()}))) == 4
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert ids(await search(client, editor, **{"from": tomorrow})) == []
    assert len(ids(await search(client, editor, to=today.isoformat()))) == 4
    assert ids(await search(client, editor, to=(today - timedelta(days=1)).isoformat())) == []


async def test_hits_carry_marks_a_snippet_and_the_way_to_the_full_item(
    client: httpx.AsyncClient, editor: dict[str, str], archive: dict[str, str]
) -> None:
    body = await search(client, editor, q="rinkevics defence")
    hit = body["hits"][0]
    assert hit["id"] == archive["nato"] and hit["version"] == 1
    assert hit["headline_html"] == "NATO allies raise <mark>defence</mark> spending"
    assert "<mark>Rinkēvičs</mark>" in hit["snippet_html"]
    assert hit["first_created"] and hit["version_created"] and hit["summary"]
    item = await client.get(hit["href"], headers=editor)
    assert item.status_code == 200
    assert body["total"] == 1 and body["next"] is None


async def test_updates_are_searched_in_their_current_version_and_kills_vanish(
    client: httpx.AsyncClient, editor: dict[str, str], archive: dict[str, str]
) -> None:
    story_id = archive["football"]
    changed = story_json(headline="Cup final goes to penalties", body="A late twist.")
    response = await client.put(f"/v1/stories/{story_id}", json=changed, headers=editor)
    assert response.status_code == 200, response.text
    assert ids(await search(client, editor, q="penalties")) == [story_id]
    assert ids(await search(client, editor, q="draw")) == []
    hit = (await search(client, editor, q="penalties"))["hits"][0]
    assert hit["version"] == 2
    killed = await client.post(
        f"/v1/stories/{story_id}/kill", json={"reason": "Wrong match."}, headers=editor
    )
    assert killed.status_code == 200, killed.text
    assert ids(await search(client, editor, q="penalties")) == []
    assert (await search(client, editor, q="kill OR wrong OR penalties"))["total"] == 0


async def test_subscribers_find_only_what_they_may_receive_not_even_a_count(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    make_subscriber: MakeSubscriber,
    archive: dict[str, str],
) -> None:
    sport = await make_subscriber("Sport desk", categories=["Sport"])
    body = await search(client, sport, q="defence")
    assert ids(body) == [archive["football"]] and body["total"] == 1
    urgent_only = await make_subscriber("Flash desk", max_urgency=2)
    assert ids(await search(client, urgent_only, q="defence")) == [archive["nato"]]
    turkish = await make_subscriber("Turkish desk", languages=["tr"])
    assert ids(await search(client, turkish)) == [archive["istanbul"]]
    politics = await make_subscriber("Politics desk", subjects=["medtop:11000000"])
    assert ids(await search(client, politics, q="defence OR summit")) == [archive["budget"]]


async def test_embargoed_stories_only_for_subscribers_with_embargo_access(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    until = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    story = await file_story(
        client, editor, headline="Central bank decision", embargoed_until=until
    )
    plain = await make_subscriber("Plain")
    embargo = await make_subscriber("Embargo desk", embargoed=True)
    assert (await search(client, plain, q="central bank"))["total"] == 0
    found = await search(client, embargo, q="central bank")
    assert ids(found) == [story["id"]] and "embargoed_until" in found["hits"][0]
    assert ids(await search(client, editor, q="central bank")) == [story["id"]]


async def test_malformed_queries_answer_400_saying_where(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    cases = {
        "(nato": "never closed",
        "nato)": "unexpected ')'",
        '"nato': "never closed",
        "foo:bar": "unknown field 'foo'",
        "-nato": "needs a word that must match",
        "nato OR -russia": "cannot be one of the choices",
        "nato AND": "AND needs something",
    }
    for query, words in cases.items():
        response = await client.get("/v1/search", params={"q": query}, headers=editor)
        assert response.status_code == 400, (query, response.text)
        error = response.json()["error"]
        assert error["field"] == "q" and words in error["message"], (query, error)
        assert "at character" in error["message"]
    for params, field in (
        ({"urgency": "0-3"}, "urgency"),
        ({"urgency": "5-2"}, "urgency"),
        ({"from": "yesterday"}, "from"),
        ({"subject": "medtop:99999999"}, "subject"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"sort": "random"}, "sort"),
    ):
        response = await client.get("/v1/search", params=params, headers=editor)
        assert response.status_code in (400, 422), (params, response.text)
        assert response.json()["error"]["field"] == field, (params, response.text)


async def _all_pages(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[str]:
    found: list[str] = []
    cursor = ""
    while True:
        body = await search(client, headers, limit=3, cursor=cursor, **params)
        found += ids(body)
        if body["next"] is None:
            return found
        cursor = body["next"]


async def test_pages_stay_stable_while_new_stories_arrive(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    filed = [
        (await file_story(client, editor, headline=f"Harbour report number {number}"))["id"]
        for number in range(8)
    ]
    for sort in ("newest", "relevance", "oldest"):
        first = await search(client, editor, q="harbour", limit=3, sort=sort)
        seen = ids(first)
        cursor = first["next"]
        while cursor:
            # Stories filed between pages must neither repeat nor push others out.
            await file_story(client, editor, headline="Harbour report, late addition")
            page = await search(client, editor, q="harbour", limit=3, sort=sort, cursor=cursor)
            seen += ids(page)
            cursor = page["next"]
        assert len(seen) == len(set(seen)), sort
        assert set(filed) <= set(seen), sort
    other = await search(client, editor, q="harbour", limit=3, sort="newest")
    response = await client.get(
        "/v1/search", params={"q": "report", "cursor": other["next"]}, headers=editor
    )
    assert response.status_code == 400
    assert "different search" in response.json()["error"]["message"]


async def test_time_order_is_newest_or_oldest_first(
    client: httpx.AsyncClient, editor: dict[str, str], archive: dict[str, str]
) -> None:
    newest = await _all_pages(client, editor, sort="newest")
    assert newest == list(reversed(await _all_pages(client, editor, sort="oldest")))
    assert newest[0] == archive["football"] and newest[-1] == archive["nato"]


async def test_saved_search_is_followed_as_a_feed_with_its_stories_later_versions(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: MakeSubscriber
) -> None:
    subscriber = await make_subscriber("Defence desk")
    created = await client.post(
        "/v1/searches",
        json={"name": "NATO beat", "q": "nato defence", "urgency": "1-3"},
        headers=subscriber,
    )
    assert created.status_code == 201, created.text
    saved = created.json()
    assert saved["links"]["feed"] == f"/v1/feed?search={saved['id']}"
    on_beat = await file_story(client, editor, headline="NATO defence ministers meet", urgency=2)
    await file_story(client, editor, headline="NATO defence ministers meet", urgency=5)
    await file_story(client, editor, headline="Weather: rain")
    # An update that no longer mentions NATO still follows the story on the beat.
    update = story_json(headline="Ministers agree on spending", urgency=2)
    assert (
        await client.put(f"/v1/stories/{on_beat['id']}", json=update, headers=editor)
    ).status_code == 200
    feed = await client.get("/v1/feed", params={"search": saved["id"]}, headers=subscriber)
    assert feed.status_code == 200, feed.text
    events = feed.json()["events"]
    assert [(e["story_id"], e["version"]) for e in events] == [
        (on_beat["id"], 1),
        (on_beat["id"], 2),
    ]
    # Run as a search, it looks at current versions: the update no longer matches.
    assert ids(await search(client, subscriber, saved=saved["id"])) == []
    assert (await search(client, subscriber, q="nato defence"))["total"] == 1
    listed = await client.get("/v1/searches", headers=subscriber)
    assert [s["id"] for s in listed.json()["searches"]] == [saved["id"]]
    other = await make_subscriber("Someone else")
    stolen = await client.get("/v1/feed", params={"search": saved["id"]}, headers=other)
    assert stolen.status_code == 404 and stolen.json()["error"]["field"] == "search"
    deleted = await client.delete(f"/v1/searches/{saved['id']}", headers=subscriber)
    assert deleted.status_code == 204
    gone = await client.get("/v1/feed", params={"search": saved["id"]}, headers=subscriber)
    assert gone.status_code == 404


async def test_a_saved_search_with_a_malformed_query_is_refused(
    client: httpx.AsyncClient, make_subscriber: MakeSubscriber
) -> None:
    subscriber = await make_subscriber()
    response = await client.post(
        "/v1/searches", json={"name": "Broken", "q": "(nato"}, headers=subscriber
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "q"
    assert (await client.get("/v1/searches", headers=subscriber)).json()["searches"] == []
    missing_name = await client.post("/v1/searches", json={"q": "nato"}, headers=subscriber)
    assert missing_name.status_code == 422
    assert missing_name.json()["error"]["field"] == "name"
