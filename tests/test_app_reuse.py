"""An app holds its runtime in one place, `app.state.runtime`: the test suite relies on it.

tests/conftest.py builds one app per worker and points it at each test's runtime
(FastAPI's per-app route analysis costs about 0.3 s). That is only sound while
nothing else in the app — routes, middleware, the lifespan, error handlers —
keeps the runtime it was built with.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newswire.app import create_app
from newswire.models.principals import Principal, Role
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import ADMIN, ADMIN_TOKEN

pytestmark = pytest.mark.anyio


def _runtime(path: Path) -> Runtime:
    return Runtime.from_settings(
        Settings.load(environ={}, db=f"sqlite:///{path}", admin_token=ADMIN_TOKEN)
    )


def _reachable(root: object) -> Iterator[object]:
    """Every object reachable from root through references (modules not followed)."""
    seen = {id(root)}
    todo = [root]
    while todo:
        item = todo.pop()
        yield item
        for child in gc.get_referents(item):
            if id(child) not in seen and not isinstance(child, type(gc)):
                seen.add(id(child))
                todo.append(child)


async def _editors(runtime: Runtime) -> list[Principal]:
    return await runtime.storage.principals.of_role(Role.EDITOR)


async def test_an_app_pointed_at_another_runtime_serves_that_runtime_only(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    shutil.copyfile(migrated_sqlite, tmp_path / "first.db")
    shutil.copyfile(migrated_sqlite, tmp_path / "second.db")
    first, second = _runtime(tmp_path / "first.db"), _runtime(tmp_path / "second.db")
    await first.start()
    await second.start()
    try:
        app = create_app(first)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            made = await client.post("/v1/editors", json={"name": "First"}, headers=ADMIN)
            assert made.status_code == 201, made.text
            app.state.runtime = second
            made = await client.post("/v1/editors", json={"name": "Second"}, headers=ADMIN)
            assert made.status_code == 201, made.text
        assert [editor.name for editor in await _editors(first)] == ["First"]
        assert [editor.name for editor in await _editors(second)] == ["Second"]
        # Routes, middleware (built by the first request), the lifespan: none keeps `first`.
        assert not any(item is first for item in _reachable(app))
    finally:
        await first.stop()
        await second.stop()
