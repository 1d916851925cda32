"""Secret feed URLs: a subscriber makes, looks at, rotates and revokes its own; readers poll it.

`POST /v1/account/feed-url` makes one (or a new one: the old stops working) and
shows its secret this once; `GET` says when it was made; `DELETE` revokes it.
`GET /v1/feeds/{secret}.atom` is the subscriber's Atom feed (as `/v1/feed.atom`)
for clients that cannot send an Authorization header: the secret is the key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from newswire.api.deps import AUTH_ERRORS, RuntimeDep, SubscriberDep, feed_url_principal
from newswire.api.params import ATOM_FEED, AtomLimitParam
from newswire.api.shapes import atom_response
from newswire.delivery.envelopes import iso
from newswire.models.principals import Principal
from newswire.site.seo import site_base

router = APIRouter(prefix="/v1", tags=["feed"])
_NO_URL: dict[int | str, dict[str, Any]] = {404: {"description": "You have no feed URL"}}


@router.post("/account/feed-url", status_code=201, responses=AUTH_ERRORS)
async def make_feed_url(request: Request, runtime: RuntimeDep, caller: SubscriberDep) -> Any:
    """Make your secret Atom feed URL (a new one ends the old at once); shown only this once.

    Give the URL to a feed reader or CMS importer that cannot send a key. Treat it
    like your API key: anyone with it reads your wire.
    """
    issued = await runtime.feed_urls.issue(caller)
    url = site_base(request, runtime.settings) + issued.path
    body = {"url": url, "created_at": iso(issued.created_at), "shown_once": True}
    return JSONResponse(body, status_code=201, headers={"Cache-Control": "no-store"})


@router.get("/account/feed-url", responses={**AUTH_ERRORS, **_NO_URL})
async def feed_url_status(runtime: RuntimeDep, caller: SubscriberDep) -> dict[str, Any]:
    """Say whether you have a secret feed URL and when it was made (never its secret)."""
    created_at = await runtime.feed_urls.created_at(caller)
    return {"created_at": iso(created_at), "path": "/v1/feeds/{secret}.atom"}


@router.delete("/account/feed-url", status_code=204, responses={**AUTH_ERRORS, **_NO_URL})
async def revoke_feed_url(runtime: RuntimeDep, caller: SubscriberDep) -> Response:
    """Revoke your secret feed URL: it answers 404 from now on."""
    await runtime.feed_urls.revoke(caller)
    return Response(status_code=204)


@router.get(
    "/feeds/{secret}.atom",
    response_class=Response,
    responses={
        **ATOM_FEED,
        404: {"description": "No such feed URL (rotated, revoked, or the key stopped working)"},
        429: AUTH_ERRORS[429],
    },
)
async def read_secret_feed(
    request: Request,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(feed_url_principal)],
    limit: AtomLimitParam = 50,
) -> Response:
    """Return the subscriber's Atom feed at its secret URL: no Authorization header needed.

    The same feed as `/v1/feed.atom`, metered the same way; the URL is the credential.
    """
    # A URL that is a credential: no shared cache may keep the answer.
    headers = {"Cache-Control": "private, no-store"}
    return await atom_response(runtime.feed, principal, limit, request, headers)
