"""The developer console's pages: keys, the secret feed URL, webhooks and the cursors served.

    GET  /portal/developers                                 the console
    POST /portal/developers/keys                            label=...: a new personal key
    POST /portal/developers/keys/{id}/rotate                a new key for the same label
    POST /portal/developers/keys/{id}/revoke                revoke a key
    POST /portal/developers/company-key                     company admin: rotate the company's key
    POST /portal/developers/feed-url                        a new secret Atom feed URL
    POST /portal/developers/feed-url/revoke                 remove it
    POST /portal/developers/webhooks                        url=, description=: register
    POST /portal/developers/webhooks/{id}/test              send a signed test event now
    POST /portal/developers/webhooks/{id}/{action}          enable, disable, replay, delete

A secret made here is shown on the page that answers the request, once.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from newswire.accounts.service import CreatedKey
from newswire.identity.keys import CreatedPersonalKey
from newswire.identity.signin import SignedIn
from newswire.models.errors import DomainError, NotFound
from newswire.portal.web import PERSON, Field, portal_page, runtime_of

router = APIRouter(prefix="/portal/developers", include_in_schema=False)
HOME = "/portal/developers"


async def _page(
    request: Request,
    signed: SignedIn,
    status: int = 200,
    errors: dict[str, str] | None = None,
    **shown: Any,
) -> Response:
    view = await runtime_of(request).console.overview(signed.person, signed.principal)
    base_url = str(request.base_url).rstrip("/")
    return portal_page(
        request,
        signed,
        "developers",
        status=status,
        errors=errors or {},
        view=view,
        base_url=base_url,
        **shown,
    )


def _refused(error: DomainError) -> tuple[int, dict[str, str]]:
    status = 404 if isinstance(error, NotFound) else 403 if error.field == "actor" else 422
    return status, {error.field or "console": error.message}


async def _new_key(
    request: Request, signed: SignedIn, making: Awaitable[CreatedPersonalKey | CreatedKey]
) -> Response:
    """Await a key being made; show it once on the console, or say why it was refused."""
    try:
        made = await making
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return await _page(request, signed, 201, new_key=made.api_key)


async def _then_console(
    request: Request, signed: SignedIn, change: Awaitable[object], to: str = HOME
) -> Response:
    """Await a change made on the console; see `to`, or the console saying why it was refused."""
    try:
        await change
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return RedirectResponse(to, status_code=303)


@router.get("")
async def console(request: Request, signed: SignedIn = PERSON) -> Response:
    """Show the company's developer console."""
    return await _page(request, signed)


@router.post("/keys")
async def create_key(request: Request, label: Field = "", signed: SignedIn = PERSON) -> Response:
    """Make a personal API key acting as the company; show it once."""
    making = runtime_of(request).console.create_key(signed.person, label)
    return await _new_key(request, signed, making)


@router.post("/keys/{key_id}/rotate")
async def rotate_key(request: Request, key_id: str, signed: SignedIn = PERSON) -> Response:
    """Replace a personal key with a new one; show it once."""
    making = runtime_of(request).console.rotate_key(signed.person, key_id)
    return await _new_key(request, signed, making)


@router.post("/keys/{key_id}/revoke")
async def revoke_key(request: Request, key_id: str, signed: SignedIn = PERSON) -> Response:
    """Revoke a personal key."""
    revoking = runtime_of(request).console.revoke_key(signed.person, key_id)
    return await _then_console(request, signed, revoking)


@router.post("/company-key")
async def company_key(request: Request, signed: SignedIn = PERSON) -> Response:
    """Rotate the company's own API key (company admins); show the new one once."""
    making = runtime_of(request).console.rotate_company_key(signed.person, signed.principal)
    return await _new_key(request, signed, making)


@router.post("/feed-url")
async def feed_url(request: Request, signed: SignedIn = PERSON) -> Response:
    """Make a new secret Atom feed URL; show it once."""
    issued = await runtime_of(request).console.issue_feed_url(signed.principal)
    return await _page(request, signed, 201, new_feed_path=issued.path)


@router.post("/feed-url/revoke")
async def revoke_feed_url(request: Request, signed: SignedIn = PERSON) -> Response:
    """Remove the company's secret feed URL."""
    revoking = runtime_of(request).console.revoke_feed_url(signed.principal)
    return await _then_console(request, signed, revoking)


@router.post("/webhooks")
async def register(
    request: Request, url: Field = "", description: Field = "", signed: SignedIn = PERSON
) -> Response:
    """Register a webhook endpoint; show its signing secret once."""
    try:
        made = await runtime_of(request).console.register_webhook(
            signed.principal, url, description
        )
    except DomainError as error:
        status, errors = _refused(error)
        return await _page(request, signed, status, errors, typed_url=url)
    return await _page(request, signed, 201, new_secret=made.secret)


@router.post("/webhooks/{endpoint_id}/test")
async def test_send(request: Request, endpoint_id: str, signed: SignedIn = PERSON) -> Response:
    """Send an endpoint a signed test event and show how it answered."""
    try:
        attempt = await runtime_of(request).console.test_webhook(signed.principal, endpoint_id)
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return await _page(request, signed, tested=attempt)


@router.post("/webhooks/{endpoint_id}/{action}")
async def change(
    request: Request, endpoint_id: str, action: str, after: Field = "", signed: SignedIn = PERSON
) -> Response:
    """Enable, disable, replay from a cursor, or delete an endpoint."""
    console = runtime_of(request).console
    changing = console.change_webhook(signed.principal, endpoint_id, action, after)
    return await _then_console(request, signed, changing, f"{HOME}#w-{endpoint_id}")
