"""Changing the site's rules and re-projecting applies them to stories already filed."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import file_story

pytestmark = pytest.mark.anyio


async def test_reprojection_applies_new_public_rules_to_existing_stories(
    client: httpx.AsyncClient, editor: dict[str, str], settings: Settings
) -> None:
    sport = await file_story(client, editor, headline="Derby ends level", categories=["Sport"])
    flash = await file_story(
        client, editor, headline="Flash public item", urgency=1, public=True, categories=["World"]
    )
    home = (await client.get("/en/")).text
    assert sport["slug"] not in home and flash["slug"] in home

    changed = settings.replace(public_sections=("Sport",), public_hidden_urgencies=(1,))
    runtime = Runtime.from_settings(changed)
    await runtime.start()
    try:
        assert await runtime.newsroom.reproject_public_portion() == 2
        transport = httpx.ASGITransport(app=create_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as site:
            home = (await site.get("/en/")).text
    finally:
        await runtime.stop()
    assert sport["slug"] in home, "an always-public section now shows its stories"
    assert flash["slug"] not in home, "a hidden urgency now keeps the flash off the site"


def test_reproject_command_reports_how_many_stories_it_rebuilt(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newswire", "reproject", "--db", f"sqlite:///{tmp_path / 'w.db'}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "public portion rebuilt for 0 stories" in result.stdout
