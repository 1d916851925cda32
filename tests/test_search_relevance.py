"""Search relevance on the Wikinews sample: known queries whose answer is known, on both engines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from newswire.newsroom.drafts import StoryDraft
from newswire.runtime import Runtime
from tests.conftest import WIKINEWS, needs_shared, wikinews_articles

# Not traced for coverage (pytest-cov's no_cover): smaller tests cover the code it runs,
# and tracing the filing of 292 articles would double its time.
pytestmark = [pytest.mark.anyio, pytest.mark.no_cover, needs_shared(WIKINEWS)]

# Query -> the title of the article that must come first. Each needs ranking,
# not just matching: most of these words occur in several articles.
KNOWN_ANSWERS = {
    "Notre Dame fire": "Notre Dame in Paris catches fire",
    "Magnitogorsk explosion": (
        "Magnitogorsk apartment building collapses after explosion, dozens dead"
    ),
    "zebra stripes horse flies": (
        "Zebra stripes may 'dazzle' pathogen-packing horse flies, say scientists"
    ),
    "Hirtenberger": "Hungarian state-owned enterprise acquires Hirtenberger Defence Group",
    "Kamala Harris running mate": (
        "Biden announces Kamala Harris as 2020 running mate in US presidential race"
    ),
    '"Matt Ratana"': "South London police officer Matt Ratana shot in custody centre",
    "cargo plane Karaj": "Iranian cargo plane crashes into Karaj houses",
    "headline:impeaches": "US House of Representatives impeaches President Trump",
}


@pytest.fixture
async def wikinews(runtime: Runtime) -> dict[str, str]:
    """File every Wikinews article through the wire; return story ids by title."""
    ids = {}
    for article in wikinews_articles():
        draft = StoryDraft(
            headline=article["title"][:300],
            body=article["text"],
            byline="Wikinews",
            dateline="",
            categories=["World"],
            language="en",
        )
        story = await runtime.newsroom.file_story(draft)
        ids[article["title"][:300]] = story.story.story_id
    return ids


async def test_known_queries_rank_their_article_first_and_pages_cover_all_hits(
    client: httpx.AsyncClient, editor: dict[str, str], wikinews: dict[str, str]
) -> None:
    for query, title in KNOWN_ANSWERS.items():
        response = await client.get("/v1/search", params={"q": query, "limit": 5}, headers=editor)
        assert response.status_code == 200, response.text
        hits: list[dict[str, Any]] = response.json()["hits"]
        assert hits, query
        assert hits[0]["id"] == wikinews[title], (query, [hit["headline"] for hit in hits])
    # Filing the archive takes a while, so the same test also pages through a
    # common word: every hit once, in falling score order.
    first = await client.get("/v1/search", params={"q": "president", "limit": 50}, headers=editor)
    total = first.json()["total"]
    assert total > 50
    seen = [hit["id"] for hit in first.json()["hits"]]
    cursor = first.json()["next"]
    while cursor:
        page = await client.get(
            "/v1/search", params={"q": "president", "limit": 50, "cursor": cursor}, headers=editor
        )
        seen += [hit["id"] for hit in page.json()["hits"]]
        cursor = page.json()["next"]
    assert len(seen) == len(set(seen)) == total
    scores_in_order = [hit["score"] for hit in first.json()["hits"]]
    assert scores_in_order == sorted(scores_in_order, reverse=True)
