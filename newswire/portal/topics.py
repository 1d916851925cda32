"""Topics, alerts and notifications, and the unsubscribe links that need no sign-in.

GET  /portal/topics                       the company's topics, my alert on each
POST /portal/topics                       keep the search on the form as a topic
POST /portal/topics/{id}/alert            alert me on it: mode=immediate|digest
POST /portal/topics/{id}/delete           delete the topic (and its alerts)
POST /portal/alerts/{id}/stop             end one of my alerts
GET  /portal/notifications                the stories my alerts found, newest first
GET  /portal/unsubscribe/{token}          the signed link of an alert mail: a form
POST /portal/unsubscribe/{token}          end that alert (the link is the credential)
"""

from __future__ import annotations

from collections.abc import Awaitable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from newswire.identity.signin import SignedIn
from newswire.models.errors import DomainError, NotFound
from newswire.portal.filters import WireFilters
from newswire.portal.views import PAGES
from newswire.portal.web import PERSON, Field, portal_page, runtime_of
from newswire.web.audiences import PORTAL

router = APIRouter(prefix="/portal", include_in_schema=False)


async def _topics_page(
    request: Request, signed: SignedIn, errors: dict[str, str] | None = None, status: int = 200
) -> Response:
    mine = await runtime_of(request).alerts.of(signed.person, signed.principal)
    return portal_page(request, signed, "topics", status=status, errors=errors or {}, mine=mine)


async def _then_topics(
    request: Request, signed: SignedIn, change: Awaitable[object], missing: str
) -> Response:
    """Await a change to a topic or an alert, then show the topics (404: `missing` not found)."""
    try:
        await change
    except NotFound as error:
        return await _topics_page(request, signed, {missing: error.message}, 404)
    return RedirectResponse("/portal/topics", status_code=303)


@router.get("/topics")
async def topics(request: Request, signed: SignedIn = PERSON) -> Response:
    """Show the company's topics and the signed-in person's alerts on them."""
    return await _topics_page(request, signed)


@router.post("/topics")
async def save_topic(
    request: Request,
    name: Field = "",
    q: Field = "",
    section: Field = "",
    subject: Field = "",
    language: Field = "",
    urgency: Field = "",
    signed: SignedIn = PERSON,
) -> Response:
    """Keep a search (its words and filters) as one of the company's topics."""
    search = WireFilters(q=q, section=section, subject=subject, language=language, urgency=urgency)
    try:
        params = search.checked().params()
        topic = await runtime_of(request).alerts.save_topic(signed.principal, name, params)
    except DomainError as error:
        return await _topics_page(request, signed, {error.field or "name": error.message}, 422)
    return RedirectResponse(f"/portal/topics#t-{topic.id}", status_code=303)


@router.post("/topics/{topic_id}/alert")
async def follow(
    request: Request, topic_id: str, mode: Field = "immediate", signed: SignedIn = PERSON
) -> Response:
    """Alert the signed-in person of new stories on a topic, immediately or in a digest."""
    try:
        await runtime_of(request).alerts.follow(signed.person, signed.principal, topic_id, mode)
    except DomainError as error:
        status = 404 if isinstance(error, NotFound) else 422
        return await _topics_page(request, signed, {error.field or "mode": error.message}, status)
    return RedirectResponse(f"/portal/topics#t-{topic_id}", status_code=303)


@router.post("/topics/{topic_id}/delete")
async def delete_topic(request: Request, topic_id: str, signed: SignedIn = PERSON) -> Response:
    """Delete one of the company's topics and every alert on it."""
    deleting = runtime_of(request).alerts.delete_topic(signed.principal, topic_id)
    return await _then_topics(request, signed, deleting, "topic")


@router.post("/alerts/{alert_id}/stop")
async def stop(request: Request, alert_id: str, signed: SignedIn = PERSON) -> Response:
    """End one of the signed-in person's alerts."""
    stopping = runtime_of(request).alerts.stop(signed.person, alert_id)
    return await _then_topics(request, signed, stopping, "alert")


@router.get("/notifications")
async def notifications(request: Request, signed: SignedIn = PERSON) -> Response:
    """List the stories the signed-in person's alerts found, newest first."""
    found = await runtime_of(request).alerts.notifications(signed.person)
    return portal_page(request, signed, "notifications", notifications=found)


@router.get("/unsubscribe/{token}")
async def unsubscribe_form(request: Request, token: str) -> Response:
    """Show what an unsubscribe link would end, with one button (reading it changes nothing)."""
    try:
        alert = await runtime_of(request).alerts.alert_of_token(token)
    except NotFound as error:
        return PAGES.render(
            request, "portal/unsubscribe.html", PORTAL, status=404, problem=error.message
        )
    return PAGES.render(request, "portal/unsubscribe.html", PORTAL, alert=alert, token=token)


@router.post("/unsubscribe/{token}")
async def unsubscribe(request: Request, token: str) -> Response:
    """End the alert a signed unsubscribe link names; no sign-in needed."""
    try:
        await runtime_of(request).alerts.unsubscribe(token)
    except NotFound as error:
        return PAGES.render(
            request, "portal/unsubscribe.html", PORTAL, status=404, problem=error.message
        )
    return PAGES.render(request, "portal/unsubscribe.html", PORTAL, done=True)
