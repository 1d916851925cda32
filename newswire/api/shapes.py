"""The shapes several endpoints answer with, declared once (no endpoint imports another)."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from newswire.delivery.envelopes import story_json
from newswire.delivery.story_access import Download
from newswire.models.principals import Principal, Role
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


def download_response(download: Download) -> Response:
    """Answer with a rendered story version."""
    return Response(download.body, media_type=download.media_type)


def filed_response(filed: Filed, status: int) -> JSONResponse:
    """Answer an editor with the stored story, its version and its log position."""
    body = story_json(filed.story)
    body["seq"] = filed.event.seq
    body["event"] = filed.event.type.value
    headers = {"Location": f"/v1/stories/{filed.story.story_id}"}
    return JSONResponse(body, status_code=status, headers=headers)


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
