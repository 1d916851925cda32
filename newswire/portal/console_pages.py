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

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from newswire.identity.signin import SignedIn
from newswire.models.errors import DomainError, NotFound
from newswire.portal.views import PAGES
from newswire.runtime import Runtime
from newswire.web.audiences import PORTAL
from newswire.web.sessions import signed_in

router = APIRouter(prefix="/portal/developers", include_in_schema=False)
person = Depends(signed_in(PORTAL))
Field = Annotated[str, Form()]
HOME = "/portal/developers"


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _page(
    request: Request,
    signed: SignedIn,
    status: int = 200,
    errors: dict[str, str] | None = None,
    **shown: Any,
) -> Response:
    view = await _runtime(request).console.overview(signed.person, signed.principal)
    return PAGES.render(
        request,
        "portal/developers.html",
        PORTAL,
        signed_in=signed,
        status=status,
        here="developers",
        view=view,
        errors=errors or {},
        base_url=str(request.base_url).rstrip("/"),
        **shown,
    )


def _refused(error: DomainError) -> tuple[int, dict[str, str]]:
    status = 404 if isinstance(error, NotFound) else 403 if error.field == "actor" else 422
    return status, {error.field or "console": error.message}


@router.get("")
async def console(request: Request, signed: SignedIn = person) -> Response:
    """Show the company's developer console."""
    return await _page(request, signed)


@router.post("/keys")
async def create_key(request: Request, label: Field = "", signed: SignedIn = person) -> Response:
    """Make a personal API key acting as the company; show it once."""
    try:
        made = await _runtime(request).console.create_key(signed.person, label)
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return await _page(request, signed, 201, new_key=made.api_key)


@router.post("/keys/{key_id}/rotate")
async def rotate_key(request: Request, key_id: str, signed: SignedIn = person) -> Response:
    """Replace a personal key with a new one; show it once."""
    try:
        made = await _runtime(request).console.rotate_key(signed.person, key_id)
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return await _page(request, signed, 201, new_key=made.api_key)


@router.post("/keys/{key_id}/revoke")
async def revoke_key(request: Request, key_id: str, signed: SignedIn = person) -> Response:
    """Revoke a personal key."""
    try:
        await _runtime(request).console.revoke_key(signed.person, key_id)
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return RedirectResponse(HOME, status_code=303)


@router.post("/company-key")
async def company_key(request: Request, signed: SignedIn = person) -> Response:
    """Rotate the company's own API key (company admins); show the new one once."""
    try:
        made = await _runtime(request).console.rotate_company_key(signed.person, signed.principal)
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return await _page(request, signed, 201, new_key=made.api_key)


@router.post("/feed-url")
async def feed_url(request: Request, signed: SignedIn = person) -> Response:
    """Make a new secret Atom feed URL; show it once."""
    issued = await _runtime(request).console.issue_feed_url(signed.principal)
    return await _page(request, signed, 201, new_feed_path=issued.path)


@router.post("/feed-url/revoke")
async def revoke_feed_url(request: Request, signed: SignedIn = person) -> Response:
    """Remove the company's secret feed URL."""
    try:
        await _runtime(request).console.revoke_feed_url(signed.principal)
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return RedirectResponse(HOME, status_code=303)


@router.post("/webhooks")
async def register(
    request: Request, url: Field = "", description: Field = "", signed: SignedIn = person
) -> Response:
    """Register a webhook endpoint; show its signing secret once."""
    try:
        made = await _runtime(request).console.register_webhook(signed.principal, url, description)
    except DomainError as error:
        status, errors = _refused(error)
        return await _page(request, signed, status, errors, typed_url=url)
    return await _page(request, signed, 201, new_secret=made.secret)


@router.post("/webhooks/{endpoint_id}/test")
async def test_send(request: Request, endpoint_id: str, signed: SignedIn = person) -> Response:
    """Send an endpoint a signed test event and show how it answered."""
    try:
        attempt = await _runtime(request).console.test_webhook(signed.principal, endpoint_id)
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return await _page(request, signed, tested=attempt)


@router.post("/webhooks/{endpoint_id}/{action}")
async def change(
    request: Request, endpoint_id: str, action: str, after: Field = "", signed: SignedIn = person
) -> Response:
    """Enable, disable, replay from a cursor, or delete an endpoint."""
    try:
        await _runtime(request).console.change_webhook(signed.principal, endpoint_id, action, after)
    except DomainError as error:
        return await _page(request, signed, *_refused(error))
    return RedirectResponse(f"{HOME}#w-{endpoint_id}", status_code=303)
