"""Helpers for the identity tests: cheap password hashing, people made and activated, sign-in."""

from __future__ import annotations

import re

import httpx

from newswire.models.people import Person, PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings

# argon2id at its cheapest: the tests are about behaviour; bench/ is about cost.
CHEAP_HASHING = {"password_time_cost": 1, "password_memory_kib": 1024, "password_parallelism": 1}
PASSWORD = "correct horse battery staple"


def cheap(settings: Settings, **overrides: object) -> Settings:
    """Return settings with fast password hashing (and any other overrides)."""
    return settings.replace(**{**CHEAP_HASHING, **overrides})


def token_of(link: str) -> str:
    """Return the token at the end of a set-password link."""
    return link.rsplit("/", 1)[1]


async def staff(
    runtime: Runtime,
    role: PersonRole = PersonRole.EDITOR,
    email: str = "editor@newswire.example",
    password: str = PASSWORD,
    name: str = "Desk Editor",
) -> Person:
    """Create a staff member and set their password through their link."""
    invitation = await runtime.people.create_staff(email, name, role)
    return await runtime.password_links.set_password(token_of(invitation.link), password, password)


async def company_user(
    runtime: Runtime,
    company_id: str,
    email: str,
    role: PersonRole = PersonRole.MEMBER,
    password: str = PASSWORD,
) -> Person:
    """Create a company user and set their password through their link."""
    invitation = await runtime.people.create_company_user(
        company_id, email, email.split("@")[0], role
    )
    return await runtime.password_links.set_password(token_of(invitation.link), password, password)


def hidden(html: str, name: str = "csrf_token") -> str:
    """Return the value of a hidden input of a page."""
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden {name} in the page"
    return found.group(1)


def meta_csrf(html: str) -> str:
    """Return the session's CSRF token a signed-in page carries in its meta tag."""
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert found, "no csrf-token meta in the page"
    return found.group(1)


async def post_sign_in(
    client: httpx.AsyncClient,
    area: str,
    email: str,
    password: str,
    next_path: str = "",
) -> httpx.Response:
    """Open an area's sign-in form and submit it (with its form token); return the answer."""
    form = await client.get(f"{area}/sign-in")
    assert form.status_code == 200, form.text
    data = {"csrf_token": hidden(form.text), "email": email, "password": password}
    if next_path:
        data["next"] = next_path
    return await client.post(f"{area}/sign-in", data=data)


async def signed_in_client(
    client: httpx.AsyncClient, area: str, email: str, password: str = PASSWORD
) -> str:
    """Sign a client in (its cookie jar keeps the session); return the session's CSRF token."""
    answer = await post_sign_in(client, area, email, password)
    assert answer.status_code == 303, answer.text
    page = await client.get(f"{area}/account", headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    return meta_csrf(page.text)


PAGE = {"Accept": "text/html"}
HTMX = {"HX-Request": "true", "Accept": "text/html"}


def browser(
    app: object, address: str = "127.0.0.1", base_url: str = "http://newswire.example"
) -> httpx.AsyncClient:
    """Return a client of the app as one browser: its own cookie jar, from one address."""
    transport = httpx.ASGITransport(app=app, client=(address, 50000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url=base_url)
