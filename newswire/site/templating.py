"""The Jinja environment of the public site and what every page's template receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from newswire.models.languages import language_name, text_direction
from newswire.models.slugs import slugify
from newswire.settings import Settings
from newswire.site import seo
from newswire.site.i18n import Translator, has_catalog

environment = Environment(
    # The people's pages' templates too, for what the site shares with them (shared/).
    loader=ChoiceLoader(
        [PackageLoader("newswire.site", "templates"), PackageLoader("newswire.web", "templates")]
    ),
    autoescape=select_autoescape(["html", "xml"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def when(value: datetime) -> str:
    """Format a time the agency's way, the same in every language: 14.11.2024 09:30 UTC."""
    return value.strftime("%d.%m.%Y %H:%M UTC")


environment.filters["when"] = when
environment.filters["slugify"] = slugify
environment.globals.update(
    story_path=seo.story_path,
    section_path=seo.section_path,
    subject_path=seo.subject_path,
    author_path=seo.author_path,
    text_direction=text_direction,
)


@cache
def stylesheet() -> str:
    """Return the site's CSS, inlined in every page to save a request."""
    return resources.files("newswire.site").joinpath("static/site.css").read_text("utf-8")


@dataclass(frozen=True)
class Link:
    """A <link> in the page head: canonical, alternate languages, feeds, prev/next."""

    rel: str
    href: str
    hreflang: str = ""
    type: str = ""
    title: str = ""


@dataclass
class PageContext:
    """What the base template needs besides the page's own content."""

    language: str
    title: str | None = None
    canonical: str = ""
    robots: str = ""
    links: list[Link] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)
    query: str = ""


def interface_language(language: str, settings: Settings) -> str:
    """Return the language of the interface for pages under a content language."""
    return language if has_catalog(language) else settings.site_languages[0]


def render(
    request: Request, template: str, page: PageContext, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render a site template with the shared context (site name, notice, translator...)."""
    settings: Settings = request.app.state.runtime.settings
    ui = Translator(interface_language(page.language, settings))
    languages = [
        (tag, language_name(tag), f"/{tag}/", tag == page.language)
        for tag in settings.site_languages
    ]
    values = {
        "site_name": settings.site_name,
        "notice": ui(settings.site_notice),
        "contact_url": settings.site_contact_url,
        "stylesheet": stylesheet(),
        "t": ui,
        "ui": ui,
        "lang": page.language,
        "page": page,
        "languages": languages,
        **context,
    }
    html = environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status)
