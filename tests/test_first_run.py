"""`make run` twice on one database: the same admin token and keys, no second copy of the demo.

The unit of the promise is the newcomer's: they paste the printed keys into
a shell, stop the server, start it again, and the keys still work.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newswire.accounts.keys import hash_key
from newswire.demo.loader import prepare_demo
from newswire.demo.saved_keys import keys_path
from newswire.models.principals import Role
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.people import cheap
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[1]


async def _counts(settings: Settings) -> dict[str, int]:
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    try:
        storage = runtime.storage
        return {
            "log": await storage.log.last_seq(),
            "editors": len(await storage.principals.of_role(Role.EDITOR)),
            "demo editors": sum(
                p.name == "Demo editor" for p in await storage.principals.of_role(Role.EDITOR)
            ),
            "subscribers": len(await storage.principals.of_role(Role.SUBSCRIBER)),
            "stories": len(await storage.stories.ids()),
        }
    finally:
        await runtime.stop()


@pytest.mark.anyio
async def test_seeding_the_demo_twice_keeps_the_keys_token_and_counts(tmp_path: Path) -> None:
    settings = cheap(Settings.load(environ={}, db=f"sqlite:///{tmp_path / 'demo.db'}"))
    first = await prepare_demo(settings)
    counts = await _counts(settings)
    second = await prepare_demo(settings)
    assert second == first
    assert await _counts(settings) == counts
    assert counts["stories"] > 0 and counts["demo editors"] == 1
    assert first.admin_token.startswith("nwa_")
    assert first.saved_in == tmp_path / "demo.db.demo-keys.json"
    assert first.saved_in.stat().st_mode & 0o077 == 0  # the owner's only


@pytest.mark.anyio
async def test_a_lost_keys_file_gives_the_same_demo_principals_new_keys(tmp_path: Path) -> None:
    settings = cheap(Settings.load(environ={}, db=f"sqlite:///{tmp_path / 'demo.db'}"))
    first = await prepare_demo(settings)
    counts = await _counts(settings)
    path = keys_path(settings.db)
    assert path is not None
    path.unlink()
    second = await prepare_demo(settings)
    assert second.editor != first.editor and second.admin_token != first.admin_token
    assert await _counts(settings) == counts
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    try:
        principals = runtime.storage.principals
        assert await principals.with_key_hash(hash_key(first.editor)) is None
        assert await principals.with_key_hash(hash_key(second.editor)) is not None
    finally:
        await runtime.stop()


@pytest.mark.anyio
async def test_an_admin_token_from_the_environment_wins_and_is_never_written(
    tmp_path: Path,
) -> None:
    plain = cheap(Settings.load(environ={}, db=f"sqlite:///{tmp_path / 'demo.db'}"))
    generated = await prepare_demo(plain)
    given = await prepare_demo(plain.replace(admin_token="nwa_operator-token"))
    assert given.admin_token == "nwa_operator-token"
    assert given.saved_in is not None
    assert "nwa_operator-token" not in given.saved_in.read_text()
    assert (await prepare_demo(plain)).admin_token == generated.admin_token


def _make_run(venv: Path, port: int, db: Path) -> subprocess.Popen[str]:
    """Start the real `make run` (install steps marked done) on a port and database."""
    arguments = ["make", "-C", str(ROOT), f"VENV={venv}", "-o", f"{venv}/.installed"]
    arguments += ["-o", f"{venv}/bin/python", "run", f"PORT={port}"]
    environment = {**os.environ, "NEWSWIRE_DB": f"sqlite:///{db}", "COLUMNS": "80"}
    environment.pop("NEWSWIRE_ADMIN_TOKEN", None)
    return subprocess.Popen(
        arguments,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
        start_new_session=True,  # so the whole group (make, newswire) can be stopped
    )


def _serve_once(venv: Path, db: Path) -> tuple[str, int]:
    """Run `make run` until it answers; return what it printed and how many subscribers it has."""
    port = free_port()
    process = _make_run(venv, port, db)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        token = json.loads((db.parent / "newswire.db.demo-keys.json").read_text())["admin"]
        listed = httpx.get(f"{url}/v1/subscribers", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200, listed.text
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    token = re.search(r"admin token:\s+(nwa_\S+)", output)
    assert token, output
    assert f"http://127.0.0.1:{port}/docs" in output, output
    assert "bin/newswire story file story.json" in output, output
    assert re.search(r"export ADMIN=nwa_\S+ EDITOR=nwe_\S+ SUB=nws_\S+ NW=http", output), output
    return output, len(listed.json())


@pytest.mark.slow
def test_make_run_twice_on_one_database_prints_the_same_working_token(tmp_path: Path) -> None:
    venv = Path(sys.executable).parent.parent
    db = tmp_path / "newswire.db"
    first, subscribers = _serve_once(venv, db)
    second, subscribers_again = _serve_once(venv, db)
    assert subscribers_again == subscribers > 0

    def printed(output: str, label: str) -> str:
        found = re.search(rf"{label}:\s+(nw\w_\S+)", output)
        assert found, output
        return found.group(1)

    for label in ("admin token", "demo editor key", "demo subscriber key"):
        assert printed(first, label) == printed(second, label)
    assert "==> starting newswire" in first
    token = printed(second, "admin token")
    assert token in (db.parent / "newswire.db.demo-keys.json").read_text()
