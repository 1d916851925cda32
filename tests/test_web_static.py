"""Static files: the vendored packages are the pinned ones, with licences, cached by version."""

from __future__ import annotations

import httpx
import pytest
from lxml import html as lxml_html

from newswire.web.static import IMMUTABLE, REVALIDATE, vendor_url
from scripts import vendor_assets as script


def test_each_pinned_package_is_vendored_once_with_exactly_its_files_and_licence() -> None:
    for pin in script.PINS:
        assert pin.integrity.startswith("sha512-"), pin.package
        versions = [
            entry.name
            for entry in pin.target.iterdir()
            if entry.name.startswith(f"{pin.package}-")
            and entry.name[len(pin.package) + 1 :][0].isdigit()
        ]
        assert versions == [pin.folder.name], pin.package
        names = {path.name for path in pin.folder.iterdir()}
        assert names == {name for _, name in pin.files}, pin.package
        assert "LICENSE" in names and (pin.folder / "LICENSE").stat().st_size > 0, pin.package
        if pin.target == script.SERVED:
            for name in names - {"LICENSE", "NOTICE"}:
                assert vendor_url(pin.package, name).endswith(f"/{pin.folder.name}/{name}")
    assert [pin.package for pin in script.PINS if pin.target == script.TEST_ONLY] == ["axe-core"]


def test_integrity_is_npm_sha512_in_base64() -> None:
    # The sha512 of the empty string, as npm would write it for an empty tarball.
    empty = (
        "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKH"
        "fuwvY7kxvUdBeoGlODJ6+SfaPg=="
    )
    assert script.integrity_of(b"") == empty


def test_vendor_url_refuses_files_that_are_not_vendored() -> None:
    with pytest.raises(LookupError, match="not vendored"):
        vendor_url("htmx.org", "htmx.js")
    with pytest.raises(LookupError, match="expected one vendored"):
        vendor_url("left-pad", "index.js")


@pytest.mark.anyio
async def test_versioned_vendor_files_are_cached_for_a_year_and_our_own_are_revalidated(
    client: httpx.AsyncClient,
) -> None:
    htmx = await client.get(vendor_url("htmx.org", "htmx.min.js"))
    assert htmx.status_code == 200
    assert htmx.headers["content-type"].startswith("text/javascript")
    assert htmx.headers["cache-control"] == IMMUTABLE
    assert htmx.headers["x-content-type-options"] == "nosniff"
    again = await client.get(
        vendor_url("htmx.org", "htmx.min.js"), headers={"If-None-Match": htmx.headers["etag"]}
    )
    assert again.status_code == 304 and again.headers["cache-control"] == IMMUTABLE
    css = await client.get(vendor_url("swagger-ui-dist", "swagger-ui.css"))
    assert css.headers["content-type"].startswith("text/css")
    own = await client.get("/static/docs/swagger-init.js")
    assert own.status_code == 200 and own.headers["cache-control"] == REVALIDATE


@pytest.mark.anyio
@pytest.mark.parametrize(
    "path",
    ["/static/nothing.js", "/static/vendor/htmx.org-0.0.1/htmx.min.js", "/static/%2e%2e/app.py"],
)
async def test_static_answers_404_outside_its_files(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404  # the API's error, not a cached file
    assert "cache-control" not in response.headers


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_docs_pages_load_only_files_this_server_serves(
    client: httpx.AsyncClient, path: str
) -> None:
    page = lxml_html.fromstring((await client.get(path)).text)
    scripts = page.xpath("//script")
    assert scripts and all(
        script.get("src") and not (script.text or "").strip() for script in scripts
    )
    urls = [*page.xpath("//script/@src"), *page.xpath("//link/@href")]
    for url in urls:
        if url.startswith("data:"):
            continue
        assert url.startswith("/") and not url.startswith("//"), url
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].split(";")[0] in ("text/javascript", "text/css"), (
            url
        )
