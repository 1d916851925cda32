"""Feeds, sitemaps, robots.txt and the story page's JSON-LD, Open Graph and Twitter tags."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import httpx
import pytest
from lxml import etree
from lxml import html as lxml_html
from pyld import jsonld

from tests.conftest import file_story
from tests.site_stories import publish

pytestmark = pytest.mark.anyio
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BODY_ONLY = "A sentence that only subscribers may read"


def long_ago(days: int) -> str:
    """Return a first-publication time some days back."""
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def story_page(
    client: httpx.AsyncClient, story: dict[str, Any]
) -> tuple[httpx.Response, lxml_html.HtmlElement]:
    """Open a public story's English page; return the answer and its parsed document."""
    page = await client.get(f"/en/stories/{story['slug']}")
    return page, lxml_html.fromstring(page.text)


def json_ld(doc: lxml_html.HtmlElement) -> dict[str, Any]:
    """Return the structured data (schema.org JSON-LD) of a parsed page."""
    data: dict[str, Any] = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)
    return data


async def file_three(client: httpx.AsyncClient, editor: dict[str, str]) -> list[dict[str, Any]]:
    body = f"The opening sentence is public.\n\n{BODY_ONLY}, and it never leaves the API."
    return [
        await publish(
            client,
            editor,
            headline="World story",
            summary="The world summary.",
            body=body,
            categories=["World", "Europe"],
            byline="Jane Reporter",
            first_created=long_ago(5),
        ),
        await publish(
            client,
            editor,
            headline="Turkish story",
            summary="Türkçe özet.",
            body=body,
            language="tr",
            first_created=long_ago(1),
        ),
        await file_story(client, editor, headline="Private story", body=body, public=False),
    ]


