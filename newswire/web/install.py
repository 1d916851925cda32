"""Install the shared web layer on the app: static files, security headers, people's sign-in."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI

from newswire.web.security import STRICT_POLICY, SecurityHeaders
from newswire.web.sessions import install_sessions
from newswire.web.sign_in import router as sign_in_router
from newswire.web.static import STATIC_PREFIX, static_files


def install_web(app: FastAPI, inline_styles: Iterable[str] = ()) -> None:
    """Mount /static and add the security headers, allowing these exact inline styles.

    Call it before including routers with catch-all patterns (the public site's
    /{language}/...), so /static/... is matched first.
    """
    policy = STRICT_POLICY.allowing_inline_styles(inline_styles)
    app.add_middleware(SecurityHeaders, policy=policy)
    app.mount(STATIC_PREFIX, static_files(), name="static")


def install_people(app: FastAPI) -> None:
    """Add the desk's and the portal's sign-in pages and the answers of the session checks.

    Call it before the public site's catch-all routes, like `install_web`.
    """
    install_sessions(app)
    app.include_router(sign_in_router)
