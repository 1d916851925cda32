"""Saved-search columns on the monitoring view: a chief adds them; they follow the wire."""

from __future__ import annotations

import httpx
import pytest

from newswire.desk.watch import DeskWatch
from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import file_story
from tests.page_clients import StaffBrowser
from tests.people import PAGE, cheap

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, sections=("World", "Sport", "Politics"))


@pytest.fixture
async def chief(staff_browser: StaffBrowser) -> tuple[httpx.AsyncClient, str]:
    return await staff_browser(PersonRole.CHIEF, "chief@newswire.example", "Cem")


def _search_column(html: str) -> str:
    start = html.index('class="column search"')
    return html[start : html.index("</section>", start)]


async def test_a_search_column_shows_the_wire_stories_its_query_finds_and_follows_the_wire(
    runtime: Runtime,
    chief: tuple[httpx.AsyncClient, str],
    client: httpx.AsyncClient,
    editor: dict[str, str],
) -> None:
    web, token = chief
    added = await web.post(
        "/desk/setup/columns",
        data={"csrf_token": token, "name": "Cup watch", "query": "cup -football"},
    )
    assert added.status_code == 303, added.text
    await file_story(client, editor, headline="Cup final goes to extra time", categories=["Sport"])
    await file_story(client, editor, headline="Football cup draw made", categories=["Sport"])
    await file_story(client, editor, headline="Budget passes", categories=["Politics"])

    board = await web.get("/desk/", headers=PAGE)
    column = _search_column(board.text)
    assert "Cup watch" in column and "<code>cup -football</code>" in column
    assert "Cup final goes to extra time" in column
    assert "Football cup draw made" not in column and "Budget passes" not in column

    # The live page is told to look again when the wire grows; its fragment then has it.
    watch = DeskWatch(runtime.bus, runtime.desk, runtime.clock)
    await file_story(client, editor, headline="Cup holders knocked out", categories=["Sport"])
    assert await watch.changed(5.0)
    fragment = await web.get("/desk/board", headers=PAGE)
    assert "Cup holders knocked out" in _search_column(fragment.text)

    setup = await web.get("/desk/setup", headers=PAGE)
    assert "Cup watch: <code>cup -football</code>" in setup.text
    removed = await web.post(
        "/desk/setup/columns/remove", data={"csrf_token": token, "desk": "News", "position": "0"}
    )
    assert removed.status_code == 303
    assert 'class="column search"' not in (await web.get("/desk/", headers=PAGE)).text


async def test_a_search_column_needs_a_query_that_parses(
    runtime: Runtime, chief: tuple[httpx.AsyncClient, str]
) -> None:
    web, token = chief
    refused = await web.post(
        "/desk/setup/columns", data={"csrf_token": token, "name": "Broken", "query": "(cup"}
    )
    assert refused.status_code == 422
    assert await runtime.search_columns.of() == []


async def test_each_desk_has_its_own_search_columns(
    runtime: Runtime, chief: tuple[httpx.AsyncClient, str]
) -> None:
    web, token = chief
    await web.post("/desk/setup/desks", data={"csrf_token": token, "name": "Sport", "stages": "In"})
    await web.post(
        "/desk/setup/columns",
        data={"csrf_token": token, "desk": "Sport", "name": "Goals", "query": "goal"},
    )
    assert [column.name for column in await runtime.search_columns.of("Sport")] == ["Goals"]
    assert await runtime.search_columns.of() == []
    assert "Goals" in (await web.get("/desk/?desk=Sport", headers=PAGE)).text
    assert 'class="column search"' not in (await web.get("/desk/", headers=PAGE)).text


async def test_only_a_chief_changes_the_search_columns(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example", "Ed")
    refused = await web.post(
        "/desk/setup/columns", data={"csrf_token": token, "name": "X", "query": "x"}
    )
    assert refused.status_code == 403
    assert await runtime.search_columns.of() == []
