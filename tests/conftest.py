"""Fixtures named after what they set up: a runtime on a real SQLite file, an ASGI client, keys."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from newswire.storage import open_storage
from tests.backends import Distributed, distributed_backend

# The browser fixtures (Chromium, the demo server) and the local SMTP server for every test
# module that asks for them;
# the tiers, the stop of left-over servers and the CI guard against silent skips (tests/tiers.py).
pytest_plugins = ["tests.browser", "tests.smtp", "tests.tiers", "tests.page_clients"]

ADMIN_TOKEN = "nwa_test-admin-token"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLE_STORY = SHARED / "samples" / "aa-2024-11-14-rutte-nato.txt"
WIKINEWS = SHARED / "samples" / "wikinews-en.jsonl"
STANDARDS = SHARED / "standards"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test when ../shared (samples and IPTC standards) is not beside the checkout."""
    return pytest.mark.skipif(
        not path.exists(), reason=f"{path} not found (../shared is not beside the checkout)"
    )


def wikinews_articles(limit: int | None = None) -> list[dict[str, Any]]:
    """Return Wikinews articles from ../shared/samples (CC BY 2.5, Wikinews contributors)."""
    articles = []
    with WIKINEWS.open(encoding="utf-8") as lines:
        for line in lines:
            articles.append(json.loads(line))
            if limit is not None and len(articles) >= limit:
                break
    return articles


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every migration applied, made once per worker.

    Each test starts from a copy: migrating a fresh file costs about 0.2 s, a
    copy a few milliseconds, and the runtime's own `migrate` then finds nothing
    to do. Tests of migrating itself make their own files.
    """
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def migrate() -> None:
        storage = open_storage(f"sqlite:///{path}")
        try:
            await storage.migrate()
        finally:
            await storage.close()

    asyncio.run(migrate())
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_sqlite: Path) -> Path:
    path = tmp_path / "newswire.db"
    shutil.copyfile(migrated_sqlite, path)
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[Distributed | None]:
    """Run the test on SQLite + the in-process bus, then on PostgreSQL + NATS JetStream."""
    if request.param == "sqlite":
        yield None
        return
    with distributed_backend() as urls:  # skips when the servers are not reachable
        yield urls


@pytest.fixture
def settings(db_path: Path, backend: Distributed | None) -> Settings:
    return Settings.load(
        environ={},
        db=backend.db if backend else f"sqlite:///{db_path}",
        bus=backend.bus if backend else None,
        admin_token=ADMIN_TOKEN,
        webhook_allow_private=True,
        max_request_bytes=256 * 1024,
    )


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    yield runtime
    await runtime.stop()


# FastAPI works out every route's parameters when an app serves its first request: about
# 0.3 s for newswire's routes, paid once per worker instead of once per test. An app holds
# its runtime only in `app.state.runtime` (tests/test_app_reuse.py), so the app is pointed
# at each test's runtime; it is keyed by the request-size limits its middleware was built
# with. Only for the clients of the test's one `runtime` fixture (`client`, and `app` in
# tests/page_clients.py) over httpx's ASGITransport, which runs no lifespan: a test's other
# runtimes, and served apps (uvicorn), get their own app from create_app.
_APPS: dict[tuple[int, int], FastAPI] = {}


def asgi_app(runtime: Runtime) -> FastAPI:
    """Return this worker's app for the runtime's request limits, serving that runtime."""
    key = (runtime.settings.max_request_bytes, runtime.settings.media_max_upload_bytes)
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(runtime)
    app.state.runtime = runtime
    return app


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=asgi_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://newswire.test") as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    """Return the Authorization header for a key."""
    return {"Authorization": f"Bearer {key}"}


ADMIN = bearer(ADMIN_TOKEN)


@pytest.fixture
async def editor(client: httpx.AsyncClient) -> dict[str, str]:
    """Headers of a freshly created editor."""
    response = await client.post("/v1/editors", json={"name": "Desk editor"}, headers=ADMIN)
    assert response.status_code == 201, response.text
    return bearer(response.json()["api_key"])


MakeSubscriber = Callable[..., Awaitable[dict[str, str]]]


@pytest.fixture
def make_subscriber(client: httpx.AsyncClient) -> MakeSubscriber:
    """Return a function creating a subscriber with entitlements; it returns its headers."""

    async def make(name: str = "Subscriber", **entitlements: Any) -> dict[str, str]:
        response = await client.post(
            "/v1/subscribers", json={"name": name, "entitlements": entitlements}, headers=ADMIN
        )
        assert response.status_code == 201, response.text
        return bearer(response.json()["api_key"])

    return make


def story_json(**fields: Any) -> dict[str, Any]:
    """Return a valid story as JSON, with fields overridden."""
    story: dict[str, Any] = {
        "headline": "Parliament approves budget after long debate",
        "summary": "",
        "body": "The parliament approved the budget on Tuesday.\n\nThe vote was 301 to 250.",
        "byline": "Desk reporter",
        "dateline": "ANKARA",
        "categories": ["Politics"],
        "urgency": 4,
        "language": "en",
    }
    story.update(fields)
    return story


async def file_story(
    client: httpx.AsyncClient, editor: dict[str, str], **fields: Any
) -> dict[str, Any]:
    """File a story through the API and return the response body."""
    response = await client.post("/v1/stories", json=story_json(**fields), headers=editor)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def read_all(
    client: httpx.AsyncClient, headers: dict[str, str], after: str = "", limit: int = 100
) -> tuple[list[dict[str, Any]], str]:
    """Follow the feed's `next` until a page is empty; return all events and the last cursor."""
    events: list[dict[str, Any]] = []
    cursor = after
    while True:
        response = await client.get(
            "/v1/feed", params={"after": cursor, "limit": limit}, headers=headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        events.extend(page["events"])
        if not page["events"]:
            return events, page["next"]
        cursor = page["next"]
