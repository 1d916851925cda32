"""A chief keeps the sections and the desks: the one gate (desk and API) uses the sections."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from newswire.models.drafts import Staff
from newswire.models.errors import Invalid
from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import file_story, story_json
from tests.page_clients import StaffBrowser
from tests.people import PAGE, cheap

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, sections=("World", "Europe", "Sport"))


async def _add_desk(web: httpx.AsyncClient, token: str, name: str, stages: str) -> httpx.Response:
    """Post the setup page's new-desk form: a desk's name and its stages, one a line."""
    return await web.post(
        "/desk/setup/desks", data={"csrf_token": token, "name": name, "stages": stages}
    )


async def _file(client: httpx.AsyncClient, editor: dict[str, str], section: str) -> httpx.Response:
    return await client.post("/v1/stories", json=story_json(categories=[section]), headers=editor)


async def test_the_setting_is_the_vocabulary_until_a_chief_changes_it(
    staff_browser: StaffBrowser, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    page = await chief.get("/desk/setup", headers=PAGE)
    assert page.status_code == 200
    assert 'name="sections"' in page.text and "World\nEurope\nSport</textarea>" in page.text
    assert (await _file(client, editor, "Economy")).status_code == 422


async def test_a_chief_adds_renames_and_retires_sections_and_the_api_follows(
    runtime: Runtime, staff_browser: StaffBrowser, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
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
    staff_browser: StaffBrowser, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    await chief.post("/desk/setup/sections", data={"csrf_token": token, "sections": "\n"})
    filed = await file_story(client, editor, categories=["Gardening"])
    assert filed["categories"] == ["Gardening"]


async def test_only_a_chief_may_change_the_sections(
    runtime: Runtime, staff_browser: StaffBrowser, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    editor_web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example")
    refused = await editor_web.post(
        "/desk/setup/sections", data={"csrf_token": token, "sections": "Gardening"}
    )
    assert refused.status_code == 403
    assert (await editor_web.get("/desk/setup", headers=PAGE)).status_code == 403
    assert (await runtime.desk.sections.current()).names == ("World", "Europe", "Sport")
    assert (await _file(client, editor, "Gardening")).status_code == 422


async def test_a_section_too_long_is_refused_on_the_page(staff_browser: StaffBrowser) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    refused = await chief.post(
        "/desk/setup/sections", data={"csrf_token": token, "sections": "x" * 61}
    )
    assert refused.status_code == 422 and "60 characters" in refused.text


# Several desks ----------------------------------------------------------------------------


async def test_a_chief_adds_a_desk_with_its_own_stages_and_drafts_stay_on_their_desk(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    added = await _add_desk(chief, token, " Sport ", "Pitchside\nSubs")
    assert added.status_code == 303 and added.headers["location"].endswith("notice=desk")
    assert await runtime.desk.desks.names() == ("News", "Sport")
    assert await runtime.desk.stages("Sport") == ("Pitchside", "Subs")
    assert await runtime.desk.stages() == ("Incoming", "Editing", "Ready")
    setup_page = await chief.get("/desk/setup", headers=PAGE)
    assert "Pitchside\nSubs</textarea>" in setup_page.text

    created = await chief.post("/desk/drafts", data={"csrf_token": token, "desk": "sport"})
    draft_id = created.headers["location"].rsplit("/", 1)[1]
    draft = await runtime.desk.get(draft_id)
    assert draft.desk == "Sport"
    form = {
        "csrf_token": token,
        "version": "1",
        "headline": "Cup final tonight",
        "body": "The final is at eight.",
        "categories": "Sport",
        "language": "en",
        "urgency": "4",
    }
    submitted = await chief.post(f"/desk/drafts/{draft_id}/submit", data=form)
    assert submitted.status_code == 303, submitted.text
    assert (await runtime.desk.get(draft_id)).stage == "Pitchside"

    sport = await chief.get("/desk/?desk=Sport", headers=PAGE)
    assert ">Pitchside <span" in sport.text and "Cup final tonight" in sport.text
    assert 'aria-current="page">Sport</a>' in sport.text
    assert 'data-fragment="/desk/board?desk=Sport"' in sport.text
    news = await chief.get("/desk/", headers=PAGE)
    assert ">Incoming <span" in news.text and "Cup final tonight" not in news.text
    fragment = await chief.get("/desk/board?desk=Sport", headers=PAGE)
    assert "Cup final tonight" in fragment.text and ">Incoming <span" not in fragment.text
    moved = await runtime.desk.move(draft_id, "Subs", staff_of_chief(draft))
    assert moved.stage == "Subs"


def staff_of_chief(draft: Any) -> Staff:
    return Staff(draft.author_id, draft.author_name, may_publish=True, is_chief=True)


async def test_a_drafts_stage_must_be_one_of_its_own_desks(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    await _add_desk(chief, token, "World", "Wires")
    draft = await runtime.desk.create(
        Staff("x", "X", may_publish=True, is_chief=True), {"headline": "H", "body": "B"}, "World"
    )
    with pytest.raises(Invalid):
        await runtime.desk.move(draft.id, "Editing", staff_of_chief(draft))
    with pytest.raises(Invalid):
        await runtime.desk.create(staff_of_chief(draft), {}, "Gardening")


async def test_desks_are_refused_to_non_chiefs_and_repeated_names(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    editor_web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example")
    refused = await _add_desk(editor_web, token, "World", "A")
    assert refused.status_code == 403
    chief, chief_token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    again = await _add_desk(chief, chief_token, "news", "A")
    assert again.status_code == 422 and "already" in again.text
    assert await runtime.desk.desks.names() == ("News",)


async def test_the_api_starts_a_draft_on_a_desk(
    runtime: Runtime, client: httpx.AsyncClient, editor: dict[str, str], staff_browser: StaffBrowser
) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    await _add_desk(chief, token, "World", "Wires")
    created = await client.post(
        "/v1/drafts", json={"fields": {"headline": "H"}, "desk": "World"}, headers=editor
    )
    assert created.status_code == 201, created.text
    assert created.json()["desk"] == "World"
    unknown = await client.post("/v1/drafts", json={"desk": "Gardening"}, headers=editor)
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "desk"


async def test_the_new_setup_labels_speak_turkish(staff_browser: StaffBrowser) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    await chief.post("/desk/account/language", data={"csrf_token": token, "language": "tr"})
    await _add_desk(chief, token, "Sport", "In")
    page = await chief.get("/desk/setup", headers=PAGE)
    for label in (
        "Masalar ve aşamaları",
        "Haber masasının aşamaları",
        "Masa ekle",
        "Ajansın bölümleri, her satıra bir tane",
        "Bölümleri kaydet",
        "Sport masasının arama sütunları",
        "Sütunu ekle",
    ):
        assert label in page.text, label
    board = await chief.get("/desk/?desk=Sport", headers=PAGE)
    assert 'aria-label="Masalar"' in board.text and ">Haber</a>" in board.text


async def test_an_editor_moves_a_draft_to_another_desk_where_it_starts_at_the_first_stage(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "chief@newswire.example")
    await _add_desk(chief, token, "World", "Wires\nOut")
    created = await chief.post("/desk/drafts", data={"csrf_token": token})
    draft_id = created.headers["location"].rsplit("/", 1)[1]
    form = {
        "csrf_token": token,
        "version": "1",
        "headline": "Summit opens",
        "body": "Leaders met.",
        "categories": "World",
        "language": "en",
        "urgency": "4",
    }
    await chief.post(f"/desk/drafts/{draft_id}/submit", data=form)
    page = await chief.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert 'action="/desk/drafts/' + draft_id + '/desk"' in page.text
    moved = await chief.post(
        f"/desk/drafts/{draft_id}/desk", data={"csrf_token": token, "desk": "world"}
    )
    assert moved.status_code == 303
    draft = await runtime.desk.get(draft_id)
    assert (draft.desk, draft.stage) == ("World", "Wires")
    assert (await runtime.desk.history(draft_id))[-1].detail == "World: Wires"
    assert "Summit opens" in (await chief.get("/desk/?desk=World", headers=PAGE)).text

    reporter, reporter_token = await staff_browser(PersonRole.REPORTER, "rita@newswire.example")
    refused = await reporter.post(
        f"/desk/drafts/{draft_id}/desk", data={"csrf_token": reporter_token, "desk": "News"}
    )
    assert refused.status_code == 403
