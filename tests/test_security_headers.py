"""Every HTML page carries a strict CSP, frame, referrer and nosniff headers; all else nosniff."""

from __future__ import annotations

import httpx
import pytest
from lxml import html as lxml_html

from newswire.web.security import source_hash
from tests.conftest import file_story

pytestmark = pytest.mark.anyio

PAGE_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def directives(policy: str) -> dict[str, list[str]]:
    """Parse a Content-Security-Policy header into directive -> sources."""
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


async def site_pages(client: httpx.AsyncClient, editor: dict[str, str]) -> list[str]:
    """File a public story and return one path of each kind of public page."""
    await file_story(client, editor, headline="Ministers meet", public=True, categories=["World"])
    home = lxml_html.fromstring((await client.get("/en/")).text)
    story = home.cssselect(".story-list h2 a")[0].get("href")
    section = home.cssselect("nav.sections a")[0].get("href")
    return ["/", "/en/", story, section, "/en/search?q=ministers", "/en/stories/no-such-story"]


async def test_every_html_page_carries_the_security_headers(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    for path in [*await site_pages(client, editor), "/docs", "/redoc"]:
        response = await client.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        assert {name: response.headers.get(name) for name in PAGE_HEADERS} == PAGE_HEADERS, path
        policy = directives(response.headers["content-security-policy"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"], path
        assert policy["base-uri"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert policy["default-src"] == ["'self'"], path


async def test_site_pages_need_no_inline_script_and_their_inline_style_is_allowed_by_hash(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    for path in await site_pages(client, editor):
        response = await client.get(path)
        page = lxml_html.fromstring(response.text)
        scripts = page.xpath("//script")
        # JSON-LD is data the browser never executes; anything else would be refused.
        assert all(script.get("type") == "application/ld+json" for script in scripts), path
        handlers = [
            name for element in page.iter() for name in element.attrib if name.startswith("on")
        ]
        assert handlers == [], path
        assert page.xpath("//*[@style]") == [], path
        assert not page.xpath("//a[starts-with(normalize-space(@href), 'javascript:')]"), path
        style_sources = directives(response.headers["content-security-policy"])["style-src"]
        assert "'unsafe-inline'" not in style_sources, path
        for style in page.xpath("//style"):
            assert source_hash(style.text) in style_sources, path


async def test_the_redoc_page_keeps_its_own_policy_with_scripts_still_restricted(
    client: httpx.AsyncClient,
) -> None:
    policy = directives((await client.get("/redoc")).headers["content-security-policy"])
    # ReDoc writes <style> elements and builds its search worker from a blob: URL.
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["script-src"] == ["'self'"]
    docs = directives((await client.get("/docs")).headers["content-security-policy"])
    assert "'unsafe-inline'" not in docs["style-src"]


@pytest.mark.parametrize(
    "path",
    ["/healthz", "/openapi.json", "/v1/feed", "/en/atom.xml", "/robots.txt", "/docs/nothing"],
)
async def test_every_other_response_carries_nosniff_and_no_page_policy(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert not response.headers["content-type"].startswith("text/html"), path
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers


async def test_an_error_answered_before_the_route_still_carries_nosniff(
    client: httpx.AsyncClient,
) -> None:
    too_big = await client.post("/v1/stories", content=b"x" * (300 * 1024))
    assert too_big.status_code == 413
    assert too_big.headers["x-content-type-options"] == "nosniff"
    wrong_method = await client.delete("/en/")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["x-content-type-options"] == "nosniff"
