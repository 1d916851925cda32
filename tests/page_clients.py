"""Fixtures for the desk and portal page tests: the app, one browser, people signed in.

Registered for every test module through conftest's `pytest_plugins`; a module
that needs something else (a person created first, say) overrides a fixture
by its name, as modules override `settings`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from newswire.app import create_app
from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from tests.accounts import create_subscriber
from tests.people import browser, company_user, signed_in_client, staff

# (role, email, name) -> the person's own browser, signed in to the desk, and its CSRF token.
StaffBrowser = Callable[..., Awaitable[tuple[httpx.AsyncClient, str]]]
# (company id, email, address, role) -> the person's own browser, signed in to the portal.
MemberBrowser = Callable[..., Awaitable[httpx.AsyncClient]]
# (company name, member's email, address, the subscriber's fields) -> the member's browser.
CompanyBrowser = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    """The app on the test's runtime, for clients that act as browsers."""
    return create_app(runtime)


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
