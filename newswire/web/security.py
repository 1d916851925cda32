"""Security headers: a strict Content-Security-Policy on every HTML page, nosniff on everything.

The policy allows scripts, styles, fonts and connections from our own origin
only, so an injected `<script>`, `onclick=` or `javascript:` URL does not run.
Pages that carry an inline `<style>` (the public site inlines its CSS to save
a request) are allowed it by the style's sha256, not by 'unsafe-inline'. A
route that needs a different policy sets its own `Content-Security-Policy`
header; the middleware only fills in what a response does not say itself.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOSNIFF = ("X-Content-Type-Options", "nosniff")
HTML_ONLY = {
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # frame-ancestors says the same to browsers that read the CSP; this is for older ones.
    "X-Frame-Options": "DENY",
}


def source_hash(text: str) -> str:
    """Return the CSP source that allows one inline block with exactly this text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@dataclass(frozen=True)
class ContentSecurityPolicy:
    """A Content-Security-Policy as directive -> sources, rendered as one header value."""

    directives: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "default-src": ("'self'",),
            "script-src": ("'self'",),
            "style-src": ("'self'",),
            # data: for the site's inline SVG favicon and the icons in Swagger UI's CSS.
            "img-src": ("'self'", "data:"),
            "font-src": ("'self'",),
            "connect-src": ("'self'",),
            "object-src": ("'none'",),
            "base-uri": ("'self'",),
            "form-action": ("'self'",),
            "frame-ancestors": ("'none'",),
        }
    )

    def allowing(self, directive: str, *sources: str) -> ContentSecurityPolicy:
        """Return a copy of the policy with more sources for one directive."""
        current = self.directives.get(directive, self.directives.get("default-src", ()))
        added = tuple(source for source in sources if source not in current)
        return replace(self, directives={**self.directives, directive: current + added})

    def allowing_inline_styles(self, styles: Iterable[str]) -> ContentSecurityPolicy:
        """Return a copy that allows these exact inline `<style>` texts by their hashes."""
        return self.allowing("style-src", *(source_hash(style) for style in styles))

    def header(self) -> str:
        """Return the header value: `directive source source; directive ...`."""
        return "; ".join(" ".join((name, *sources)) for name, sources in self.directives.items())


STRICT_POLICY = ContentSecurityPolicy()


class SecurityHeaders:
    """ASGI middleware adding the security headers a response does not already carry.

    HTML responses get the CSP, Referrer-Policy and X-Frame-Options; every HTTP
    response gets `X-Content-Type-Options: nosniff`, so a browser never runs an
    upload or a JSON answer as a script or a page.
    """

    def __init__(self, app: ASGIApp, policy: ContentSecurityPolicy = STRICT_POLICY) -> None:
        self.app = app
        self.html_headers = {"Content-Security-Policy": policy.header(), **HTML_ONLY}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response as it starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault(*NOSNIFF)
                if headers.get("content-type", "").startswith("text/html"):
                    for name, value in self.html_headers.items():
                        headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
