"""Admin endpoints: create, list, change and revoke editors' and subscribers' keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from newswire.api.deps import AUTH_ERRORS, AdminDep, RuntimeDep
from newswire.api.shapes import CreatedKey, principal_json
from newswire.delivery.formats import DEFAULT_FORMAT
from newswire.models.principals import Entitlements, Role, SubscriberChange

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


class SubscriberPatch(BaseModel):
    """New entitlements, format or daily quota for an existing subscriber."""

    model_config = ConfigDict(extra="forbid")
    entitlements: Entitlements | None = None
    format: str | None = None
    daily_quota: DailyQuota = None  # given as null: unlimited from now on

    def change(self) -> SubscriberChange:
        """Return the change this patch asks for (a quota given as null means unlimited)."""
        return SubscriberChange(
            entitlements=self.entitlements,
            format=self.format,
            daily_quota=self.daily_quota,
            quota_changed="daily_quota" in self.model_fields_set,
        )


@router.post("/editors", status_code=201, response_model=CreatedKey)
async def create_editor(body: NewEditor, runtime: RuntimeDep, _admin: AdminDep) -> CreatedKey:
    """Create an editor; the response carries its key, shown only once."""
    created = await runtime.accounts.create_editor(body.name)
    return CreatedKey(id=created.id, api_key=created.api_key)


@router.post("/subscribers", status_code=201, response_model=CreatedKey)
async def create_subscriber(
    body: NewSubscriber, runtime: RuntimeDep, _admin: AdminDep
) -> CreatedKey:
    """Create a subscriber with its entitlements; the response carries its key, shown only once."""
    created = await runtime.accounts.create_subscriber(
        body.name, body.entitlements, body.format, body.daily_quota
    )
    return CreatedKey(id=created.id, api_key=created.api_key)


@router.get("/subscribers")
async def list_subscribers(runtime: RuntimeDep, _admin: AdminDep) -> dict[str, Any]:
    """List active subscribers with their entitlements."""
    subscribers = await runtime.accounts.of_role(Role.SUBSCRIBER)
    return {"subscribers": [principal_json(s) for s in subscribers]}


@router.get("/editors")
async def list_editors(runtime: RuntimeDep, _admin: AdminDep) -> dict[str, Any]:
    """List active editors."""
    editors = await runtime.accounts.of_role(Role.EDITOR)
    return {"editors": [principal_json(e) for e in editors]}


@router.patch(
    "/subscribers/{subscriber_id}", responses={404: {"description": "No such subscriber"}}
)
async def change_subscriber(
    subscriber_id: str, body: SubscriberPatch, runtime: RuntimeDep, _admin: AdminDep
) -> dict[str, Any]:
    """Change a subscriber's entitlements, preferred format or daily quota (null: unlimited)."""
    return principal_json(await runtime.accounts.change_subscriber(subscriber_id, body.change()))


@router.delete(
    "/keys/{principal_id}", status_code=204, responses={404: {"description": "No such key"}}
)
async def revoke_key(principal_id: str, runtime: RuntimeDep, _admin: AdminDep) -> None:
    """Revoke an editor's or subscriber's key; it answers 401 from then on, streams included."""
    await runtime.accounts.revoke_key(principal_id)
