"""Cross-site request forgery: every state-changing request proves it came from our own page.

Signed-in pages use the synchronizer token of their session: the layout puts
it in a `<meta name="csrf-token">` (htmx requests send it back as the
`X-CSRF-Token` header, `static/people/session.js`) and forms in a hidden
`csrf_token` field. Forms shown before anyone signed in (sign-in,
set-password) carry a random token that must equal the one in a
`SameSite=Strict` cookie set with the form, so another site cannot sign a
browser in to an account of its choosing. Either way, a request whose
`Origin` (or `Sec-Fetch-Site`) says another site sent it is refused first.
SameSite=Lax session cookies already keep most cross-site posts from being
signed in; these checks do not rely on it.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from starlette.responses import Response

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
FORM_COOKIE = "nw_form"
FORM_COOKIE_SECONDS = 2 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED = "The form expired or did not come from this site. Reload the page and try again."
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfRefused(Exception):
    """A state-changing request without the right token, or sent from another site."""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def from_this_site(request: Request, base_url: str = "") -> bool:
    """Tell whether the browser says the request came from this site (or says nothing)."""
    if request.headers.get("sec-fetch-site", "") == "cross-site":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not every client sends it; the token decides
    allowed = {_origin(str(request.base_url))}
    if base_url:
        allowed.add(_origin(base_url))
    return origin.lower() in allowed


async def presented_token(request: Request) -> str:
    """Return the CSRF token a request carries: the header, else the form field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def _same(presented: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(presented.encode(), expected.encode())


async def check_session_token(request: Request, expected: str, base_url: str = "") -> None:
    """Raise CsrfRefused unless a state-changing request carries its session's token."""
    if request.method in SAFE_METHODS:
        return
    if not from_this_site(request, base_url) or not _same(await presented_token(request), expected):
        raise CsrfRefused(REFUSED)


def new_form_token() -> str:
    """Return a fresh token for an anonymous form (and its cookie)."""
    return secrets.token_urlsafe(32)


def form_token_of(request: Request) -> str:
    """Return the anonymous-form token this browser already holds, or a fresh one."""
    held = request.cookies.get(FORM_COOKIE, "")
    return held if 20 <= len(held) <= 100 else new_form_token()


def set_form_cookie(response: Response, token: str, secure: bool) -> None:
    """Give the browser the cookie its anonymous form's token must match."""
    response.set_cookie(
        FORM_COOKIE,
        token,
        max_age=FORM_COOKIE_SECONDS,
        path="/",
        httponly=True,
        secure=secure,
        samesite="strict",
    )


async def check_form_token(request: Request, base_url: str = "") -> None:
    """Raise CsrfRefused unless an anonymous form's token matches its cookie."""
    expected = request.cookies.get(FORM_COOKIE, "")
    if not from_this_site(request, base_url) or not _same(await presented_token(request), expected):
        raise CsrfRefused(REFUSED)
