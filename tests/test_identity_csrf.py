"""Every state-changing request of the desk and the portal must prove it came from our own page."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.people import HTMX, PAGE, PASSWORD, browser, cheap, hidden, signed_in_client, staff

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings)


@pytest.fixture
async def web(runtime: Runtime, web: httpx.AsyncClient) -> httpx.AsyncClient:
    """The browser, with the editor it signs in as already created."""
    await staff(runtime)
    return web


async def _still_signed_in(client: httpx.AsyncClient) -> bool:
    return (await client.get("/desk/account", headers=PAGE)).status_code == 200


async def test_a_change_without_a_token_is_refused_and_changes_nothing(
    web: httpx.AsyncClient,
) -> None:
    await signed_in_client(web, "/desk", "editor@newswire.example")
    refused = await web.post("/desk/sign-out", headers=PAGE)
    assert refused.status_code == 403
    assert "The form expired or did not come from this site" in refused.text
    assert await _still_signed_in(web)


async def test_a_wrong_token_is_refused_as_page_or_as_json(web: httpx.AsyncClient) -> None:
    token = await signed_in_client(web, "/desk", "editor@newswire.example")
    wrong = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert (
        await web.post("/desk/sign-out", data={"csrf_token": wrong}, headers=PAGE)
    ).status_code == 403
    answer = await web.post("/desk/sign-out", headers={**HTMX, "X-CSRF-Token": wrong})
    assert answer.status_code == 403 and answer.json()["error"]["status"] == 403
    assert await _still_signed_in(web)


async def test_the_right_token_in_the_form_or_the_htmx_header_is_accepted(
    runtime: Runtime, app: FastAPI, web: httpx.AsyncClient
) -> None:
    token = await signed_in_client(web, "/desk", "editor@newswire.example")
    answer = await web.post("/desk/sign-out", headers={**HTMX, "X-CSRF-Token": token})
    assert answer.status_code == 303 and not await _still_signed_in(web)
    async with browser(app) as other:
        token = await signed_in_client(other, "/desk", "editor@newswire.example")
        assert (await other.post("/desk/sign-out", data={"csrf_token": token})).status_code == 303


async def test_another_sessions_token_is_refused(app: FastAPI, web: httpx.AsyncClient) -> None:
    await signed_in_client(web, "/desk", "editor@newswire.example")
    async with browser(app) as other:
        theirs = await signed_in_client(other, "/desk", "editor@newswire.example")
    answer = await web.post("/desk/sign-out", data={"csrf_token": theirs}, headers=PAGE)
    assert answer.status_code == 403 and await _still_signed_in(web)


async def test_the_right_token_sent_from_another_site_is_refused(web: httpx.AsyncClient) -> None:
    token = await signed_in_client(web, "/desk", "editor@newswire.example")
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        answer = await web.post(
            "/desk/sign-out", data={"csrf_token": token}, headers={**PAGE, **headers}
        )
        assert answer.status_code == 403, headers
    same = await web.post(
        "/desk/sign-out", data={"csrf_token": token}, headers={"Origin": "http://newswire.example"}
    )
    assert same.status_code == 303


async def test_the_sign_in_form_needs_its_own_token_against_login_forgery(
    app: FastAPI, web: httpx.AsyncClient
) -> None:
    data = {"email": "editor@newswire.example", "password": PASSWORD}
    # A page elsewhere posting the form: no form cookie, no token.
    answer = await web.post("/desk/sign-in", data=data)
    assert answer.status_code == 403 and "nw_desk_session" not in answer.headers.get(
        "set-cookie", ""
    )
    form = await web.get("/desk/sign-in")
    token = hidden(form.text)
    assert (
        await web.post("/desk/sign-in", data={**data, "csrf_token": "x" * 43})
    ).status_code == 403
    async with browser(app) as stranger:  # has a token of its own form, not this browser's cookie
        assert (
            await stranger.post("/desk/sign-in", data={**data, "csrf_token": token})
        ).status_code == 403
    assert (await web.post("/desk/sign-in", data={**data, "csrf_token": token})).status_code == 303
