"""Interactive API docs that work offline: Swagger UI at /docs and ReDoc at /redoc.

Both viewers are served from the copies vendored in newswire/web/static
(see scripts/vendor_assets.py), never from a CDN, and start without inline
script, so the strict Content-Security-Policy of every page holds here too.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newswire.web.security import STRICT_POLICY
from newswire.web.static import static_url, vendor_url

router = APIRouter(include_in_schema=False)

# ReDoc's styling library writes its CSS into <style> elements as it renders,
# and its search index runs in a worker it builds from a blob: URL of its own
# code. Scripts from anywhere else stay refused.
REDOC_POLICY = STRICT_POLICY.allowing("style-src", "'unsafe-inline'").allowing(
    "worker-src", "'self'", "blob:"
)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
{head}
</head>
<body>
<noscript><p>The interactive documentation needs JavaScript. The OpenAPI document
itself is at <a href="{openapi_url}">{openapi_url}</a>.</p></noscript>
{body}
</body>
</html>
"""


def _openapi_url(request: Request) -> str:
    url = request.app.openapi_url
    if not url:
        raise LookupError("the app publishes no OpenAPI document (openapi_url is None)")
    return str(request.scope.get("root_path", "")) + str(url)


def _page(request: Request, viewer: str, stylesheet: str, body: Callable[[str], str]) -> str:
    """Return a viewer's page: its title, stylesheet and body (made for the document's URL)."""
    openapi_url = escape(_openapi_url(request))
    return PAGE.format(
        title=escape(f"{request.app.title} API · {viewer}"),
        openapi_url=openapi_url,
        head=f'<link rel="stylesheet" href="{stylesheet}">',
        body=body(openapi_url),
    )


def _swagger_body(openapi_url: str) -> str:
    return (
        f'<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>\n'
        f'<script src="{vendor_url("swagger-ui-dist", "swagger-ui-bundle.js")}"></script>\n'
        f'<script src="{static_url("docs/swagger-init.js")}"></script>'
    )


def _redoc_body(openapi_url: str) -> str:
    return (
        f'<redoc spec-url="{openapi_url}"></redoc>\n'
        f'<script src="{vendor_url("redoc", "redoc.standalone.js")}"></script>'
    )


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    """Serve Swagger UI for the app's OpenAPI document, from vendored files only."""
    stylesheet = vendor_url("swagger-ui-dist", "swagger-ui.css")
    return HTMLResponse(_page(request, "Swagger UI", stylesheet, _swagger_body))


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """Serve ReDoc for the app's OpenAPI document, from vendored files only."""
    html = _page(request, "ReDoc", static_url("docs/docs.css"), _redoc_body)
    return HTMLResponse(html, headers={"Content-Security-Policy": REDOC_POLICY.header()})
