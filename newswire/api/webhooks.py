"""Webhook endpoints API: subscribers register URLs, rotate secrets, see and replay deliveries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from newswire.api.deps import AUTH_ERRORS, RuntimeDep, SubscriberDep
from newswire.delivery.envelopes import iso
from newswire.models.webhooks import DeliveryAttempt, WebhookEndpoint

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=AUTH_ERRORS)
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such endpoint of yours"}}


class NewEndpoint(BaseModel):
    """A URL to deliver the wire to."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    url: str = Field(min_length=1, max_length=2000, description="http(s) URL of the receiver")
    description: str = Field("", max_length=500)


class Replay(BaseModel):
    """Where in the log to re-send from."""

    model_config = ConfigDict(extra="forbid")
    after: str = Field(description="Cursor: deliveries restart with the first event after it")


def endpoint_json(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """Return the public description of an endpoint (never its secrets)."""
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "description": endpoint.description,
        "status": endpoint.status.value,
        "status_reason": endpoint.status_reason,
        "cursor": str(endpoint.cursor),
        "failed_attempts": endpoint.attempt,
        "next_attempt_at": iso(endpoint.next_attempt_at),
        "previous_secret_valid_until": (
            iso(endpoint.previous_secret_until) if endpoint.previous_secret_until else None
        ),
        "created_at": iso(endpoint.created_at),
    }


def attempt_json(attempt: DeliveryAttempt) -> dict[str, Any]:
    """Return one delivery attempt as JSON."""
    return {
        "event": attempt.webhook_id,
        "seq": attempt.seq,
        "cursor": str(attempt.seq),
        "type": attempt.event_type,
        "attempt": attempt.attempt,
        "status_code": attempt.status_code,
        "succeeded": attempt.succeeded,
        "latency_ms": attempt.latency_ms,
        "error": attempt.error,
        "created_at": iso(attempt.created_at),
    }


@router.post("", status_code=201, responses={422: {"description": "Invalid or unsafe URL"}})
async def create_endpoint(
    body: NewEndpoint, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Register a URL; deliveries start with the next event. The secret is shown only here."""
    made = await runtime.webhooks.register(principal, body.url, body.description)
    return {**endpoint_json(made.endpoint), "secret": made.secret}


@router.get("")
async def list_endpoints(runtime: RuntimeDep, principal: SubscriberDep) -> dict[str, Any]:
    """List your endpoints with their delivery state."""
    endpoints = await runtime.webhooks.of(principal)
    return {"webhooks": [endpoint_json(endpoint) for endpoint in endpoints]}


@router.get("/{endpoint_id}", responses=_NOT_FOUND)
async def show_endpoint(
    endpoint_id: str, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Show one endpoint's delivery state."""
    return endpoint_json(await runtime.webhooks.owned(principal, endpoint_id))


@router.delete("/{endpoint_id}", status_code=204, responses=_NOT_FOUND)
async def delete_endpoint(endpoint_id: str, runtime: RuntimeDep, principal: SubscriberDep) -> None:
    """Stop delivering to an endpoint and forget it and its attempts."""
    await runtime.webhooks.delete(principal, endpoint_id)


@router.post("/{endpoint_id}/enable", responses=_NOT_FOUND)
async def enable_endpoint(
    endpoint_id: str, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Resume a failing or disabled endpoint from where it stopped (nothing was skipped)."""
    return endpoint_json(await runtime.webhooks.enable(principal, endpoint_id))


@router.post("/{endpoint_id}/replay", responses=_NOT_FOUND)
async def replay_endpoint(
    endpoint_id: str, body: Replay, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Re-send every event after a cursor, in order (and resume a paused endpoint)."""
    return endpoint_json(await runtime.webhooks.replay(principal, endpoint_id, body.after))


@router.post("/{endpoint_id}/rotate-secret", responses=_NOT_FOUND)
async def rotate_secret(
    endpoint_id: str, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Issue a new signing secret; the old one also signs for the grace period."""
    made = await runtime.webhooks.rotate_secret(principal, endpoint_id)
    return {**endpoint_json(made.endpoint), "secret": made.secret}


@router.get("/{endpoint_id}/deliveries", responses=_NOT_FOUND)
async def list_deliveries(
    endpoint_id: str,
    runtime: RuntimeDep,
    principal: SubscriberDep,
    limit: Annotated[int, Query(ge=1, le=500, description="Most attempts to list")] = 100,
) -> dict[str, Any]:
    """List the latest delivery attempts, newest first: event, status code, latency, error."""
    attempts = await runtime.webhooks.attempts(principal, endpoint_id, limit)
    return {"deliveries": [attempt_json(attempt) for attempt in attempts]}
