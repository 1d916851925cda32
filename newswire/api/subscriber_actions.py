"""Admin actions on a subscriber's access: suspend, resume, rotate its key, delete it.

Each takes effect everywhere at once: the key answers 401 from the next
request on, and the subscriber's live SSE and WebSocket connections are cut,
on this node at once and on every other node within
`NEWSWIRE_ACCESS_POLL_SECONDS` (`access.py`). Webhook delivery stops while a
subscriber is suspended and carries on where it stopped when it is resumed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from newswire.accounts.keys import hash_key, new_key
from newswire.api.admin import CreatedKey, principal_json
from newswire.api.deps import AUTH_ERRORS, AdminDep, RuntimeDep
from newswire.api.errors import APIError
from newswire.models.principals import Principal, PrincipalStatus, Role
from newswire.runtime import Runtime

router = APIRouter(prefix="/v1/subscribers", tags=["admin"], responses=AUTH_ERRORS)
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such subscriber (or it was deleted)"},
    409: {"description": "The subscriber's key was revoked"},
}


async def _subscriber(runtime: Runtime, subscriber_id: str) -> Principal:
    """Return an undeleted subscriber, or answer 404."""
    found = await runtime.storage.principal_by_id(subscriber_id)
    deleted = found is not None and found.status is PrincipalStatus.DELETED
    if found is None or found.role is not Role.SUBSCRIBER or deleted:
        raise APIError(404, f"no subscriber {subscriber_id}", "id")
    return found


def _not_revoked(subscriber: Principal) -> None:
    if subscriber.status is PrincipalStatus.REVOKED:
        raise APIError(409, f"the key of subscriber {subscriber.id} was revoked", "id")


async def _described(runtime: Runtime, subscriber_id: str) -> dict[str, Any]:
    return principal_json(await _subscriber(runtime, subscriber_id))


@router.post("/{subscriber_id}/suspend", responses=_ERRORS)
async def suspend_subscriber(
    subscriber_id: str, runtime: RuntimeDep, _admin: AdminDep
) -> dict[str, Any]:
    """Suspend a subscriber: its key answers 401 and its streams and webhooks stop until resumed."""
    _not_revoked(await _subscriber(runtime, subscriber_id))
    await runtime.storage.suspend_principal(subscriber_id)  # already suspended: nothing changes
    runtime.access.cut(subscriber_id)
    return await _described(runtime, subscriber_id)


@router.post("/{subscriber_id}/resume", responses=_ERRORS)
async def resume_subscriber(
    subscriber_id: str, runtime: RuntimeDep, _admin: AdminDep
) -> dict[str, Any]:
    """Resume a suspended subscriber: the same key works again, webhooks carry on."""
    _not_revoked(await _subscriber(runtime, subscriber_id))
    await runtime.storage.resume_principal(subscriber_id)  # not suspended: nothing changes
    return await _described(runtime, subscriber_id)


@router.post("/{subscriber_id}/rotate-key", response_model=CreatedKey, responses=_ERRORS)
async def rotate_subscriber_key(
    subscriber_id: str, runtime: RuntimeDep, _admin: AdminDep
) -> CreatedKey:
    """Issue a new key, shown only this once; the old key answers 401 from now on."""
    _not_revoked(await _subscriber(runtime, subscriber_id))
    key = new_key(Role.SUBSCRIBER)
    if not await runtime.storage.replace_principal_key(subscriber_id, hash_key(key)):
        raise APIError(404, f"no subscriber {subscriber_id}", "id")  # deleted meanwhile
    runtime.access.cut(subscriber_id)  # streams opened with the old key
    return CreatedKey(id=subscriber_id, api_key=key)


@router.delete("/{subscriber_id}", status_code=204, responses=_ERRORS)
async def delete_subscriber(subscriber_id: str, runtime: RuntimeDep, _admin: AdminDep) -> None:
    """Delete a subscriber: its key, webhooks, cursors and saved searches go; usage stays."""
    await _subscriber(runtime, subscriber_id)
    if not await runtime.storage.delete_subscriber(subscriber_id):
        raise APIError(404, f"no subscriber {subscriber_id}", "id")
    runtime.access.cut(subscriber_id)
    runtime.usage.forget(subscriber_id)
    runtime.quotas.forget(subscriber_id)
