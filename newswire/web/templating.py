"""The Jinja environment of the people-facing pages and what every such page receives.

The desk and the portal render with a `PageRenderer` over their own
templates folder plus this one, so their pages extend `people/layout.html`
(skip link, header with who is signed in and a sign-out button, the CSRF
meta tag htmx requests send back, the vendored htmx, no inline script) and
use the shared interface strings (`i18n.PEOPLE`) merged with their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from newswire.identity.signin import SignedIn
from newswire.models.languages import language_name, text_direction
from newswire.settings import Settings
from newswire.web.audiences import WebAudience
from newswire.web.i18n import PEOPLE, Catalog, Interface, negotiate
from newswire.web.static import static_url, vendor_url


def when(value: datetime) -> str:
    """Format a time the agency's way, the same in every language: 14.11.2024 09:30 UTC."""
    return value.strftime("%d.%m.%Y %H:%M UTC")


def interface_language(
    request: Request, signed_in: SignedIn | None, languages: Iterable[str]
) -> str:
    """Return a page's interface language: the person's, else ?lang=, else the browser's."""
    offered = tuple(languages)
    if signed_in is not None and signed_in.person.language in offered:
        return signed_in.person.language
    asked = request.query_params.get("lang", "")
    if asked in offered:
        return asked
    return negotiate(request.headers.get("accept-language"), offered, offered[0])


class PageRenderer:
    """Renders people-facing pages from a part's templates and the shared layout."""

    def __init__(self, packages: Iterable[str] = (), catalog: Catalog | None = None) -> None:
        loaders = [PackageLoader(package, "templates") for package in packages]
        loaders.append(PackageLoader("newswire.web", "templates"))
        self.environment = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(["html", "xml"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["when"] = when
        self.environment.globals.update(
            static_url=static_url, vendor_url=vendor_url, text_direction=text_direction
        )
        self.catalog = PEOPLE.merged(catalog) if catalog is not None else PEOPLE

    def interface(self, request: Request, signed_in: SignedIn | None = None) -> Interface:
        """Return the interface strings a request's page is shown in."""
        settings: Settings = request.app.state.runtime.settings
        return Interface(
            interface_language(request, signed_in, settings.site_languages), self.catalog
        )

    def render(
        self,
        request: Request,
        template: str,
        audience: WebAudience,
        *,
        signed_in: SignedIn | None = None,
        form_token: str = "",
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """Render a template with what the layout needs: area, person, strings, CSRF token."""
        settings: Settings = request.app.state.runtime.settings
        ui = self.interface(request, signed_in)
        values = {
            "site_name": settings.site_name,
            "area": audience,
            "signed_in": signed_in,
            # A signed-in page carries its session's token; an anonymous form its own.
            "csrf_token": signed_in.csrf_token if signed_in is not None else form_token,
            "ui": ui,
            "t": ui,
            "languages": [(tag, language_name(tag)) for tag in settings.site_languages],
            "language_links": [
                (tag, language_name(tag), f"?lang={tag}", tag == ui.language)
                for tag in settings.site_languages
            ],
            **context,
        }
        html = self.environment.get_template(template).render(values)
        response = HTMLResponse(html, status_code=status, headers=dict(headers or {}))
        # Pages of a signed-in person are theirs alone: never kept by a shared cache.
        response.headers.setdefault("Cache-Control", "no-store")
        return response
