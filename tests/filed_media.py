"""Filing pictures and videos through the API (POST /v1/media) and reading the feed they reach."""

from __future__ import annotations

from typing import Any

import httpx

from tests.media_files import press_photo


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    data: bytes,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
    **fields: str,
) -> httpx.Response:
    """Post a file with its form fields to /v1/media; return the answer, whatever it is."""
    return await client.post(
        "/v1/media", files={"file": (filename, data, content_type)}, data=fields, headers=headers
    )


async def file_media(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    data: bytes | None = None,
    filename: str = "cranes.jpg",
    content_type: str = "image/jpeg",
    **fields: str,
) -> dict[str, Any]:
    """File a picture (the press photo unless `data` is given) or a video; return the media item."""
    response = await upload(
        client, headers, press_photo() if data is None else data, filename, content_type, **fields
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def feed_events(
    client: httpx.AsyncClient, headers: dict[str, str], after: int | str = 0, **params: str
) -> list[dict[str, Any]]:
    """Return one page of the feed's events after a cursor (`format`, `limit`... in params)."""
    response = await client.get("/v1/feed", params={"after": after, **params}, headers=headers)
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["events"]
    return events
