"""`newswire tail` as a real process: one line per event, --json, resuming after a restart."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import ADMIN, bearer, file_story
from tests.servers import LocalServer

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@asynccontextmanager
async def tail(url: str, key: str, *options: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run `newswire tail` in a child process; kill it at the end."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "newswire",
        "tail",
        "--url",
        url,
        "--key",
        key,
        *options,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        process.kill()
        await process.wait()


async def lines(process: asyncio.subprocess.Process, count: int) -> list[str]:
    assert process.stdout is not None
    async with asyncio.timeout(30):
        return [(await process.stdout.readline()).decode().rstrip("\n") for _ in range(count)]


async def test_tail_prints_a_line_per_event_and_resumes_after_a_restart(
    settings: Settings,
) -> None:
    server = LocalServer(create_app(Runtime.from_settings(settings)))
    async with server, httpx.AsyncClient(base_url=server.url) as client:
        editor = bearer(
            (await client.post("/v1/editors", json={"name": "D"}, headers=ADMIN)).json()["api_key"]
        )
        key = (await client.post("/v1/subscribers", json={"name": "S"}, headers=ADMIN)).json()[
            "api_key"
        ]
        await file_story(
            client, editor, headline="Flash from the capital", urgency=1, categories=["World"]
        )
        await file_story(client, editor, headline="Routine budget note", categories=["Economy"])
        async with tail(server.url, key, "--after", "0") as following:
            first = await lines(following, 2)
            assert "flash" in first[0] and "World" in first[0]
            assert first[0].endswith("Flash from the capital")
            assert "routine" in first[1] and first[1].endswith("Routine budget note")

            await server.__aexit__(None, None, None)
            restarted = LocalServer(create_app(Runtime.from_settings(settings)), port=server.port)
            async with restarted:
                await file_story(client, editor, headline="Filed after the restart")
                (third,) = await lines(following, 1)
                assert third.endswith("Filed after the restart"), "no repeat, nothing missed"

                async with tail(server.url, key, "--after", "0", "--json") as as_json:
                    envelopes = [json.loads(line) for line in await lines(as_json, 3)]
                assert [e["seq"] for e in envelopes] == [1, 2, 3]
                assert envelopes[0]["item"]["headlines"][0]["value"] == "Flash from the capital"
