"""Fixtures for the desk and portal page tests: the app, one browser, people signed in.

`pictures_desk` and `text_desk` are the members of two companies, one buying
every kind of media and one text only, for the tests of what each is shown.

Registered for every test module through conftest's `pytest_plugins`; a module
that needs something else (a person created first, say) overrides a fixture
by its name, as modules override `settings`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from tests.accounts import create_subscriber
from tests.conftest import asgi_app
from tests.people import browser, company_user, signed_in_client, staff

# The desk's story form as a browser posts it (add the session's csrf_token and the version).
STORY_FORM = {
    "headline": "Ferry service resumes after storm",
    "summary": "Ferries sail again across the strait.",
    "body": "Ferries resumed on Tuesday.\n\nThe storm had stopped them for two days.",
    "categories": "World",
    "language": "en",
    "urgency": "3",
}
# (role, email, name) -> the person's own browser, signed in to the desk, and its CSRF token.
StaffBrowser = Callable[..., Awaitable[tuple[httpx.AsyncClient, str]]]
# (company id, email, address, role) -> the person's own browser, signed in to the portal.
MemberBrowser = Callable[..., Awaitable[httpx.AsyncClient]]
# (company name, member's email, address, the subscriber's fields) -> the member's browser.
CompanyBrowser = Callable[..., Awaitable[httpx.AsyncClient]]


def wire_ids(html: str) -> list[str]:
    """Return the ids of the lines of a portal wire page (stories or media), top first."""
    return re.findall(r'<li class="item[^"]*" id="s-([^"]+)"', html)


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    """The app on the test's runtime, for clients that act as browsers (one per worker)."""
    return asgi_app(runtime)


@pytest.fixture
async def web(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """One browser (its own cookie jar), signed in as nobody."""
    async with browser(app) as client:
        yield client


@pytest.fixture
async def staff_browser(runtime: Runtime, app: FastAPI) -> AsyncIterator[StaffBrowser]:
    """Return a function creating a staff member and signing them in, in their own browser."""
    clients: list[httpx.AsyncClient] = []

    async def sign_in(
        role: PersonRole, email: str, name: str | None = None
    ) -> tuple[httpx.AsyncClient, str]:
        await staff(runtime, role, email, name=name or email.split("@")[0])
        client = browser(app)
        clients.append(client)
        return client, await signed_in_client(client, "/desk", email)

    yield sign_in
    for client in clients:
        await client.aclose()


@pytest.fixture
async def member_browser(runtime: Runtime, app: FastAPI) -> AsyncIterator[MemberBrowser]:
    """Return a function creating a company's user and signing them in, in their own browser."""
    clients: list[httpx.AsyncClient] = []

    async def sign_in(
        company_id: str,
        email: str,
        address: str = "127.0.0.1",
        role: PersonRole = PersonRole.MEMBER,
    ) -> httpx.AsyncClient:
        await company_user(runtime, company_id, email, role)
        client = browser(app, address=address)
        clients.append(client)
        await signed_in_client(client, "/portal", email)
        return client

    yield sign_in
    for client in clients:
        await client.aclose()


@pytest.fixture
def company_browser(client: httpx.AsyncClient, member_browser: MemberBrowser) -> CompanyBrowser:
    """Return a function creating a company with one member, signed in, in their own browser.

    The company is a subscriber made with the given fields (entitlements, daily_quota...).
    """

    async def sign_in(
        name: str, email: str, address: str = "127.0.0.1", **fields: object
    ) -> httpx.AsyncClient:
        company_id, _ = await create_subscriber(client, name, **fields)
        return await member_browser(company_id, email, address)

    return sign_in


@pytest.fixture
async def pictures_desk(company_browser: CompanyBrowser) -> httpx.AsyncClient:
    """A member of a company that buys every kind of media (pictures, video), signed in."""
    return await company_browser(
        "Picture Daily", "member@picturedaily.example", entitlements={"media": []}
    )


@pytest.fixture
async def text_desk(company_browser: CompanyBrowser) -> httpx.AsyncClient:
    """A member of a company that buys text only (the default), signed in."""
    return await company_browser("Text Daily", "member@textdaily.example", "127.0.0.2")
