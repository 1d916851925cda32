"""Baseline servers for the HTTP benchmarks, each run as its own process.

* `bytes`: a bare Starlette app whose one route returns a fixed body of
  `--size` bytes, served by uvicorn exactly as `newswire serve` serves
  newswire (same event loop, same HTTP parser, one worker). The baseline of
  the pull feed.
* `newswire-static`: newswire itself, assembled by `create_app` as `serve`
  does, plus a Starlette `StaticFiles` mount at `/bench-static/` over
  `--static DIR`: the story page and a static file of the same size served
  by the same server process. The baseline of the public story page.
* `receiver`: a bare asyncio HTTP/1.1 server that answers every POST with 204
  and counts them, keeping the first and last arrival time
  (`harness.now()`); `GET /stats` returns them as JSON, `POST /reset` forgets.
  The receiving end of the webhook benchmark, for newswire and baseline alike.

Run: `python -m bench.servers bytes --port 8100 --size 40000`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bench import harness
from bench.harness import now, raise_file_limit, read_head, serve_connections


def _uvicorn(app: Any, port: int) -> None:
    # The options `newswire serve` gives uvicorn (newswire/cli.py).
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=5
    )
    uvicorn.Server(config).run()


def serve_bytes(port: int, size: int) -> None:
    """Serve `GET /bytes` (any query string) with a JSON body of `size` bytes."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    body = b'{"events":[],"next":"0","pad":"' + b"x" * max(0, size - 32) + b'"}'

    async def answer(_request: Request) -> Response:
        return Response(body, media_type="application/json")

    _uvicorn(Starlette(routes=[Route("/bytes", answer)]), port)


def serve_newswire_static(port: int, db: str, static: str) -> None:
    """Serve newswire as `newswire serve --no-jobs` does, plus StaticFiles at /bench-static/."""
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from newswire.app import create_app
    from newswire.runtime import Runtime
    from newswire.settings import Settings

    runtime = Runtime.from_settings(Settings.load(db=db, port=port), run_jobs=False)
    app = create_app(runtime)
    # First, so the public site's /{language}/... patterns cannot shadow it.
    app.router.routes.insert(0, Mount("/bench-static", StaticFiles(directory=static)))
    _uvicorn(app, port)


async def receive(port: int) -> None:
    """Answer POSTs with 204 and count them; GET /stats tells the count and arrival times."""
    stats: dict[str, Any] = {"count": 0, "first": None, "last": None}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head, headers = await read_head(reader)
            length = int(headers.get(b"content-length", b"0"))
            if length:
                await reader.readexactly(length)
            if head.startswith(b"POST /reset"):
                stats.update(count=0, first=None, last=None)
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
            elif head.startswith(b"POST"):
                arrived = now()
                stats["count"] += 1
                stats["first"] = stats["first"] or arrived
                stats["last"] = arrived
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
            else:
                body = json.dumps(stats).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: %d\r\n\r\n%s" % (len(body), body)
                )

    await serve_connections(port, handle)


@asynccontextmanager
async def newswire_static(
    tmp: str, static: Path, timeout: float
) -> AsyncIterator[tuple[str, httpx.AsyncClient, dict[str, str]]]:
    """Run `newswire-static` (a fresh database in `tmp`, `static` mounted) in a child process.

    Yields its base URL, an API client on it and the headers of an editor.
    """
    port = harness.free_port()
    arguments = ["bench.servers", "newswire-static", "--port", str(port)]
    arguments += ["--db", f"sqlite:///{tmp}/newswire.db", "--static", str(static)]
    base = f"http://127.0.0.1:{port}"
    async with (
        harness.python_process(*arguments, port=port),
        httpx.AsyncClient(base_url=base, timeout=timeout) as api,
    ):
        admin = {"Authorization": f"Bearer {harness.ADMIN_TOKEN}"}
        created = await api.post("/v1/editors", json={"name": "bench"}, headers=admin)
        yield base, api, {"Authorization": f"Bearer {created.json()['api_key']}"}


if __name__ == "__main__":
    from bench.harness import run_async

    options = argparse.ArgumentParser(description="Baseline servers for the benchmarks.")
    options.add_argument("kind", choices=["bytes", "newswire-static", "receiver"])
    options.add_argument("--port", type=int, required=True)
    options.add_argument("--size", type=int, default=0)
    options.add_argument("--db", default="")
    options.add_argument("--static", default="")
    arguments = options.parse_args()
    raise_file_limit()
    if arguments.kind == "bytes":
        serve_bytes(arguments.port, arguments.size)
    elif arguments.kind == "newswire-static":
        serve_newswire_static(arguments.port, arguments.db, arguments.static)
    else:
        run_async(lambda: receive(arguments.port))
