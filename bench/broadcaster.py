"""The baseline of the streaming benchmarks: a bare asyncio SSE broadcaster.

It keeps the open streams in a set and, when told to publish, writes one
frame to each: no storage, no entitlement, no per-connection reader or task,
no ASGI. It is the floor a Python server on the same event loop (uvloop, as
uvicorn uses) can reach. `POST /publish` with the event's JSON as the body
broadcasts `id: N / event: story.published / data: BODY` (N counts from 1)
and answers N;
`GET /ws` answers a WebSocket handshake and then holds the connection, for
the memory benchmark.

Run: `python -m bench.broadcaster --port 8100`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib

from bench.harness import read_head, serve_connections

_WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC11B65"


async def serve(port: int) -> None:
    """Serve SSE streams, WebSocket handshakes and publish requests until killed."""
    streams: set[asyncio.StreamWriter] = set()
    published = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal published
        while True:
            head, headers = await read_head(reader)
            if head.startswith(b"POST /publish"):
                body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
                published += 1
                frame = b"id: %d\nevent: story.published\ndata: %s\n\n" % (published, body)
                for stream in streams:
                    stream.write(frame)
                answer = b"%d" % published
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(answer))
                writer.write(answer)
                continue
            if head.startswith(b"GET /ws"):
                accept = base64.b64encode(
                    hashlib.sha1(headers[b"sec-websocket-key"] + _WS_GUID).digest()
                )
                writer.write(
                    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
                )
            else:
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\nretry: 2000\n\n"
                )
                streams.add(writer)
            try:
                await reader.read()  # until the client leaves
            finally:
                streams.discard(writer)
            return

    await serve_connections(port, handle)


if __name__ == "__main__":
    from bench.harness import raise_file_limit, run_async

    options = argparse.ArgumentParser(description="A bare asyncio SSE broadcaster.")
    options.add_argument("--port", type=int, required=True)
    port = options.parse_args().port
    raise_file_limit()
    run_async(lambda: serve(port))
