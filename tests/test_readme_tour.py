"""The README's tour, run as written against `newswire serve --demo`: it can never drift.

Every `sh` block of the tour (from "A five-minute tour" to "Running it") runs
in one bash, in order, with `set -euo pipefail` and curl failing on an HTTP
error. The only line replaced is the one with the placeholder keys, by the
keys the demo printed (kept beside its database); `NW` points at the test's
server. A marker between blocks lets each block's output be checked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newswire.cli.commands import settings_text
from newswire.demo.saved_keys import keys_path, load_keys
from newswire.settings import SETTINGS
from tests.processes import ServerProcess

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[1] / "README.md"
KEYS_LINE = "export ADMIN=nwa_...  EDITOR=nwe_...  SUB=nws_..."
MARKER = "@@ block done @@"
CEASEFIRE = (
    "Government and Highland Assembly agree to extend ceasefire by 90 days after Vienna talks"
)


def tour_blocks() -> list[str]:
    """Return the README tour's `sh` code blocks, in order."""
    text = README.read_text("utf-8")
    tour = text[text.index("## A five-minute tour") : text.index("## Running it")]
    return re.findall(r"^```sh\n(.*?)^```$", tour, flags=re.S | re.M)


def _script(blocks: list[str], keys: dict[str, str], url: str) -> str:
    assert KEYS_LINE in blocks[0], "the README's first tour block sets the keys"
    real = f"export ADMIN={keys['admin']} EDITOR={keys['editor']} SUB={keys['subscriber']}"
    first = blocks[0].replace(KEYS_LINE, real).replace("http://localhost:8000", url)
    prelude = 'set -euo pipefail\ncurl() { command curl --fail-with-body --show-error "$@"; }\n'
    body = f"\necho; echo '{MARKER}'\n".join([first, *blocks[1:]])
    return prelude + body + f"\necho; echo '{MARKER}'\n"


def _first_json(text: str) -> dict[str, object]:
    start = text.index("{")
    value, _ = json.JSONDecoder().raw_decode(text[start:])
    assert isinstance(value, dict)
    return value


def test_the_readme_tour_runs_as_written_and_its_search_finds_the_demo_story(
    tmp_path: Path,
) -> None:
    db = tmp_path / "tour.db"
    server = ServerProcess(f"sqlite:///{db}", tmp_path / "server.log", "--demo")
    server.wait_ready()
    try:
        keys = load_keys(keys_path(f"sqlite:///{db}"))
        work = tmp_path / "checkout"
        work.mkdir()
        (work / ".venv").symlink_to(Path(sys.executable).parent.parent)
        blocks = tour_blocks()
        result = subprocess.run(
            ["bash", "-c", _script(blocks, keys, server.url)],
            cwd=work,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "80"},
            timeout=120,
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    outputs = result.stdout.split(MARKER)[:-1]
    assert len(outputs) == len(blocks)
    by_block = dict(zip(blocks, outputs, strict=True))
    search = next(out for block, out in by_block.items() if "/v1/search " in block)
    found = _first_json(search)
    headlines = [hit["headline"] for hit in found["hits"]]  # type: ignore[union-attr]
    assert headlines == [CEASEFIRE], found
    filed = next(out for block, out in by_block.items() if "newswire story diff" in block)
    assert "every half hour" in filed and "NEWSWIRE_PORT=8000" in filed


def test_newswire_settings_cuts_nothing_off_in_a_plain_terminal() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "newswire", "settings"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", "TERM": "dumb"},
        timeout=60,
        check=True,
    ).stdout
    assert shown == settings_text()
    flat = " ".join(shown.split())
    for setting in SETTINGS:
        assert f"{setting.env_var}={setting.default!r}" in shown
        assert " ".join(setting.help.split()) in flat
    assert "…" not in shown
