"""Web sessions: the cookie, and the dependency that says who a request is signed in as.

`signed_in(area, *roles)` is the one dependency desk and portal routes use:

* no session, or one that ended: an HTML page is redirected (303) to the
  area's sign-in page with `next` set; an htmx or JSON request gets 401 with
  the sign-in page's path in the body, so the page can keep what was typed;
* a state-changing method (POST, PUT, PATCH, DELETE) must carry the
  session's CSRF token (`csrf.py`), or it is refused with 403;
* a person whose role is not among `roles` (when given) is refused with 403.

The session cookie is HttpOnly, scoped to its area's path, `SameSite=Lax`
(not Strict: a link to a story in an alert mail must open signed in; Lax
still withholds the cookie from cross-site posts, and the CSRF token guards
every change anyway), and Secure when the request came over https (or as
`NEWSWIRE_SESSION_COOKIE_SECURE` says).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.responses import Response

from newswire.api.errors import error_body
from newswire.identity.signin import SignedIn
from newswire.models.people import PersonRole
from newswire.settings import Settings
from newswire.web.audiences import WebAudience
from newswire.web.csrf import SAFE_METHODS, CsrfRefused, check_session_token
from newswire.web.templating import PageRenderer

_PAGES = PageRenderer()


class SignInRequired(Exception):
    """The request needs a signed-in person of an area and has none."""

    def __init__(self, area: WebAudience) -> None:
        super().__init__(f"sign in to {area.prefix}")
        self.area = area


class PageRefused(Exception):
    """A signed-in person may not do this (wrong role, bad CSRF token): 403 with a message."""

    def __init__(self, area: WebAudience, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.area = area
        self.message = message
        self.status = status


def cookie_secure(request: Request) -> bool:
    """Tell whether cookies set for this request get the Secure flag."""
    settings: Settings = request.app.state.runtime.settings
    if settings.session_cookie_secure == "always":
        return True
    if settings.session_cookie_secure == "never":
        return False
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, area: WebAudience, token: str) -> None:
    """Give the browser its session cookie for an area."""
    settings: Settings = request.app.state.runtime.settings
    response.set_cookie(
        area.cookie,
        token,
        max_age=settings.session_max_seconds,
        path=area.prefix,
        httponly=True,
        secure=cookie_secure(request),
        samesite="lax",
    )


def clear_session_cookie(response: Response, request: Request, area: WebAudience) -> None:
    """Tell the browser to drop its session cookie for an area."""
    response.delete_cookie(
        area.cookie, path=area.prefix, httponly=True, secure=cookie_secure(request), samesite="lax"
    )


def wants_page(request: Request) -> bool:
    """Tell whether a request is a browser navigation (not htmx, not an API-style call)."""
    if request.headers.get("hx-request"):
        return False
    return "text/html" in request.headers.get("accept", "")


async def current_session(request: Request, area: WebAudience) -> SignedIn | None:
    """Return who the request's cookie signs in to an area, or None (no CSRF check)."""
    runtime = request.app.state.runtime
    signed: SignedIn | None = await runtime.sign_in.session(
        area.audience, request.cookies.get(area.cookie)
    )
    return signed


def signed_in(area: WebAudience, *roles: PersonRole) -> Callable[[Request], Awaitable[SignedIn]]:
    """Return a dependency: the signed-in person of an area, CSRF-checked for changes."""

    async def dependency(request: Request) -> SignedIn:
        signed = await current_session(request, area)
        if signed is None:
            raise SignInRequired(area)
        if request.method not in SAFE_METHODS:
            settings: Settings = request.app.state.runtime.settings
            try:
                await check_session_token(request, signed.csrf_token, settings.base_url)
            except CsrfRefused as error:
                raise PageRefused(area, str(error)) from error
        if roles and signed.person.role not in roles:
            raise PageRefused(area, "You may not open this page.")
        request.state.signed_in = signed
        return signed

    return dependency


def sign_in_location(request: Request, area: WebAudience) -> str:
    """Return the sign-in page's URL that leads back to this request's page afterwards."""
    here = request.url.path
    if request.url.query:
        here += "?" + request.url.query
    if request.method in SAFE_METHODS and area.is_own_path(request.url.path):
        return f"{area.sign_in_path}?next={quote(here, safe='')}"
    return area.sign_in_path


def install_sessions(app: FastAPI) -> None:
    """Answer SignInRequired and PageRefused: a page for browsers, JSON for htmx and scripts."""

    @app.exception_handler(SignInRequired)
    async def _sign_in_required(request: Request, error: SignInRequired) -> Response:
        location = sign_in_location(request, error.area)
        if wants_page(request):
            return RedirectResponse(location, status_code=303)
        body = error_body(401, "your session ended; sign in again", None, sign_in=location)
        return JSONResponse(body, status_code=401, headers={"Cache-Control": "no-store"})

    @app.exception_handler(PageRefused)
    async def _refused(request: Request, error: PageRefused) -> Response:
        if wants_page(request):
            ui = _PAGES.interface(request)
            return _PAGES.render(
                request,
                "people/notice.html",
                error.area,
                status=error.status,
                heading=ui("Not allowed"),
                message=ui(error.message),
            )
        return JSONResponse(error_body(error.status, error.message), status_code=error.status)
