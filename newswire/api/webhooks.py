"""Webhook endpoints API: subscribers register URLs, rotate secrets, see and replay deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from newswire.api.deps import AUTH_ERRORS, RuntimeDep, SubscriberDep
from newswire.api.errors import APIError
from newswire.api.feed import parse_cursor
from newswire.delivery.envelopes import iso
from newswire.delivery.webhooks.endpoints import UnsafeURL, check_url
from newswire.delivery.webhooks.signing import new_secret
from newswire.models.principals import Principal
from newswire.models.webhooks import DeliveryAttempt, WebhookEndpoint
from newswire.runtime import Runtime

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


async def _own(runtime: Runtime, principal: Principal, endpoint_id: str) -> WebhookEndpoint:
    endpoint = await runtime.storage.webhook_endpoint(endpoint_id)
    if endpoint is None or endpoint.principal_id != principal.id:
        raise APIError(404, f"no webhook endpoint {endpoint_id}", "id")
    return endpoint


@router.post("", status_code=201, responses={422: {"description": "Invalid or unsafe URL"}})
async def create_endpoint(
    body: NewEndpoint, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Register a URL; deliveries start with the next event. The secret is shown only here."""
    try:
        await check_url(body.url, bool(runtime.settings.webhook_allow_private))
    except UnsafeURL as error:
        raise APIError(422, str(error), "url") from error
    secret = new_secret()
    endpoint = await runtime.storage.create_webhook_endpoint(
        principal.id, body.url, body.description, secret, await runtime.storage.last_seq()
    )
    return {**endpoint_json(endpoint), "secret": secret}


@router.get("")
async def list_endpoints(runtime: RuntimeDep, principal: SubscriberDep) -> dict[str, Any]:
    """List your endpoints with their delivery state."""
    endpoints = await runtime.storage.webhook_endpoints_of(principal.id)
    return {"webhooks": [endpoint_json(endpoint) for endpoint in endpoints]}


@router.get("/{endpoint_id}", responses=_NOT_FOUND)
async def show_endpoint(
    endpoint_id: str, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Show one endpoint's delivery state."""
    return endpoint_json(await _own(runtime, principal, endpoint_id))


@router.delete("/{endpoint_id}", status_code=204, responses=_NOT_FOUND)
async def delete_endpoint(endpoint_id: str, runtime: RuntimeDep, principal: SubscriberDep) -> None:
    """Stop delivering to an endpoint and forget it and its attempts."""
    await _own(runtime, principal, endpoint_id)
    await runtime.storage.delete_webhook_endpoint(endpoint_id)


@router.post("/{endpoint_id}/enable", responses=_NOT_FOUND)
async def enable_endpoint(
    endpoint_id: str, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Resume a failing or disabled endpoint from where it stopped (nothing was skipped)."""
    await _own(runtime, principal, endpoint_id)
    endpoint = await runtime.storage.restart_webhook_endpoint(endpoint_id, None)
    assert endpoint is not None
    return endpoint_json(endpoint)


@router.post("/{endpoint_id}/replay", responses=_NOT_FOUND)
async def replay_endpoint(
    endpoint_id: str, body: Replay, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Re-send every event after a cursor, in order (and resume a paused endpoint)."""
    await _own(runtime, principal, endpoint_id)
    endpoint = await runtime.storage.restart_webhook_endpoint(endpoint_id, parse_cursor(body.after))
    assert endpoint is not None
    return endpoint_json(endpoint)


@router.post("/{endpoint_id}/rotate-secret", responses=_NOT_FOUND)
async def rotate_secret(
    endpoint_id: str, runtime: RuntimeDep, principal: SubscriberDep
) -> dict[str, Any]:
    """Issue a new signing secret; the old one also signs for the grace period."""
    await _own(runtime, principal, endpoint_id)
    grace = timedelta(seconds=int(runtime.settings.webhook_secret_grace_seconds))
    secret = new_secret()
    endpoint = await runtime.storage.rotate_webhook_secret(
        endpoint_id, secret, datetime.now(UTC) + grace
    )
    assert endpoint is not None
    return {**endpoint_json(endpoint), "secret": secret}


@router.get("/{endpoint_id}/deliveries", responses=_NOT_FOUND)
async def list_deliveries(
    endpoint_id: str,
    runtime: RuntimeDep,
    principal: SubscriberDep,
    limit: Annotated[int, Query(ge=1, le=500, description="Most attempts to list")] = 100,
) -> dict[str, Any]:
    """List the latest delivery attempts, newest first: event, status code, latency, error."""
    await _own(runtime, principal, endpoint_id)
    attempts = await runtime.storage.delivery_attempts(endpoint_id, limit)
    return {"deliveries": [attempt_json(attempt) for attempt in attempts]}
