"""`newswire story ...` drives every newsroom operation against a real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import SAMPLE_STORY, story_json
from tests.processes import ServerProcess

pytestmark = pytest.mark.slow
ADMIN_TOKEN = "nwa_cli-test-token"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(
        f"sqlite:///{tmp_path / 'cli.db'}",
        tmp_path / "server.log",
        env={"NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN},
    )
    process.wait_ready()
    yield process
    process.stop()


def cli(server: ServerProcess, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSWIRE_URL": server.url, "NEWSWIRE_KEY": key, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "newswire", "story", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def answer(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_every_newsroom_operation_works_from_the_command_line(
    server: ServerProcess, tmp_path: Path
) -> None:
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    key = httpx.post(f"{server.url}/v1/editors", json={"name": "CLI"}, headers=admin).json()[
        "api_key"
    ]
    story_file = tmp_path / "story.json"
    story_file.write_text(json.dumps(story_json(body="One.\n\nTwo.")))
    filed = answer(cli(server, key, "file", str(story_file), "--public"))
    story_id = filed["id"]
    assert filed["version"] == 1 and filed["event"] == "story.published"

    story_file.write_text(json.dumps(story_json(headline="Second take", body="One.\n\nThree.")))
    assert answer(cli(server, key, "update", story_id, str(story_file)))["version"] == 2
    corrected = answer(cli(server, key, "correct", story_id, str(story_file), "--note", "Typo."))
    assert corrected["event"] == "story.corrected"

    diff = cli(server, key, "diff", story_id, "1", "2")
    assert diff.returncode == 0 and "Second take" in diff.stdout and "+Three." in diff.stdout
    versions = answer(cli(server, key, "versions", story_id))["versions"]
    assert [v["change"] for v in versions] == [
        "story.published",
        "story.updated",
        "story.corrected",
    ]
    text = cli(server, key, "show", story_id, "--format", "text")
    assert text.returncode == 0 and "SECOND TAKE" in text.stdout.upper()

    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    story_file.write_text(json.dumps(story_json(embargoed_until=until)))
    embargoed = answer(cli(server, key, "file", str(story_file)))
    assert embargoed["pubstatus"] == "withheld"
    later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    moved = answer(cli(server, key, "embargo", embargoed["id"], "--until", later))
    assert moved["event"] == "story.embargo_changed"
    lifted = answer(cli(server, key, "embargo", embargoed["id"], "--lift"))
    assert lifted["event"] == "story.released" and lifted["pubstatus"] == "usable"

    killed = answer(cli(server, key, "kill", story_id, "--reason", "Legal."))
    assert killed["pubstatus"] == "canceled"
    again = cli(server, key, "kill", story_id, "--reason", "Again.")
    assert again.returncode == 1 and "409" in again.stdout

    if SAMPLE_STORY.exists():
        sample = answer(cli(server, key, "file", str(SAMPLE_STORY)))
        assert sample["headline"] == "Rutte calls for stronger US-NATO alliance"
