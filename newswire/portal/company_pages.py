"""The company's usage and history, its CSV export, and the company admin's users page.

GET  /portal/usage                  quota, deliveries today, who viewed/downloaded what
GET  /portal/usage.csv              the same history as CSV (the last 31 days)
GET  /portal/company                company admin: users, seats, sign-ins
POST /portal/company/invite         company admin: invite a user within the seats
POST /portal/company/people/{id}/remove   company admin: remove a user (cut at once)
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from newswire.identity.links import Invitation
from newswire.identity.signin import SignedIn
from newswire.models.errors import Conflict, DomainError
from newswire.portal.web import COMPANY_ADMIN, PERSON, Field, portal_page, runtime_of

router = APIRouter(prefix="/portal", include_in_schema=False)


@router.get("/usage")
async def usage(request: Request, signed: SignedIn = PERSON) -> Response:
    """Show the company's quota, deliveries today, and what its users viewed and downloaded."""
    view = await runtime_of(request).portal_history.usage(signed.principal)
    return portal_page(request, signed, "usage", view=view)


@router.get("/usage.csv")
async def usage_csv(request: Request, signed: SignedIn = PERSON) -> Response:
    """Send the company's users' history of the last 31 days as CSV."""
    body = await runtime_of(request).portal_history.csv(signed.principal)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="portal-history.csv"',
            "Cache-Control": "no-store",
        },
    )


async def _company_page(
    request: Request,
    signed: SignedIn,
    status: int = 200,
    errors: dict[str, str] | None = None,
    invited: Invitation | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    view = await runtime_of(request).company_admin.overview(signed.person)
    return portal_page(
        request,
        signed,
        "company",
        status=status,
        errors=errors or {},
        view=view,
        invited=invited,
        typed=typed or {},
    )


@router.get("/company")
async def company(request: Request, signed: SignedIn = COMPANY_ADMIN) -> Response:
    """Show the company's users, its seats and who signed in when (company admins only)."""
    return await _company_page(request, signed)


@router.post("/company/invite")
async def invite(
    request: Request,
    email: Field = "",
    name: Field = "",
    role: Field = "member",
    signed: SignedIn = COMPANY_ADMIN,
) -> Response:
    """Invite a user to the company within its seat limit."""
    try:
        invited = await runtime_of(request).company_admin.invite(signed.person, email, name, role)
    except DomainError as error:
        typed = {"email": email, "name": name, "role": role}
        status = 409 if isinstance(error, Conflict) else 422
        return await _company_page(
            request, signed, status, {error.field or "email": error.message}, typed=typed
        )
    return await _company_page(request, signed, 201, invited=invited)


@router.post("/company/people/{person_id}/remove")
async def remove(request: Request, person_id: str, signed: SignedIn = COMPANY_ADMIN) -> Response:
    """Remove a user of the company: their sessions and open pages end at once."""
    try:
        await runtime_of(request).company_admin.remove(signed.person, person_id)
    except DomainError as error:
        return await _company_page(request, signed, 404, {"person": error.message})
    return RedirectResponse("/portal/company", status_code=303)