async def test_atom_and_rss_feeds_carry_summaries_only_per_site_language_and_section(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    world, turkish, _ = await file_three(client, editor)
    expected = {
        "/atom.xml": {"World story", "Turkish story"},
        "/rss.xml": {"World story", "Turkish story"},
        "/en/atom.xml": {"World story"},
        "/tr/rss.xml": {"Turkish story"},
        "/en/sections/world/atom.xml": {"World story"},
        "/en/sections/world/europe/rss.xml": {"World story"},
    }
    for path, titles in expected.items():
        response = await client.get(path)
        assert response.status_code == 200, path
        kind = "atom" if "atom" in path else "rss"
        assert response.headers["content-type"].startswith(f"application/{kind}+xml")
        assert BODY_ONLY not in response.text, path
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert {entry.title for entry in feed.entries} == titles, path
        for entry in feed.entries:
            assert "content" not in entry, path
            assert entry.summary in {"The world summary.", "Türkçe özet."}
            assert entry.link.startswith("http://newswire.test/")
    world_entry = feedparser.parse((await client.get("/en/atom.xml")).content).entries[0]
    assert world_entry.link == f"http://newswire.test/en/stories/{world['slug']}"
    assert world_entry.author == "Jane Reporter"
    assert [tag.term for tag in world_entry.tags] == ["World", "Europe"]
    assert (await client.get("/en/sections/nowhere/atom.xml")).status_code == 404
    assert turkish["language"] == "tr"


async def test_sitemaps_list_public_pages_and_news_only_the_last_two_days(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    world, turkish, private = await file_three(client, editor)
    index = etree.fromstring((await client.get("/sitemap.xml")).content)
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert locations == [
        "http://newswire.test/sitemaps/pages.xml",
        "http://newswire.test/sitemaps/news.xml",
        "http://newswire.test/sitemaps/stories-1.xml",
    ]
    stories = etree.fromstring((await client.get("/sitemaps/stories-1.xml")).content)
    urls = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in stories}
    assert set(urls) == {
        f"http://newswire.test/en/stories/{world['slug']}",
        f"http://newswire.test/tr/stories/{turkish['slug']}",
    }
    assert all(lastmod for lastmod in urls.values())
    assert (await client.get("/sitemaps/stories-2.xml")).status_code == 404

    news = etree.fromstring((await client.get("/sitemaps/news.xml")).content)
    entries = news.findall(f"{SITEMAP}url")
    assert [e.findtext(f"{SITEMAP}loc") for e in entries] == [
        f"http://newswire.test/tr/stories/{turkish['slug']}"
    ], "the five-day-old story is not news any more"
    item = entries[0].find(f"{NEWS}news")
    assert item.findtext(f"{NEWS}publication/{NEWS}language") == "tr"
    assert item.findtext(f"{NEWS}publication/{NEWS}name") == "Newswire"
    assert item.findtext(f"{NEWS}title") == "Turkish story"
    assert item.findtext(f"{NEWS}publication_date").startswith(turkish["first_created"][:10])

    pages = (await client.get("/sitemaps/pages.xml")).text
    for path in ("/en/", "/tr/", "/en/sections/world/europe", "/en/authors/jane-reporter"):
        assert f"<loc>http://newswire.test{path}</loc>" in pages, path
    assert private["slug"] not in pages + (await client.get("/sitemaps/stories-1.xml")).text


async def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_off_the_api(
    client: httpx.AsyncClient,
) -> None:
    robots = (await client.get("/robots.txt")).text.splitlines()
    assert "Disallow: /v1/" in robots and "Disallow: /*/search" in robots
    assert "Sitemap: http://newswire.test/sitemap.xml" in robots
    assert "Sitemap: http://newswire.test/sitemaps/news.xml" in robots


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Serve schema.org's context from here: the tests never touch the network."""
    assert url.rstrip("/") in {"https://schema.org", "http://schema.org"}, url
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


async def test_story_page_has_news_article_json_ld_and_social_tags(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    world, *_ = await file_three(client, editor)
    page, doc = await story_page(client, world)
    url = f"http://newswire.test/en/stories/{world['slug']}"
    data = json_ld(doc)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "World story"
    assert data["description"] == "The world summary."
    assert data["inLanguage"] == "en"
    assert data["articleSection"] == ["World", "Europe"]
    assert data["author"]["name"] == "Jane Reporter"
    assert data["publisher"]["name"] == "Newswire"
    assert data["datePublished"].startswith(world["first_created"][:19])
    assert "dateModified" in data

    expanded = jsonld.expand(data, options={"documentLoader": _offline_loader})
    article = expanded[0]
    assert article["@type"] == ["https://schema.org/NewsArticle"]
    assert article["https://schema.org/description"][0]["@value"] == "The world summary."
    assert article["https://schema.org/author"][0]["https://schema.org/name"][0]["@value"] == (
        "Jane Reporter"
    )

    meta = {
        (m.get("property") or m.get("name")): m.get("content")
        for m in doc.cssselect("meta[content]")
    }
    assert meta["og:type"] == "article" and meta["og:url"] == url
    assert meta["og:title"] == "World story"
    assert meta["og:description"] == meta["description"] == "The world summary."
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:description"] == "The world summary."
    assert meta["og:locale"] == "en"
    assert doc.cssselect("link[rel=canonical]")[0].get("href") == url
    assert BODY_ONLY not in page.text


async def test_json_ld_cannot_be_broken_out_of_by_a_headline(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await publish(
        client,
        editor,
        headline="</script><script>alert(1)</script> & more",
        summary="Summary with <!-- a comment opener and </script>.",
    )
    page, doc = await story_page(client, story)
    assert not [
        s for s in doc.iter("script") if "alert" in (s.text or "") and s.get("type") is None
    ]
    data = json_ld(doc)
    assert data["headline"] == "</script><script>alert(1)</script> & more"
    assert page.text.count("</script>") == 1


ATOM = "{http://www.w3.org/2005/Atom}"


async def test_public_atom_feeds_name_an_author_for_every_entry(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    # RFC 4287 4.1.1: a feed without atom:author needs one in every entry; ours has one.
    await publish(client, editor, headline="No byline", byline="")
    for path in ("/atom.xml", "/en/atom.xml"):
        feed = etree.fromstring((await client.get(path)).content)
        authors = feed.findall(f"{ATOM}author")
        assert [a.findtext(f"{ATOM}name") for a in authors] == ["Newswire"], path
        assert authors[0].findtext(f"{ATOM}uri") == "http://newswire.test/"
        entry = feed.find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}author") is None, "no byline: the feed's author stands"


async def test_json_ld_marks_the_subscriber_part_and_names_the_publisher_logo(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    world, *_ = await file_three(client, editor)
    page, doc = await story_page(client, world)
    data = json_ld(doc)
    assert data["isAccessibleForFree"] is False
    part = data["hasPart"]
    assert (part["@type"], part["isAccessibleForFree"]) == ("WebPageElement", False)
    marked = doc.cssselect(part["cssSelector"])
    assert len(marked) == 1, "the selector names one element of the page"
    assert "Subscription" in marked[0].text_content()
    logo = data["publisher"]["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"].startswith("http://newswire.test/")
    image = await client.get(logo["url"].removeprefix("http://newswire.test"))
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert (logo["width"], logo["height"]) == (600, 60)


async def test_json_ld_headline_stays_within_110_characters(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    headline = " ".join(["Parliament"] * 25) + " approves budget"  # 290 characters
    story = await publish(client, editor, headline=headline)
    _, doc = await story_page(client, story)
    data = json_ld(doc)
    assert len(data["headline"]) <= 110
    assert data["headline"].endswith("…")
    assert headline.startswith(data["headline"][:-1].rstrip())
    assert " ".join(data["headline"][:-1].split()) == data["headline"][:-1].rstrip()
    short = await publish(client, editor, headline="Short headline")
    page = await client.get(f"/en/stories/{short['slug']}")
    assert '"headline":"Short headline"' in page.text
