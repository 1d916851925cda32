"""The public site's pages: home, sections, subjects, authors, story, search, languages."""

from __future__ import annotations

import re

import httpx
import pytest
from lxml import html as lxml_html

from tests.conftest import ADMIN, file_story
from tests.site_stories import publish

pytestmark = pytest.mark.anyio


def at(minute: int) -> str:
    """Return a first-publication time; stories filed in one second would otherwise tie."""
    return f"2024-11-14T{9 + minute // 60:02d}:{minute % 60:02d}:00Z"


def tree(response: httpx.Response) -> lxml_html.HtmlElement:
    """Parse a page for structural assertions."""
    return lxml_html.fromstring(response.text)


async def test_home_lists_public_stories_newest_first_with_urgency(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await publish(client, editor, headline="Older public story", urgency=3, first_created=at(1))
    await file_story(client, editor, headline="Private story", public=False, first_created=at(2))
    await publish(client, editor, headline="Newest public story", urgency=1, first_created=at(3))

    page = await client.get("/en/")
    assert page.status_code == 200
    doc = tree(page)
    headlines = [a.text for a in doc.cssselect(".story-list h2 a")]
    assert headlines == ["Newest public story", "Older public story"]
    urgencies = [p.text for p in doc.cssselect(".story-list .urgency")]
    assert urgencies == ["flash", "important"]
    assert doc.cssselect("link[rel=canonical]")[0].get("href") == "http://newswire.test/en/"
    root = await client.get("/")
    assert "Newest public story" in root.text and "Private story" not in root.text


async def test_story_page_shows_every_public_field_and_the_notice(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await publish(
        client,
        editor,
        headline="Ministers meet in Brussels",
        summary="Ministers met in Brussels to discuss energy prices.",
        byline="Jane Reporter",
        dateline="BRUSSELS",
        categories=["World", "Europe"],
        subjects=["medtop:11000000"],
    )
    response = await client.get(f"/stories/{story['id']}")
    assert response.status_code == 301
    assert response.headers["location"] == f"/en/stories/{story['slug']}"
    page = await client.get(response.headers["location"])
    assert page.status_code == 200
    doc = tree(page)
    article = doc.cssselect("article.story")[0]
    assert article.get("lang") == "en" and article.get("dir") == "ltr"
    assert doc.cssselect("h1")[0].text == "Ministers meet in Brussels"
    assert doc.cssselect(".summary")[0].text == story["summary"]
    assert doc.cssselect("a.byline")[0].get("href") == "/en/authors/jane-reporter"
    assert doc.cssselect(".dateline")[0].text == "BRUSSELS"
    assert [t.get("datetime")[:10] for t in doc.cssselect(".meta time")] == [
        story["first_created"][:10]
    ]
    crumbs = [(a.get("href"), a.text) for a in doc.cssselect(".breadcrumb a")]
    assert crumbs == [
        ("/en/", "Home"),
        ("/en/sections/world", "World"),
        ("/en/sections/world/europe", "Europe"),
    ]
    assert doc.cssselect(".subjects a")[0].get("href") == "/en/subjects/11000000"
    notice = doc.cssselect("aside.notice")[0]
    assert "Subscribers receive the full service" in notice.text_content()
    assert notice.cssselect("a")[0].get("href") == "mailto:sales@newswire.example"


async def test_updated_time_is_shown_after_an_update(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await publish(client, editor, first_created=at(0))
    updated = await client.put(
        f"/v1/stories/{story['id']}",
        json={**_draft(story), "headline": "Budget approved, final"},
        headers=editor,
    )
    assert updated.status_code == 200, updated.text
    page = tree(await client.get(f"/en/stories/{story['slug']}"))
    assert page.cssselect("h1")[0].text == "Budget approved, final"
    times = [t.get("datetime") for t in page.cssselect(".meta time")]
    assert times[0].startswith("2024-11-14T09:00:00") and len(times) == 2
    assert "Updated" in page.cssselect(".meta")[0].text_content()


def _draft(story: dict[str, object]) -> dict[str, object]:
    keys = ("headline", "summary", "body", "byline", "dateline", "categories", "urgency")
    return {key: story[key] for key in keys} | {"language": story["language"], "public": True}


async def test_section_subject_and_author_pages_list_their_stories(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await publish(
        client,
        editor,
        headline="Europe story",
        categories=["World", "Europe"],
        subjects=["medtop:04000000"],
        byline="Ana Writer",
    )
    await publish(client, editor, headline="Asia story", categories=["World", "Asia"])

    world = await client.get("/en/sections/world")
    assert "Europe story" in world.text and "Asia story" in world.text
    europe = await client.get("/en/sections/world/europe")
    assert "Europe story" in europe.text and "Asia story" not in europe.text
    assert tree(europe).cssselect("h1")[0].text == "Europe"
    assert (await client.get("/en/sections/nowhere")).status_code == 404

    subject = await client.get("/en/subjects/04000000")
    assert subject.status_code == 200 and "Europe story" in subject.text
    assert tree(subject).cssselect("h1")[0].text == "economy, business and finance"
    assert (await client.get("/en/subjects/medtop:04000000")).status_code == 404
    assert (await client.get("/en/subjects/15000000")).status_code == 404

    author = await client.get("/en/authors/ana-writer")
    assert author.status_code == 200 and "Europe story" in author.text
    assert "Asia story" not in author.text
    assert (await client.get("/en/authors/nobody")).status_code == 404


async def test_pagination_has_canonical_urls_and_prev_next_links(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    for number in range(45):
        await publish(client, editor, headline=f"Story number {number}", first_created=at(number))

    first = tree(await client.get("/en/"))
    assert len(first.cssselect(".story-list > li")) == 20
    assert first.cssselect("link[rel=next]")[0].get("href") == "http://newswire.test/en/?page=2"
    assert not first.cssselect("link[rel=prev]")

    second = await client.get("/en/?page=2")
    doc = tree(second)
    assert doc.cssselect("link[rel=canonical]")[0].get("href") == "http://newswire.test/en/?page=2"
    assert doc.cssselect("link[rel=prev]")[0].get("href") == "http://newswire.test/en/"
    assert doc.cssselect("a[rel=next]")[0].get("href") == "/en/?page=3"
    assert "Page 2 of 3" in second.text

    third = tree(await client.get("/en/?page=3"))
    assert len(third.cssselect(".story-list > li")) == 5
    assert [a.text for a in third.cssselect(".story-list h2 a")][-1] == "Story number 0"

    one = await client.get("/en/?page=1")
    assert one.status_code == 301 and one.headers["location"] == "/en/"
    assert (await client.get("/en/?page=4")).status_code == 404
    assert (await client.get("/en/?page=abc")).status_code == 404


async def test_search_matches_headlines_and_summaries_only_and_is_not_indexed(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await publish(
        client,
        editor,
        headline="Harbour reopens",
        summary="The harbour reopened after the storm.",
        body="The harbour reopened after the storm.\n\nA zeppelinword only in the body.",
    )
    found = await client.get("/en/search", params={"q": "harbour"})
    assert found.status_code == 200 and "Harbour reopens" in found.text
    doc = tree(found)
    assert doc.cssselect("meta[name=robots]")[0].get("content") == "noindex, follow"
    assert doc.cssselect("input[name=q]")[0].get("value") == "harbour"

    body_only = await client.get("/en/search", params={"q": "zeppelinword"})
    assert "Harbour reopens" not in body_only.text
    assert "No stories match your search." in body_only.text

    empty = await client.get("/en/search")
    assert empty.status_code == 200 and not tree(empty).cssselect(".story-list")


async def test_search_ignores_case_diacritics_and_the_turkish_dotted_i(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await publish(
        client,
        editor,
        headline="İstanbul welcomes Latvian president",
        summary="Edgars Rinkēvičs arrived on Monday.",
    )
    for query in ("istanbul", "ISTANBUL", "ıstanbul", "rinkevics", "RINKĒVIČS", "rinkē"):
        found = await client.get("/en/search", params={"q": query})
        assert "İstanbul welcomes Latvian president" in found.text, query
    missing = await client.get("/en/search", params={"q": "ankara"})
    assert "İstanbul welcomes" not in missing.text


async def test_turkish_pages_translate_the_interface_and_mark_languages(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    tr = await publish(
        client,
        editor,
        headline="Meclis bütçeyi kabul etti",
        summary="Meclis bütçeyi uzun bir tartışmanın ardından kabul etti.",
        language="tr",
    )
    await publish(client, editor, headline="English only")

    home = await client.get("/tr/")
    doc = tree(home)
    assert doc.get("lang") == "tr"
    assert doc.cssselect("h1")[0].text == "Son haberler"
    assert doc.cssselect("a.skip")[0].text == "İçeriğe geç"
    assert "Meclis bütçeyi kabul etti" in home.text and "English only" not in home.text
    hreflangs = {link.get("hreflang"): link.get("href") for link in doc.cssselect("link[hreflang]")}
    assert hreflangs == {
        "en": "http://newswire.test/en/",
        "tr": "http://newswire.test/tr/",
        "x-default": "http://newswire.test/",
    }
    switch = {a.get("hreflang"): a.get("href") for a in doc.cssselect("nav.languages a")}
    assert switch == {"en": "/en/", "tr": "/tr/"}

    story = await client.get(f"/tr/stories/{tr['slug']}")
    assert tree(story).get("lang") == "tr"
    assert "Yayımlanma" in story.text and "Abonelik seçenekleri" in story.text
    wrong = await client.get(f"/en/stories/{tr['slug']}")
    assert wrong.status_code == 301 and wrong.headers["location"] == f"/tr/stories/{tr['slug']}"
    assert (await client.get("/xx/")).status_code == 404
    assert (await client.get("/favicon.ico")).status_code == 404


async def test_right_to_left_stories_render_right_to_left(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await publish(
        client,
        editor,
        headline="البرلمان يقر الميزانية",
        summary="أقر البرلمان الميزانية بعد نقاش طويل.",
        language="ar",
    )
    page = await client.get(f"/ar/stories/{story['slug']}")
    assert page.status_code == 200
    article = tree(page).cssselect("article.story")[0]
    assert article.get("lang") == "ar" and article.get("dir") == "rtl"
    listing = tree(await client.get("/ar/"))
    item = listing.cssselect(".story-list > li")[0]
    assert item.get("lang") == "ar" and item.get("dir") == "rtl"
    assert listing.get("dir") == "rtl" and listing.get("lang") == "ar", "the whole page is RTL"
    assert "انتقل إلى المحتوى" in page.text, "the skip link is in Arabic"
    assert "اتصل بنا لمعرفة خيارات الاشتراك" in page.text, "so is the subscription notice"


async def test_killed_story_answers_410_and_leaves_every_listing(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await publish(client, editor, headline="Soon withdrawn")
    killed = await client.post(
        f"/v1/stories/{story['id']}/kill", json={"reason": "Legal."}, headers=editor
    )
    assert killed.status_code == 200, killed.text
    page = await client.get(f"/en/stories/{story['slug']}")
    assert page.status_code == 410
    assert page.headers["cache-control"] == "no-store"
    assert "withdrawn" in page.text
    for path in ("/en/", "/en/sections/politics", "/en/atom.xml", "/sitemaps/stories-1.xml"):
        assert "Soon withdrawn" not in (await client.get(path)).text, path


async def test_pages_meet_the_accessibility_basics(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await publish(client, editor, categories=["World"])
    for path in ("/en/", f"/en/stories/{story['slug']}", "/en/sections/world", "/en/search"):
        doc = tree(await client.get(path))
        first_link = doc.cssselect("body a")[0]
        assert first_link.get("href") == "#content" and "skip" in first_link.get("class"), path
        assert doc.cssselect("main#content") and doc.cssselect("header") and doc.cssselect("footer")
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1 and levels.count(1) == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), path
        for field in doc.cssselect("input:not([type=hidden])"):
            assert doc.cssselect(f"label[for={field.get('id')}]"), path
        assert all(img.get("alt") is not None for img in doc.iter("img")), path
        for nav in doc.cssselect("nav"):
            assert nav.get("aria-label"), path


async def test_ledger_api_needs_a_key_so_the_full_text_stays_behind_it(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await publish(client, editor)
    assert (await client.get(f"/v1/stories/{story['id']}")).status_code == 401
    assert (await client.get("/v1/subscribers", headers=ADMIN)).status_code == 200
    assert re.search(r"Disallow: /v1/", (await client.get("/robots.txt")).text)
