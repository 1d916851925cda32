"""What the portal's signed-in pages share: who may open them, the runtime, the page renderer.

The handler modules (`pages.py`, `topics.py`, `company_pages.py`,
`console_pages.py`, `media_pages.py`) each import this, never one another.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Request
from starlette.responses import Response

from newswire.identity.signin import SignedIn
from newswire.models.people import PersonRole
from newswire.portal.views import PAGES
from newswire.web.audiences import PORTAL
from newswire.web.requests import runtime_of
from newswire.web.sessions import signed_in

__all__ = ["COMPANY_ADMIN", "PERSON", "Field", "notice", "portal_page", "runtime_of"]

# Defaults, not Annotated: the handler modules' annotations are strings.
PERSON = Depends(signed_in(PORTAL))
COMPANY_ADMIN = Depends(signed_in(PORTAL, PersonRole.COMPANY_ADMIN))
Field = Annotated[str, Form()]


def portal_page(request: Request, signed: SignedIn, here: str, **context: Any) -> Response:
    """Render portal/{here}.html, its tab marked, with its `status`, form `errors` and the rest."""
    context.setdefault("errors", {})
    return _signed_page(request, signed, f"portal/{here}.html", here=here, **context)


def notice(request: Request, signed: SignedIn, status: int, heading: str, message: str) -> Response:
    """Render the notice page: why a story or a picture is not shown, in the page's language."""
    heading = PAGES.interface(request, signed)(heading)
    template = "people/notice.html"
    return _signed_page(request, signed, template, status=status, heading=heading, message=message)


def _signed_page(request: Request, signed: SignedIn, template: str, **context: Any) -> Response:
    return PAGES.render(request, template, PORTAL, signed_in=signed, **context)
