"""Property-based: for any sequence of newsroom operations, every subscriber ends up right.

Hypothesis draws sequences of file / update / correct / embargo / lift / kill
operations; they go through the real API; then each subscriber's copy, built
from what the feed delivered, is checked against the agency's current state,
and the public site against the public portion.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import ADMIN, ADMIN_TOKEN, asgi_app, bearer, read_all, story_json

SECTIONS = ["Politics", "Sport", "World"]
LANGUAGES = ["en", "tr"]
SUBSCRIBERS: dict[str, dict[str, Any]] = {
    "everything": {},
    "politics": {"categories": ["Politics"]},
    "turkish": {"languages": ["tr"]},
    "urgent": {"max_urgency": 2},
    "embargo partner": {"embargoed": True},
    "english sport partner": {"categories": ["Sport"], "languages": ["en"], "embargoed": True},
}

story_fields = st.fixed_dictionaries(
    {
        "categories": st.lists(st.sampled_from(SECTIONS), min_size=1, max_size=2, unique=True),
        "language": st.sampled_from(LANGUAGES),
        "urgency": st.integers(1, 6),
        "public": st.booleans(),
    }
)
operation = st.one_of(
    st.tuples(st.just("file"), story_fields, st.booleans()),
    st.tuples(st.just("update"), st.integers(0, 5), story_fields),
    st.tuples(st.just("correct"), st.integers(0, 5), story_fields),
    st.tuples(st.just("lift"), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 5)),
    st.tuples(st.just("kill"), st.integers(0, 5)),
)


def _in_an_hour(hours: int = 1) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def _apply(client: httpx.AsyncClient, editor: dict[str, str], ops: list[tuple]) -> list[str]:
    ids: list[str] = []
    for op in ops:
        kind = op[0]
        if kind == "file":
            extra = {"embargoed_until": _in_an_hour()} if op[2] else {}
            response = await client.post(
                "/v1/stories", json=story_json(**op[1], **extra), headers=editor
            )
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
            continue
        if not ids:
            continue
        story_id = ids[op[1] % len(ids)]
        if kind == "update":
            response = await client.put(
                f"/v1/stories/{story_id}", json=story_json(**op[2]), headers=editor
            )
        elif kind == "correct":
            response = await client.post(
                f"/v1/stories/{story_id}/correct",
                json=story_json(**op[2], ednote="Corrects a detail."),
                headers=editor,
            )
        elif kind in ("lift", "move"):
            until = None if kind == "lift" else _in_an_hour(2)
            response = await client.post(
                f"/v1/stories/{story_id}/embargo", json={"embargoed_until": until}, headers=editor
            )
        else:
            response = await client.post(
                f"/v1/stories/{story_id}/kill", json={"reason": "Withdrawn."}, headers=editor
            )
        assert response.status_code in (200, 409), response.text
    return ids


def _matches(entitlements: dict[str, Any], story: Any) -> bool:
    if "categories" in entitlements and not set(entitlements["categories"]) & set(story.categories):
        return False
    if "languages" in entitlements and story.language not in entitlements["languages"]:
        return False
    return story.urgency <= entitlements.get("max_urgency", 9)


async def _check(runtime: Runtime, client: httpx.AsyncClient, ids: list[str], keys: dict) -> None:
    current = {story_id: await runtime.storage.stories.current(story_id) for story_id in ids}
    for name, entitlements in SUBSCRIBERS.items():
        events, _ = await read_all(client, keys[name], limit=7)
        copy: dict[str, dict[str, Any]] = {}
        for event in events:
            held = copy.get(event["story_id"])
            assert held is None or event["version"] > held["version"], "versions arrive in order"
            if not entitlements.get("embargoed"):
                assert event["item"]["pubstatus"] != "withheld", "nothing before its time"
            if held is None:
                assert event["type"] == "story.published", "first sight is a publish"
            copy[event["story_id"]] = {"version": event["version"], "item": event["item"]}
        for story_id, story in current.items():
            assert story is not None
            if story_id in copy:
                assert copy[story_id]["version"] == story.version, (
                    f"{name} holds v{copy[story_id]['version']} of a story at v{story.version}"
                )
                assert copy[story_id]["item"]["pubstatus"] == story.pubstatus.value
            elif not story.is_killed:
                visible_now = story.pubstatus.value == "usable" or entitlements.get("embargoed")
                assert not (visible_now and _matches(entitlements, story)), (
                    f"{name} is missing a story it is entitled to"
                )
    homes = {language: (await client.get(f"/{language}/")).text for language in LANGUAGES}
    for story in current.values():
        assert story is not None
        expected = story.public and story.pubstatus.value == "usable"
        listed = f"/stories/{story.slug}" in homes[story.language]
        assert listed == expected, f"public site wrong about {story.headline}: {story}"


async def _run(ops: list[tuple], directory: Path, migrated: Path) -> None:
    shutil.copyfile(migrated, directory / "wire.db")  # a fresh wire per example, migrated
    settings_ = Settings.load(
        environ={}, db=f"sqlite:///{directory / 'wire.db'}", admin_token=ADMIN_TOKEN
    )
    runtime = Runtime.from_settings(settings_)
    await runtime.start()
    try:
        transport = httpx.ASGITransport(app=asgi_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            editor = bearer(
                (await client.post("/v1/editors", json={"name": "e"}, headers=ADMIN)).json()[
                    "api_key"
                ]
            )
            keys = {}
            for name, entitlements in SUBSCRIBERS.items():
                created = await client.post(
                    "/v1/subscribers",
                    json={"name": name, "entitlements": entitlements},
                    headers=ADMIN,
                )
                keys[name] = bearer(created.json()["api_key"])
            ids = await _apply(client, editor, ops)
            await _check(runtime, client, ids, keys)
    finally:
        await runtime.stop()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=14))
def test_every_subscriber_ends_with_the_agencys_current_state(
    ops: list[tuple], tmp_path_factory: Any, migrated_sqlite: Path
) -> None:
    asyncio.run(_run(ops, tmp_path_factory.mktemp("wire"), migrated_sqlite))
