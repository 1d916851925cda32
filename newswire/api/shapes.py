"""The shapes several endpoints answer with, declared once (no endpoint imports another)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from newswire.api.params import Reading
from newswire.delivery.envelopes import story_json
from newswire.delivery.feed import Feed
from newswire.delivery.story_access import StoryAccess
from newswire.models.principals import Principal, Role
from newswire.models.stories import Event
from newswire.newsroom.filing import Filed


class CreatedKey(BaseModel):
    """A new principal's id and its key; the key is shown only this once."""

    id: str
    api_key: str


def principal_json(principal: Principal) -> dict[str, Any]:
    """Return the public description of a principal (never its key)."""
    body: dict[str, Any] = {
        "id": principal.id,
        "role": principal.role.value,
        "name": principal.name,
        "status": principal.status.value,
    }
    if principal.role is Role.SUBSCRIBER:
        body["entitlements"] = principal.entitlements.model_dump()
        body["format"] = principal.format
        body["daily_quota"] = principal.daily_quota
    return body


async def story_download(
    access: StoryAccess, reading: Reading, story_id: str, version: int | None
) -> Response:
    """Answer with a version of a story (None: the current one) in the format asked for."""
    found = await access.download_version(reading.principal, story_id, version, reading.format)
    return Response(found.body, media_type=found.media_type)


async def atom_response(
    feed: Feed,
    principal: Principal,
    limit: int,
    request: Request,
    headers: dict[str, str] | None = None,
) -> Response:
    """Answer with a subscriber's Atom feed; its self link is the URL it was asked at."""
    body = await feed.atom(principal, limit, str(request.url))
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers=headers)


def filed_answer(body: dict[str, Any], event: Event, location: str, status: int) -> JSONResponse:
    """Answer an editor with what was stored, its log position, and where to read it."""
    body["seq"] = event.seq
    body["event"] = event.type.value
    return JSONResponse(body, status_code=status, headers={"Location": location})


def filed_response(filed: Filed, status: int) -> JSONResponse:
    """Answer an editor with the stored story, its version and its log position."""
    return filed_answer(
        story_json(filed.story), filed.event, f"/v1/stories/{filed.story.story_id}", status
    )


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Return a model's JSON schema with its `$defs` inlined, for an OpenAPI `requestBody`.

    Pydantic points nested models at `#/$defs/...`, which inside the OpenAPI
    document would name a path of the document itself; inlined, they resolve.
    """
    schema = model.model_json_schema()
    definitions: dict[str, Any] = schema.pop("$defs", {})

    def resolved(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return resolved(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolved(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolved(item) for item in node]
        return node

    inlined: dict[str, Any] = resolved(schema)
    return inlined
