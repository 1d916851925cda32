"""A chief keeps the agency's sections on the desk; the one gate (desk and API) uses them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from newswire.app import create_app
from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import file_story, story_json
from tests.people import PAGE, browser, cheap, signed_in_client, staff

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, sections=("World", "Europe", "Sport"))


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    return create_app(runtime)


Person = Callable[[PersonRole, str], Awaitable[tuple[httpx.AsyncClient, str]]]


@pytest.fixture
async def person(runtime: Runtime, app: FastAPI) -> AsyncIterator[Person]:
    clients: list[httpx.AsyncClient] = []

    async def sign_in(role: PersonRole, email: str) -> tuple[httpx.AsyncClient, str]:
        await staff(runtime, role, email, name=email.split("@")[0])
        client = browser(app)
        clients.append(client)
        return client, await signed_in_client(client, "/desk", email)

    yield sign_in
    for client in clients:
        await client.aclose()


async def _file(client: httpx.AsyncClient, editor: dict[str, str], section: str) -> httpx.Response:
    return await client.post("/v1/stories", json=story_json(categories=[section]), headers=editor)


async def test_the_setting_is_the_vocabulary_until_a_chief_changes_it(
    person: Person, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    chief, token = await person(PersonRole.CHIEF, "chief@newswire.example")
    page = await chief.get("/desk/setup", headers=PAGE)
    assert page.status_code == 200
    assert 'name="sections"' in page.text and "World\nEurope\nSport</textarea>" in page.text
    assert (await _file(client, editor, "Economy")).status_code == 422


async def test_a_chief_adds_renames_and_retires_sections_and_the_api_follows(
    runtime: Runtime, person: Person, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    chief, token = await person(PersonRole.CHIEF, "chief@newswire.example")
    # Add Economy, rename Sport to Sports, retire Europe.
    saved = await chief.post(
        "/desk/setup/sections",
        data={"csrf_token": token, "sections": "World\n\nEconomy\n sports \nworld"},
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("notice=sections")
    assert (await runtime.desk.sections.current()).names == ("World", "Economy", "sports")

    filed = await file_story(client, editor, categories=["economy"])
    assert filed["categories"] == ["Economy"]
    retired = await _file(client, editor, "Europe")
    assert retired.status_code == 422
    assert retired.json()["error"]["field"] == "categories"
    typo = await _file(client, editor, "Ecnomy")
    assert "did you mean Economy" in typo.json()["error"]["message"]

    editor_page = await chief.get("/desk/setup?notice=sections", headers=PAGE)
    assert "The sections are saved." in editor_page.text
    created = await chief.post("/desk/drafts", data={"csrf_token": token})
    draft_page = await chief.get(created.headers["location"], headers=PAGE)
    assert 'value="Economy"' in draft_page.text and 'value="Europe"' not in draft_page.text


async def test_an_empty_vocabulary_accepts_any_section(
    person: Person, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    chief, token = await person(PersonRole.CHIEF, "chief@newswire.example")
    await chief.post("/desk/setup/sections", data={"csrf_token": token, "sections": "\n"})
    filed = await file_story(client, editor, categories=["Gardening"])
    assert filed["categories"] == ["Gardening"]


async def test_only_a_chief_may_change_the_sections(
    runtime: Runtime, person: Person, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    editor_web, token = await person(PersonRole.EDITOR, "ed@newswire.example")
    refused = await editor_web.post(
        "/desk/setup/sections", data={"csrf_token": token, "sections": "Gardening"}
    )
    assert refused.status_code == 403
    assert (await editor_web.get("/desk/setup", headers=PAGE)).status_code == 403
    assert (await runtime.desk.sections.current()).names == ("World", "Europe", "Sport")
    assert (await _file(client, editor, "Gardening")).status_code == 422


async def test_a_section_too_long_is_refused_on_the_page(person: Person) -> None:
    chief, token = await person(PersonRole.CHIEF, "chief@newswire.example")
    refused = await chief.post(
        "/desk/setup/sections", data={"csrf_token": token, "sections": "x" * 61}
    )
    assert refused.status_code == 422 and "60 characters" in refused.text
