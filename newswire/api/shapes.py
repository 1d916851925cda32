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
