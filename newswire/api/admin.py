"""Admin endpoints: create and revoke editors' and subscribers' keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from newswire.accounts.keys import hash_key, new_key
from newswire.api.deps import AUTH_ERRORS, AdminDep, RuntimeDep
from newswire.api.errors import APIError
from newswire.delivery.formats import DEFAULT_FORMAT, get_format
from newswire.models.principals import Entitlements, Principal, PrincipalStatus, Role

router = APIRouter(prefix="/v1", tags=["admin"], responses=AUTH_ERRORS)


class NewEditor(BaseModel):
    """An editor to create."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=200)


DailyQuota = Annotated[
    int | None,
    Field(
        ge=0,
        le=10_000_000,
        description="Full story versions it may download per UTC day; null for unlimited",
    ),
]


class NewSubscriber(BaseModel):
    """A subscriber to create, with what it is entitled to and its preferred format."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=200)
    entitlements: Entitlements = Field(default_factory=Entitlements)
    format: str = Field(DEFAULT_FORMAT, description="ninjs2, ninjs3, newsml-g2, nitf or text")
    daily_quota: DailyQuota = None


class SubscriberChange(BaseModel):
    """New entitlements, format or daily quota for an existing subscriber."""

    model_config = ConfigDict(extra="forbid")
    entitlements: Entitlements | None = None
    format: str | None = None
    daily_quota: DailyQuota = None  # given as null: unlimited from now on


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


def _check_format(name: str) -> None:
    try:
        get_format(name)
    except ValueError as error:
        raise APIError(422, str(error), "format") from error


@router.post("/editors", status_code=201, response_model=CreatedKey)
async def create_editor(body: NewEditor, runtime: RuntimeDep, _admin: AdminDep) -> CreatedKey:
    """Create an editor; the response carries its key, shown only once."""
    key = new_key(Role.EDITOR)
    editor = await runtime.storage.create_principal(
        Role.EDITOR, body.name, hash_key(key), Entitlements(), DEFAULT_FORMAT
    )
    return CreatedKey(id=editor.id, api_key=key)


@router.post("/subscribers", status_code=201, response_model=CreatedKey)
async def create_subscriber(
    body: NewSubscriber, runtime: RuntimeDep, _admin: AdminDep
) -> CreatedKey:
    """Create a subscriber with its entitlements; the response carries its key, shown only once."""
    _check_format(body.format)
    key = new_key(Role.SUBSCRIBER)
    subscriber = await runtime.storage.create_principal(
        Role.SUBSCRIBER, body.name, hash_key(key), body.entitlements, body.format, body.daily_quota
    )
    return CreatedKey(id=subscriber.id, api_key=key)


@router.get("/subscribers")
async def list_subscribers(runtime: RuntimeDep, _admin: AdminDep) -> dict[str, Any]:
    """List active subscribers with their entitlements."""
    subscribers = await runtime.storage.list_principals(Role.SUBSCRIBER)
    return {"subscribers": [principal_json(s) for s in subscribers]}


@router.get("/editors")
async def list_editors(runtime: RuntimeDep, _admin: AdminDep) -> dict[str, Any]:
    """List active editors."""
    editors = await runtime.storage.list_principals(Role.EDITOR)
    return {"editors": [principal_json(e) for e in editors]}


@router.patch(
    "/subscribers/{subscriber_id}", responses={404: {"description": "No such subscriber"}}
)
async def change_subscriber(
    subscriber_id: str, body: SubscriberChange, runtime: RuntimeDep, _admin: AdminDep
) -> dict[str, Any]:
    """Change a subscriber's entitlements, preferred format or daily quota (null: unlimited)."""
    if body.format is not None:
        _check_format(body.format)
    existing = await runtime.storage.principal_by_id(subscriber_id)
    deleted = existing is not None and existing.status is PrincipalStatus.DELETED
    if existing is None or existing.role is not Role.SUBSCRIBER or deleted:
        raise APIError(404, f"no subscriber {subscriber_id}", "id")
    if "daily_quota" in body.model_fields_set:
        await runtime.storage.set_daily_quota(subscriber_id, body.daily_quota)
        runtime.quotas.forget(subscriber_id)
    updated = await runtime.storage.update_principal(subscriber_id, body.entitlements, body.format)
    assert updated is not None
    runtime.access.forget(subscriber_id)  # its next request sees the change
    return principal_json(updated)


@router.delete(
    "/keys/{principal_id}", status_code=204, responses={404: {"description": "No such key"}}
)
async def revoke_key(principal_id: str, runtime: RuntimeDep, _admin: AdminDep) -> None:
    """Revoke an editor's or subscriber's key; it answers 401 from then on, streams included."""
    if not await runtime.storage.revoke_principal(principal_id):
        raise APIError(404, f"no active key with id {principal_id}", "id")
    runtime.access.cut(principal_id)  # this node's streams now; other nodes' within a poll
