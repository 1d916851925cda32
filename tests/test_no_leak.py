"""No leak: nothing the public site serves carries body text beyond the public summary.

Every sample story (the agency story and all 291 Wikinews articles) is filed
through the API without a summary line, so the site must make its own. Then
every public URL is fetched: pages, story pages, feeds, sitemaps, search
results, robots.txt and the public JSON endpoints. A leak is any run of eight
body words that is neither in a public summary nor in a headline.
"""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from newswire.newsroom.bodies import html_paragraphs
from newswire.newsroom.importers.text_layout import parse_text_layout
from newswire.newsroom.summaries import split_sentences, word_count
from tests.conftest import SAMPLE_STORY, WIKINEWS, needs_shared, wikinews_articles

# Not traced for coverage (pytest-cov's no_cover): smaller tests cover the code it runs,
# and tracing 292 stories and 600 pages would double its time.
pytestmark = [
    pytest.mark.anyio,
    pytest.mark.no_cover,
    needs_shared(WIKINEWS),
    needs_shared(SAMPLE_STORY),
]
SHINGLE = 8
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[tuple[str, ...]]:
    """Return every run of SHINGLE consecutive words of a text, lower-cased and unescaped."""
    words = _WORD.findall(html.unescape(text).casefold())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def sample_drafts() -> list[dict[str, Any]]:
    """Return every sample story as a JSON draft without a summary line, all marked public."""
    fields = parse_text_layout(SAMPLE_STORY.read_text("utf-8"))
    agency = {key: fields[key] for key in ("headline", "body", "byline", "dateline", "categories")}
    drafts = [{**agency, "summary": "", "public": True, "language": "en"}]
    for number, article in enumerate(wikinews_articles()):
        drafts.append(
            {
                "headline": article["title"][:300],
                "summary": "",
                "body": article["text"],
                "byline": "Wikinews contributors" if number % 2 else "",
                "categories": ["Wikinews", "World"] if number % 3 else ["Science"],
                "first_created": f"{article['date']}T12:00:00Z",
                "public": True,
                "language": "en",
            }
        )
    return drafts


async def crawl(client: httpx.AsyncClient, stories: list[dict[str, Any]]) -> dict[str, str]:
    """Fetch every public URL the site has for these stories; return path -> text."""
    seen: dict[str, str] = {}

    async def fetch(path: str) -> httpx.Response:
        response = await client.get(path, follow_redirects=True)
        seen[path] = response.text
        return response

    for language in ("en", "tr"):
        page = 1
        while (await fetch(f"/{language}/?page={page}")).status_code == 200:
            page += 1
    for path in (
        "/",
        "/robots.txt",
        "/sitemap.xml",
        "/sitemaps/pages.xml",
        "/sitemaps/stories-1.xml",
        "/sitemaps/news.xml",
        "/atom.xml",
        "/rss.xml",
        "/en/atom.xml",
        "/en/rss.xml",
        "/openapi.json",
        "/healthz",
    ):
        await fetch(path)
    for section in ("wikinews", "world", "world/europe", "science"):
        for page in (1, 2, 8):
            await fetch(f"/en/sections/{section}?page={page}")
        await fetch(f"/en/sections/{section}/atom.xml")
        await fetch(f"/en/sections/{section}/rss.xml")
    for path in ("/en/authors/wikinews-contributors", "/en/authors/aysu-bicer"):
        await fetch(path)
    for story in stories:
        await fetch(f"/stories/{story['id']}")
        await fetch(f"/v1/stories/{story['id']}")
    return seen


async def test_no_body_text_reaches_any_public_url(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    stories = []
    for draft in sample_drafts():
        response = await client.post("/v1/stories", json=draft, headers=editor)
        assert response.status_code == 201, response.text
        stories.append(response.json())
    assert len(stories) == 292

    runtime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    allowed: set[tuple[str, ...]] = set()
    summaries = {}
    for story in stories:
        public = await runtime.storage.public.story(story["id"])
        assert public is not None and public.summary, story["headline"]
        assert word_count(public.summary) <= runtime.settings.summary_max_words or (
            len(split_sentences([public.summary])) == 1
        ), "over the cap only when the first sentence alone is longer"
        summaries[story["id"]] = public.summary
        allowed |= shingles(public.summary) | shingles(public.headline)

    pages = await crawl(client, stories)
    # Search for words that only the body has: results must still show summaries only.
    probes = []
    for story in stories[:40]:
        body_words = set(_WORD.findall(" ".join(html_paragraphs(story["body"])).casefold()))
        summary_words = set(_WORD.findall(summaries[story["id"]].casefold()))
        probes += sorted(w for w in body_words - summary_words if len(w) > 7)[:1]
    for word in probes:
        response = await client.get("/en/search", params={"q": word})
        pages[f"/en/search?q={word}"] = response.text

    assert len(pages) > 600
    served: set[tuple[str, ...]] = set()
    for text in pages.values():
        served |= shingles(text)
    for story in stories:
        secret = shingles(" ".join(html_paragraphs(story["body"]))) - allowed
        assert len(secret) > 0, story["headline"]
        leaked = secret & served
        if leaked:
            where = [path for path, text in pages.items() if leaked & shingles(text)]
            pytest.fail(f"{where[:5]} leak body text of {story['headline']!r}: {leaked}")
