"""HTTP caching of the public site: validators, 304s, and invalidation on update and kill."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from tests.conftest import file_story

pytestmark = pytest.mark.anyio


async def _update(
    client: httpx.AsyncClient, editor: dict[str, str], story: dict[str, object], headline: str
) -> None:
    keys = ("summary", "body", "byline", "dateline", "categories", "urgency", "language")
    draft = {key: story[key] for key in keys} | {"headline": headline, "public": True}
    response = await client.put(f"/v1/stories/{story['id']}", json=draft, headers=editor)
    assert response.status_code == 200, response.text


async def test_pages_carry_validators_and_a_cdn_friendly_cache_control(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor, public=True)
    for path in ("/en/", f"/en/stories/{story['slug']}", "/en/atom.xml", "/sitemaps/news.xml"):
        response = await client.get(path)
        assert response.headers["etag"].startswith('"'), path
        assert "Last-Modified" in response.headers, path
        control = response.headers["cache-control"]
        assert "public" in control and "max-age=60" in control, path
        assert "stale-while-revalidate=600" in control, path


async def test_if_none_match_answers_304_until_the_story_changes(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor, public=True, categories=["World"])
    paths = ("/en/", f"/en/stories/{story['slug']}", "/en/sections/world", "/en/rss.xml")
    etags = {}
    for path in paths:
        etags[path] = (await client.get(path)).headers["etag"]
        again = await client.get(path, headers={"If-None-Match": etags[path]})
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["etag"] == etags[path]
        weak = await client.get(path, headers={"If-None-Match": f'"x", W/{etags[path]}'})
        assert weak.status_code == 304, path

    await _update(client, editor, story, "A new headline")
    for path in paths:
        fresh = await client.get(path, headers={"If-None-Match": etags[path]})
        assert fresh.status_code == 200, path
        assert fresh.headers["etag"] != etags[path]
        assert "A new headline" in fresh.text


async def test_killing_a_story_changes_the_etag_of_the_listings_that_showed_it(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await file_story(
        client, editor, headline="Stays", public=True, first_created="2024-01-01T08:00:00Z"
    )
    doomed = await file_story(client, editor, headline="Goes", public=True)
    before = (await client.get("/en/")).headers["etag"]
    killed = await client.post(
        f"/v1/stories/{doomed['id']}/kill", json={"reason": "Error."}, headers=editor
    )
    assert killed.status_code == 200
    after = await client.get("/en/", headers={"If-None-Match": before})
    assert after.status_code == 200 and "Goes" not in after.text and "Stays" in after.text
    gone = await client.get(f"/en/stories/{doomed['slug']}", headers={"If-None-Match": before})
    assert gone.status_code == 410 and gone.headers["cache-control"] == "no-store"


async def test_story_pages_honour_if_modified_since(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor, public=True)
    path = f"/en/stories/{story['slug']}"
    modified = (await client.get(path)).headers["last-modified"]
    assert (await client.get(path, headers={"If-Modified-Since": modified})).status_code == 304
    old = format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)
    assert (await client.get(path, headers={"If-Modified-Since": old})).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2).
    both = await client.get(path, headers={"If-Modified-Since": modified, "If-None-Match": '"x"'})
    assert both.status_code == 200


async def test_a_changed_setting_changes_every_etag(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await file_story(client, editor, public=True)
    etag = (await client.get("/en/")).headers["etag"]
    runtime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    runtime.settings = runtime.settings.replace(site_notice="Subscribe for the full text.")
    response = await client.get("/en/", headers={"If-None-Match": etag})
    assert response.status_code == 200 and "Subscribe for the full text." in response.text
