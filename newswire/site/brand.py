"""The agency's logo, which search engines show beside its stories (NewsArticle publisher).

The built-in logo is a 600x60 PNG, the wordmark shape Google asks for; an agency
sets its own with NEWSWIRE_SITE_LOGO_URL.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)
LOGO_PATH = "/logo.png"
LOGO_SIZE = (600, 60)
# The file changes only with a release: a day's caching spares crawlers the refetch.
_CACHE = {"Cache-Control": "public, max-age=86400"}


@cache
def logo_png() -> bytes:
    """Return the built-in logo."""
    return resources.files("newswire.site").joinpath("static/logo.png").read_bytes()


@router.api_route(LOGO_PATH, methods=["GET", "HEAD"])
async def logo() -> Response:
    """The built-in logo, for the NewsArticle publisher."""
    return Response(logo_png(), media_type="image/png", headers=_CACHE)
