"""`newswire tail`: follow the wire over SSE, one line per event, resuming by itself.

The client keeps the id of the last event it printed and reconnects with
`Last-Event-ID` after any interruption (server restart, network, overflow),
so it prints every event once, in order.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from newswire.models.stories import urgency_name

# Seconds between reconnection attempts: doubled after each failure, up to the cap.
FIRST_BACKOFF = 0.5
MAX_BACKOFF = 30.0
# The events that end a stream for good: reconnecting would only be refused.
ENDINGS = ("access_revoked", "quota_exhausted")


class TailError(Exception):
    """A problem reconnecting will not fix (such as a refused key)."""


async def sse_events(lines: AsyncIterator[str]) -> AsyncIterator[dict[str, str]]:
    """Yield {id, event, data} for each event in a stream of SSE lines; skip comments."""
    fields: dict[str, str] = {}
    async for line in lines:
        if line == "":
            if "data" in fields:
                yield fields
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            fields[name] = (
                fields[name] + "\n" + value if name == "data" and name in fields else value
            )
    if "data" in fields:
        yield fields


def headline(item: Any) -> str:
    """Return the main headline of a ninjs item (or the start of a non-JSON item)."""
    if isinstance(item, dict):
        for entry in item.get("headlines", []):
            if entry.get("role", "main") == "main":
                return str(entry.get("value", ""))
    return str(item)[:80]


def event_line(envelope: dict[str, Any]) -> str:
    """Return one human line for an event: time, urgency, section, headline."""
    section = (envelope.get("categories") or ["-"])[0]
    kind = envelope["type"].removeprefix("story.")
    return (
        f"{envelope['created_at']}  {urgency_name(int(envelope['urgency'])):<9}  "
        f"{section:<12}  {headline(envelope.get('item'))}"
        + ("" if kind == "published" else f"  [{kind}]")
    )


async def follow(
    url: str,
    key: str,
    after: str | None,
    emit: Callable[[dict[str, Any]], None],
    format_name: str | None = None,
) -> None:
    """Stream events to `emit` forever, reconnecting and resuming after the last one seen."""
    cursor = after
    backoff = FIRST_BACKOFF
    params = {"format": format_name} if format_name else {}
    stream_url = url.rstrip("/") + "/v1/stream"
    timeout = httpx.Timeout(10.0, read=None)
    async with httpx.AsyncClient(timeout=timeout) as client:
        while True:
            headers = {"Authorization": f"Bearer {key}", "Accept": "text/event-stream"}
            if cursor is not None:
                headers["Last-Event-ID"] = cursor
            try:
                async with client.stream(
                    "GET", stream_url, headers=headers, params=params
                ) as response:
                    if response.status_code in (401, 403, 400, 406, 429):
                        body = (await response.aread()).decode(errors="replace")
                        raise TailError(f"HTTP {response.status_code}: {body}")
                    response.raise_for_status()
                    backoff = FIRST_BACKOFF
                    async for event in sse_events(response.aiter_lines()):
                        if event.get("event") in ENDINGS:  # access_revoked, quota_exhausted
                            error = json.loads(event["data"]).get("error", {})
                            raise TailError(f"{event['event']}: {error.get('message', '')}")
                        emit(json.loads(event["data"]))
                        cursor = event.get("id", cursor)
            except (httpx.HTTPError, OSError):
                pass
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)


async def run_tail(url: str, key: str, after: str | None, as_json: bool) -> None:
    """Print the wire: one line per event, or one JSON envelope per line with as_json."""

    def emit(envelope: dict[str, Any]) -> None:
        if as_json:
            print(json.dumps(envelope, ensure_ascii=False), flush=True)
        else:
            print(event_line(envelope), flush=True)

    # Lines need the headline, which ninjs carries as JSON; --json keeps the subscriber's format.
    await follow(url, key, after, emit, None if as_json else "ninjs2")
