"""Admin actions on a subscriber's access: suspend, resume, rotate its key, delete it.

Each takes effect everywhere at once: the key answers 401 from the next
request on, and the subscriber's live SSE and WebSocket connections are cut,
on this node at once and on every other node within
`NEWSWIRE_ACCESS_POLL_SECONDS` (`accounts/service.py`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from newswire.api.deps import AUTH_ERRORS, AdminDep, RuntimeDep
from newswire.api.shapes import CreatedKey, principal_json

router = APIRouter(prefix="/v1/subscribers", tags=["admin"], responses=AUTH_ERRORS)
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such subscriber (or it was deleted)"},
    409: {"description": "The subscriber's key was revoked"},
}


@router.post("/{subscriber_id}/suspend", responses=_ERRORS)
async def suspend_subscriber(
    subscriber_id: str, runtime: RuntimeDep, _admin: AdminDep
) -> dict[str, Any]:
    """Suspend a subscriber: its key answers 401 and its streams and webhooks stop until resumed."""
    return principal_json(await runtime.accounts.suspend(subscriber_id))


@router.post("/{subscriber_id}/resume", responses=_ERRORS)
async def resume_subscriber(
    subscriber_id: str, runtime: RuntimeDep, _admin: AdminDep
) -> dict[str, Any]:
    """Resume a suspended subscriber: the same key works again, webhooks carry on."""
    return principal_json(await runtime.accounts.resume(subscriber_id))


@router.post("/{subscriber_id}/rotate-key", response_model=CreatedKey, responses=_ERRORS)
async def rotate_subscriber_key(
    subscriber_id: str, runtime: RuntimeDep, _admin: AdminDep
) -> CreatedKey:
    """Issue a new key, shown only this once; the old key answers 401 from now on."""
    created = await runtime.accounts.rotate_key(subscriber_id)
    return CreatedKey(id=created.id, api_key=created.api_key)


@router.delete("/{subscriber_id}", status_code=204, responses=_ERRORS)
async def delete_subscriber(subscriber_id: str, runtime: RuntimeDep, _admin: AdminDep) -> None:
    """Delete a subscriber: its key, webhooks, cursors and saved searches go; usage stays."""
    await runtime.accounts.delete_subscriber(subscriber_id)
