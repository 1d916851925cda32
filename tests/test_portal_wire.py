"""The portal's wire, search, story pages and downloads over the real app, as company users."""

from __future__ import annotations

import io
import re
import zipfile

import httpx
import pytest
from fastapi import FastAPI
from lxml import etree

from newswire.settings import Settings
from tests.conftest import file_story
from tests.page_clients import CompanyBrowser, wire_ids
from tests.people import PAGE, browser, cheap, meta_csrf
from tests.story_factory import standards_dir

pytestmark = pytest.mark.anyio

G2_XSD = "newsml-g2/specification/NewsML-G2_2.35-spec-All-Power.xsd"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings)


@pytest.fixture
async def daily(company_browser: CompanyBrowser) -> httpx.AsyncClient:
    """A member of a company entitled to everything, signed in."""
    return await company_browser("Daily", "member@daily.example")


@pytest.fixture
async def sports(company_browser: CompanyBrowser) -> httpx.AsyncClient:
    """A member of a company entitled to the Sport section only, signed in."""
    return await company_browser(
        "Sports Radio", "member@sports.example", "127.0.0.2", entitlements={"categories": ["Sport"]}
    )


async def test_the_wire_lists_the_newest_stories_first_with_urgent_ones_marked(
    daily: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    first = await file_story(client, editor, headline="Budget passes")
    flash = await file_story(client, editor, headline="Earthquake hits the coast", urgency=1)
    page = await daily.get("/portal/", headers=PAGE)
    assert page.status_code == 200, page.text
    assert wire_ids(page.text) == [flash["id"], first["id"]]
    assert f'class="item u-flash" id="s-{flash["id"]}"' in page.text
    assert '<strong class="urgency">flash</strong>' in page.text
    assert 'data-live="/portal/live?"' in page.text


async def test_the_wire_filters_by_section_language_and_urgency_and_says_which_field_is_wrong(
    daily: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    sport = await file_story(client, editor, headline="Cup final tonight", categories=["Sport"])
    turkish = await file_story(client, editor, headline="Meclis bütçeyi kabul etti", language="tr")
    urgent = await file_story(client, editor, headline="Storm warning", urgency=2)
    by_section = await daily.get("/portal/", params={"section": "Sport"}, headers=PAGE)
    assert wire_ids(by_section.text) == [sport["id"]]
    by_language = await daily.get("/portal/", params={"language": "tr"}, headers=PAGE)
    assert wire_ids(by_language.text) == [turkish["id"]]
    by_urgency = await daily.get("/portal/", params={"urgency": "1-2"}, headers=PAGE)
    assert wire_ids(by_urgency.text) == [urgent["id"]]
    recent = await daily.get("/portal/", params={"since": "1h"}, headers=PAGE)
    assert len(wire_ids(recent.text)) == 3
    # The relative range is pinned to a time in the live URL (and every page link).
    assert re.search(r'data-live="/portal/live\?from=\d{4}-\d\d-\d\dT', recent.text)
    wrong = await daily.get("/portal/", params={"subject": "medtop:nonsense"}, headers=PAGE)
    assert wrong.status_code == 422
    assert 'id="f-subject-error"' in wrong.text
    bad_range = await daily.get("/portal/", params={"since": "forever"}, headers=PAGE)
    assert bad_range.status_code == 422 and 'id="f-since-error"' in bad_range.text


async def test_pages_of_the_wire_stay_stable_while_news_arrives(
    daily: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    filed = [(await file_story(client, editor, headline=f"Story {n}"))["id"] for n in range(35)]
    first = await daily.get("/portal/", headers=PAGE)
    assert wire_ids(first.text) == list(reversed(filed))[:30]
    older = re.search(r'href="(/portal/\?cursor=[^"]+)" rel="next"', first.text)
    assert older
    await file_story(client, editor, headline="Breaking in between")
    second = await daily.get(older.group(1).replace("&amp;", "&"), headers=PAGE)
    assert wire_ids(second.text) == list(reversed(filed))[30:]
    assert "data-live=" not in second.text, "an older page does not grow"


async def test_the_story_page_shows_versions_diffs_corrections_and_the_download_formats(
    daily: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor, headline="Budget passes")
    correction = {
        "headline": "Budget passes by 301 votes",
        "body": "The parliament approved the budget on Tuesday.\n\nThe vote was 301 to 249.",
        "ednote": "Corrects the vote count",
    }
    answer = await client.post(
        f"/v1/stories/{story['id']}/correct", json=correction, headers=editor
    )
    assert answer.status_code in (200, 201), answer.text
    page = await daily.get(f"/portal/stories/{story['id']}", headers=PAGE)
    assert page.status_code == 200, page.text
    assert "Budget passes by 301 votes" in page.text
    assert "<summary>Download</summary>" in page.text
    for label in ("ninjs", "NewsML-G2", "NITF", "text"):
        assert re.search(rf"download>{label}</a>", page.text), label
    assert "Version 2 changed" in page.text
    assert "<del>-The vote was 301 to 250.</del>" in page.text
    assert "<ins>+The vote was 301 to 249.</ins>" in page.text
    assert "Corrects the vote count" in page.text


async def test_a_downloaded_newsml_g2_item_validates_against_the_official_schema(
    daily: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    schema = etree.XMLSchema(etree.parse(str(standards_dir() / G2_XSD)))
    story = await file_story(client, editor, headline="Budget passes")
    answer = await daily.get(f"/portal/stories/{story['id']}/download?format=newsml-g2")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.iptc.g2.newsitem+xml"
    assert re.search(r'filename="budget-passes-\w+-v1\.xml"', answer.headers["content-disposition"])
    schema.assertValid(etree.fromstring(answer.content))
    text = await daily.get(f"/portal/stories/{story['id']}/download?format=text")
    assert "Budget passes" in text.text
    unknown = await daily.get(f"/portal/stories/{story['id']}/download?format=pdf", headers=PAGE)
    assert unknown.status_code == 422


async def test_several_selected_stories_download_as_one_zip(
    daily: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    one = await file_story(client, editor, headline="First story")
    two = await file_story(client, editor, headline="Second story")
    page = await daily.get("/portal/", headers=PAGE)
    answer = await daily.post(
        "/portal/downloads",
        data={
            "csrf_token": meta_csrf(page.text),
            "story": [one["id"], two["id"]],
            "format": "nitf",
        },
    )
    assert answer.status_code == 200, answer.text
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert [re.sub(r"-\w+-v1", "-v1", name) for name in names] == [
        "first-story-v1.nitf.xml",
        "second-story-v1.nitf.xml",
    ]
    forged = await daily.post("/portal/downloads", data={"story": [one["id"]], "format": "nitf"})
    assert forged.status_code == 403, "no CSRF token, no zip"


async def test_a_one_section_company_never_sees_another_sections_story(
    sports: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    politics = await file_story(client, editor, headline="Budget passes vote")
    sport = await file_story(client, editor, headline="Cup final vote", categories=["Sport"])
    wire = await sports.get("/portal/", headers=PAGE)
    assert wire_ids(wire.text) == [sport["id"]]
    found = await sports.get("/portal/search", params={"q": "vote"}, headers=PAGE)
    assert wire_ids(found.text) == [sport["id"]]
    assert "1 stories" in found.text
    page = await sports.get(f"/portal/stories/{politics['id']}", headers=PAGE)
    assert page.status_code == 404
    assert "Budget" not in page.text
    download = await sports.get(f"/portal/stories/{politics['id']}/download?format=newsml-g2")
    assert download.status_code == 404
    wire_page = await sports.get("/portal/", headers=PAGE)
    answer = await sports.post(
        "/portal/downloads",
        data={"csrf_token": meta_csrf(wire_page.text), "story": [sport["id"], politics["id"]]},
    )
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")


async def test_search_marks_the_words_and_offers_the_tips(
    daily: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await file_story(client, editor, headline="Flood closes the coast road")
    await file_story(client, editor, headline="Budget passes")
    found = await daily.get("/portal/search", params={"q": "flood"}, headers=PAGE)
    assert found.status_code == 200
    assert "<mark>Flood</mark> closes the coast road" in found.text
    assert "Search tips" in found.text and "Budget" not in found.text
    broken = await daily.get("/portal/search", params={"q": '"unclosed'}, headers=PAGE)
    assert broken.status_code == 422 and 'id="f-q-error"' in broken.text


async def test_the_portal_needs_a_signed_in_company_user(app: FastAPI) -> None:
    async with browser(app) as web:
        answer = await web.get("/portal/", headers=PAGE)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/portal/sign-in?next=%2Fportal%2F"


async def test_the_portal_speaks_turkish_and_right_to_left_stories_read_right_to_left(
    daily: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    arabic = await file_story(client, editor, headline="البرلمان يقر الميزانية", language="ar")
    page = await daily.get("/portal/", headers=PAGE)
    await daily.post(
        "/portal/account/language", data={"csrf_token": meta_csrf(page.text), "language": "tr"}
    )
    wire = await daily.get("/portal/", headers=PAGE)
    assert '<html lang="tr" dir="ltr">' in wire.text
    assert "<h1>Canlı akış</h1>" in wire.text
    assert re.search(r'<h2 class="headline" lang="ar" dir="rtl">', wire.text)
    story = await daily.get(f"/portal/stories/{arabic['id']}", headers=PAGE)
    assert 'id="story-text" class="text" lang="ar" dir="rtl"' in story.text
    assert "<summary>İndir</summary>" in story.text


async def test_reading_a_story_counts_against_the_daily_quota_like_the_api(
    client: httpx.AsyncClient, company_browser: CompanyBrowser, editor: dict[str, str]
) -> None:
    web = await company_browser("Small", "member@small.example", "127.0.0.3", daily_quota=1)
    one = await file_story(client, editor, headline="First story")
    two = await file_story(client, editor, headline="Second story")
    assert (await web.get(f"/portal/stories/{one['id']}", headers=PAGE)).status_code == 200
    used_up = await web.get(f"/portal/stories/{two['id']}", headers=PAGE)
    assert used_up.status_code == 429
    assert "Second story" not in used_up.text
    download = await web.get(f"/portal/stories/{two['id']}/download?format=text")
    assert download.status_code == 429
