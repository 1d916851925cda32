"""What every page of the public site shares: the runtime, the languages served, the 404 page."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from newswire.runtime import Runtime
from newswire.site.i18n import Translator, is_language_tag
from newswire.site.templating import PageContext, interface_language, render
from newswire.web.requests import runtime_of as runtime_of  # the site's handlers take it from here


def default_language(runtime: Runtime) -> str:
    """Return the site's default language: the first of site_languages."""
    languages: tuple[str, ...] = runtime.settings.site_languages
    return languages[0] if languages else "en"


async def language_is_served(runtime: Runtime, language: str) -> bool:
    """Tell whether /{language}/ exists: a site language, or one that public stories are in."""
    if language in runtime.settings.site_languages:
        return True
    if not is_language_tag(language):
        return False
    served = dict(await runtime.storage.public.languages(runtime.clock()))
    return language in served


def missing(request: Request, language: str) -> Response:
    """Answer 404 with the site's page; a CDN may keep it briefly."""
    page = PageContext(language=language, title=translator(request, language)("Page not found"))
    response = render(request, "missing.html", page, status=404)
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def translator(request: Request, language: str) -> Translator:
    """Return the interface strings of a page in a language."""
    return Translator(interface_language(language, runtime_of(request).settings))
