"""Signing in to the desk and the portal over the real app: answers, cookies, throttling, expiry."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import create_subscriber
from tests.people import (
    HTMX,
    PAGE,
    PASSWORD,
    browser,
    cheap,
    company_user,
    hidden,
    post_sign_in,
    signed_in_client,
    staff,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, sign_in_account_failures=3, sign_in_address_failures=5)


def _without_tokens(html: str) -> str:
    return re.sub(r'(value|content)="[A-Za-z0-9_-]{40,}"', r'\1="…"', html)


async def test_the_sign_in_form_has_the_labels_the_issues_name(web: httpx.AsyncClient) -> None:
    for area in ("/desk", "/portal"):
        page = await web.get(f"{area}/sign-in")
        assert page.status_code == 200
        assert re.search(r'<label for="f-email">Email</label>', page.text)
        assert re.search(r'<label for="f-password">Password</label>', page.text)
        assert re.search(r'<button type="submit" class="primary">Sign in</button>', page.text)
        assert 'type="password"' in page.text and 'autocomplete="current-password"' in page.text


async def test_signing_in_sets_an_httponly_samesite_cookie_scoped_to_its_area(
    runtime: Runtime, web: httpx.AsyncClient
) -> None:
    await staff(runtime)
    answer = await post_sign_in(web, "/desk", "Editor@Newswire.Example", PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/desk/"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "nw_desk_session" in c)
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "samesite", "max-age"} <= flags
    assert "Path=/desk" in cookie and "SameSite=lax" in cookie
    assert "secure" not in flags, "plain http: a Secure cookie would never come back"
    session_token = cookie.split(";")[0].split("=", 1)[1]
    assert len(session_token) >= 43
    # The database holds only the token's hash.
    person = await runtime.people.by_email("editor@newswire.example")
    (stored,) = await runtime.storage.sessions.sessions_of(person.id)
    assert stored.id != session_token and len(stored.id) == 64
    account = await web.get("/desk/account", headers=PAGE)
    assert account.status_code == 200 and "Desk Editor" in account.text
    assert account.headers["cache-control"] == "no-store"


async def test_the_cookie_is_secure_over_https_and_when_the_setting_says_always(
    runtime: Runtime, app: FastAPI, settings: Settings
) -> None:
    await staff(runtime)
    async with browser(app, base_url="https://newswire.example") as https:
        answer = await post_sign_in(https, "/desk", "editor@newswire.example", PASSWORD)
        assert answer.status_code == 303
        assert "; secure" in answer.headers["set-cookie"].lower()
    runtime.settings = settings.replace(session_cookie_secure="always")
    async with browser(app) as plain:
        answer = await post_sign_in(plain, "/desk", "editor@newswire.example", PASSWORD)
        assert "; secure" in answer.headers["set-cookie"].lower()


async def test_wrong_password_unknown_email_and_not_yet_active_give_the_same_answer(
    runtime: Runtime, app: FastAPI
) -> None:
    await staff(runtime)
    await runtime.people.create_staff("invited@newswire.example", "Invited", PersonRole.EDITOR)
    answers = []
    for email, password in (
        ("editor@newswire.example", "not the password at all"),
        ("nobody@newswire.example", "not the password at all"),
        ("invited@newswire.example", "not the password at all"),
    ):
        async with browser(app, address=f"10.0.0.{len(answers) + 1}") as client:
            answer = await post_sign_in(client, "/desk", email, password)
        answers.append(answer)
    statuses = {answer.status_code for answer in answers}
    assert statuses == {401}
    emails = ("editor@newswire.example", "nobody@newswire.example", "invited@newswire.example")
    texts = {
        _without_tokens(answer.text).replace(email, "")
        for answer, email in zip(answers, emails, strict=True)
    }
    assert len(texts) == 1, "one answer, whatever was wrong"
    assert "Wrong email or password." in answers[0].text
    assert all("nw_desk_session" not in a.headers.get("set-cookie", "") for a in answers)


async def test_staff_cannot_sign_in_to_the_portal_nor_company_users_to_the_desk(
    runtime: Runtime, app: FastAPI, client: httpx.AsyncClient
) -> None:
    await staff(runtime)
    company_id, _ = await create_subscriber(client, "Daily")
    await company_user(runtime, company_id, "member@daily.example")
    async with browser(app) as web:
        assert (
            await post_sign_in(web, "/portal", "editor@newswire.example", PASSWORD)
        ).status_code == 401
        assert (
            await post_sign_in(web, "/desk", "member@daily.example", PASSWORD)
        ).status_code == 401
        assert (
            await post_sign_in(web, "/portal", "member@daily.example", PASSWORD)
        ).status_code == 303
        # The portal's cookie is not the desk's: the desk still asks to sign in.
        desk = await web.get("/desk/account", headers=PAGE)
        assert desk.status_code == 303 and desk.headers["location"].startswith("/desk/sign-in")


async def test_a_field_left_empty_is_named(web: httpx.AsyncClient) -> None:
    answer = await post_sign_in(web, "/desk", "", PASSWORD)
    assert answer.status_code == 422
    assert 'id="f-email-error"' in answer.text and 'aria-invalid="true"' in answer.text
    answer = await post_sign_in(web, "/desk", "not an address", PASSWORD)
    assert answer.status_code == 422 and "not an email address" in answer.text
    answer = await post_sign_in(web, "/desk", "editor@newswire.example", "")
    assert answer.status_code == 422 and 'id="f-password-error"' in answer.text


async def test_an_account_is_throttled_after_its_failures_even_with_the_right_password(
    runtime: Runtime, app: FastAPI
) -> None:
    await staff(runtime)
    for attempt in range(3):  # sign_in_account_failures=3, each from another address
        async with browser(app, address=f"10.1.0.{attempt}") as client:
            answer = await post_sign_in(
                client, "/desk", "editor@newswire.example", "wrong password"
            )
            assert answer.status_code == 401
    async with browser(app, address="10.1.0.99") as client:
        answer = await post_sign_in(client, "/desk", "editor@newswire.example", PASSWORD)
        assert answer.status_code == 429
        retry = int(answer.headers["retry-after"])
        assert 0 < retry <= 900
        assert "Too many failed sign-ins. Try again in 15 minutes." in answer.text
        # The same for an address nobody has: throttling tells nothing of who exists.
        for _ in range(3):
            await post_sign_in(client, "/desk", "ghost@newswire.example", "wrong password")
        assert (
            await post_sign_in(client, "/desk", "ghost@newswire.example", "x")
        ).status_code == 429
        # Once the window has passed, the right password works again.
        runtime.clock.advance(timedelta(seconds=retry + 1))
        answer = await post_sign_in(client, "/desk", "editor@newswire.example", PASSWORD)
        assert answer.status_code == 303


async def test_a_client_address_is_throttled_across_accounts(
    runtime: Runtime, app: FastAPI
) -> None:
    await staff(runtime)
    async with browser(app, address="192.0.2.7") as attacker:
        for index in range(5):  # sign_in_address_failures=5, a different account each time
            answer = await post_sign_in(
                attacker, "/desk", f"guess{index}@newswire.example", "x" * 12
            )
            assert answer.status_code == 401
        answer = await post_sign_in(attacker, "/desk", "editor@newswire.example", PASSWORD)
        assert answer.status_code == 429 and "retry-after" in answer.headers
    async with browser(app, address="192.0.2.8") as colleague:
        assert (
            await post_sign_in(colleague, "/desk", "editor@newswire.example", PASSWORD)
        ).status_code == 303


async def test_an_ipv6_client_is_counted_by_its_64_network(runtime: Runtime, app: FastAPI) -> None:
    for index in range(5):
        async with browser(app, address=f"2001:db8:1:2::{index + 1}") as client:
            await post_sign_in(client, "/desk", f"guess{index}@newswire.example", "x" * 12)
    async with browser(app, address="2001:db8:1:2::ffff") as neighbour:
        assert (
            await post_sign_in(neighbour, "/desk", "a@newswire.example", "x" * 12)
        ).status_code == 429
    async with browser(app, address="2001:db8:1:3::1") as elsewhere:
        assert (
            await post_sign_in(elsewhere, "/desk", "a@newswire.example", "x" * 12)
        ).status_code == 401


async def test_a_session_ends_after_its_idle_time(
    runtime: Runtime, web: httpx.AsyncClient, settings: Settings
) -> None:
    await staff(runtime)
    await signed_in_client(web, "/desk", "editor@newswire.example")
    idle = timedelta(seconds=settings.session_idle_seconds)
    runtime.clock.advance(idle - timedelta(minutes=2))
    assert (await web.get("/desk/account", headers=PAGE)).status_code == 200, "used in time"
    runtime.clock.advance(idle - timedelta(minutes=2))
    assert (await web.get("/desk/account", headers=PAGE)).status_code == 200, "use moved it on"
    runtime.clock.advance(idle + timedelta(seconds=1))
    ended = await web.get("/desk/account", headers=PAGE)
    assert ended.status_code == 303
    assert ended.headers["location"] == "/desk/sign-in?next=%2Fdesk%2Faccount"


async def test_a_session_ends_at_its_absolute_limit_however_much_it_is_used(
    runtime: Runtime, web: httpx.AsyncClient, settings: Settings
) -> None:
    await staff(runtime)
    await signed_in_client(web, "/desk", "editor@newswire.example")
    step = timedelta(seconds=settings.session_idle_seconds) / 2
    lived = timedelta(0)
    while lived + step < timedelta(seconds=settings.session_max_seconds):
        runtime.clock.advance(step)
        lived += step
        assert (await web.get("/desk/account", headers=PAGE)).status_code == 200
    runtime.clock.advance(step)
    assert (await web.get("/desk/account", headers=PAGE)).status_code == 303


async def test_htmx_and_scripts_get_401_not_a_redirect(web: httpx.AsyncClient) -> None:
    answer = await web.get("/desk/account", headers=HTMX)
    assert answer.status_code == 401
    assert answer.json()["error"]["sign_in"] == "/desk/sign-in?next=%2Fdesk%2Faccount"
    assert (
        await web.get("/portal/account", headers={"Accept": "application/json"})
    ).status_code == 401


async def test_sign_out_ends_this_session_and_everywhere_ends_all(
    runtime: Runtime, app: FastAPI
) -> None:
    await staff(runtime)
    async with browser(app) as laptop, browser(app) as phone, browser(app) as tablet:
        laptop_csrf = await signed_in_client(laptop, "/desk", "editor@newswire.example")
        phone_csrf = await signed_in_client(phone, "/desk", "editor@newswire.example")
        await signed_in_client(tablet, "/desk", "editor@newswire.example")
        out = await laptop.post("/desk/sign-out", data={"csrf_token": laptop_csrf})
        assert (
            out.status_code == 303 and out.headers["location"] == "/desk/sign-in?notice=signed-out"
        )
        assert 'nw_desk_session=""' in out.headers["set-cookie"]
        assert (await laptop.get("/desk/account", headers=PAGE)).status_code == 303
        assert (await phone.get("/desk/account", headers=PAGE)).status_code == 200
        everywhere = await phone.post("/desk/sign-out-everywhere", data={"csrf_token": phone_csrf})
        assert everywhere.status_code == 303
        for device in (phone, tablet):
            assert (await device.get("/desk/account", headers=PAGE)).status_code == 303


async def test_next_leads_back_within_the_area_only(runtime: Runtime, app: FastAPI) -> None:
    await staff(runtime)
    for wanted, landed in (
        ("/desk/account?tab=1", "/desk/account?tab=1"),
        ("//evil.example/desk", "/desk/"),
        ("https://evil.example/", "/desk/"),
        ("/portal/account", "/desk/"),
    ):
        async with browser(app) as client:
            answer = await post_sign_in(
                client, "/desk", "editor@newswire.example", PASSWORD, wanted
            )
            assert answer.headers["location"] == landed, wanted


async def test_the_interface_follows_the_browser_or_the_person_language(
    runtime: Runtime, web: httpx.AsyncClient
) -> None:
    page = await web.get("/desk/sign-in", headers={"Accept-Language": "tr-TR,tr;q=0.9,en;q=0.5"})
    assert '<html lang="tr" dir="ltr">' in page.text and ">Giriş yap</button>" in page.text
    page = await web.get("/desk/sign-in?lang=en", headers={"Accept-Language": "tr"})
    assert ">Sign in</button>" in page.text
    await staff(runtime)
    csrf = await signed_in_client(web, "/desk", "editor@newswire.example")
    changed = await web.post("/desk/account/language", data={"csrf_token": csrf, "language": "tr"})
    assert changed.status_code == 303
    account = await web.get("/desk/account", headers=PAGE)
    assert "Hesabınız" in account.text and hidden(account.text)
