"""Stories for the public site's tests: filed through the API, shown on the site."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import file_story


async def publish(
    client: httpx.AsyncClient, editor: dict[str, str], **fields: Any
) -> dict[str, Any]:
    """File a story the public site shows (public unless `fields` say otherwise)."""
    return await file_story(client, editor, **{"public": True, **fields})
