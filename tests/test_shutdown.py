"""Stopping the server ends open streams at once instead of waiting out the graceful timeout."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx
import pytest

from tests.conftest import bearer
from tests.processes import ServerProcess

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
ADMIN_TOKEN = "nwa_shutdown-test"


async def test_sigterm_ends_open_sse_streams_so_shutdown_is_not_held_up(tmp_path: Path) -> None:
    server = ServerProcess(
        f"sqlite:///{tmp_path / 'wire.db'}",
        tmp_path / "server.log",
        env={"NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN},
    )
    server.wait_ready()
    admin = bearer(ADMIN_TOKEN)
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        key = (await client.post("/v1/subscribers", json={"name": "s"}, headers=admin)).json()[
            "api_key"
        ]

        async def read_until_closed() -> bytes:
            async with client.stream("GET", "/v1/stream?after=0", headers=bearer(key)) as stream:
                return b"".join([chunk async for chunk in stream.aiter_bytes()])

        reading = asyncio.create_task(read_until_closed())
        await asyncio.sleep(0.5)
        server.process.send_signal(signal.SIGTERM)
        body = await asyncio.wait_for(reading, 20)
        code = await asyncio.to_thread(server.process.wait, 20)
    server.stop()
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert body.startswith(b"retry:"), "the stream was open"
    assert code in (0, -signal.SIGTERM), "uvicorn re-raises the signal once it has shut down"
    assert "timeout graceful shutdown exceeded" not in log, log
