"""Atom and RSS feeds of the public site: the whole site, one language, one section.

Entries carry the headline, the public summary (as Atom `summary` and RSS
`description`, never `content`), the byline and the sections, and link to
the story's page, where the subscription notice is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from feedgen.feed import FeedGenerator

from newswire.models.public import PublicQuery, PublicStory
from newswire.runtime import Runtime
from newswire.site import caching, seo
from newswire.site.common import language_is_served, missing
from newswire.site.i18n import Translator
from newswire.site.templating import interface_language

router = APIRouter(include_in_schema=False)
FEED_SIZE = 50
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
_GET = ["GET", "HEAD"]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def build_feed(
    kind: str,
    stories: Sequence[PublicStory],
    *,
    title: str,
    description: str,
    base: str,
    page_path: str,
    self_path: str,
    language: str | None,
    publisher: str,
) -> bytes:
    """Return an Atom or RSS document of the stories, summaries only.

    The feed names the agency as its author, so an entry without a byline still
    has one (RFC 4287 4.1.1: every entry needs an author, its own or the feed's).
    """
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(base + self_path)
    feed.title(title)
    feed.subtitle(description)
    feed.link(href=base + page_path, rel="alternate")
    feed.link(href=base + self_path, rel="self")
    feed.author({"name": publisher, "uri": base + "/"})
    if language:
        feed.language(language)
    updated = caching.last_modified(stories) or _EPOCH
    feed.updated(updated)
    feed.lastBuildDate(updated)
    feed.generator("newswire")
    for story in stories:
        url = base + seo.story_path(story)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(story.headline)
        entry.link(href=url, rel="alternate")
        entry.description(story.summary, isSummary=True)
        entry.published(story.first_published)
        entry.updated(story.updated_at)
        if story.byline:
            entry.author({"name": story.byline})
            entry.dc.dc_creator(story.byline)
        for category in story.categories:
            entry.category(term=category, label=category)
    text: bytes = feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)
    return text


async def _feed(
    request: Request, kind: str, language: str | None, section: str | None = None
) -> Response:
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    ui_language = interface_language(language or settings.site_languages[0], settings)
    if language is not None and not await language_is_served(runtime, language):
        return missing(request, ui_language)
    query = PublicQuery(now=runtime.clock(), language=language, section=section, limit=FEED_SIZE)
    stories = await runtime.storage.public.stories(query)
    if section and not stories:
        return missing(request, ui_language)
    prefix = f"/{language}" if language else ""
    page_path = seo.section_path(language, section) if language and section else prefix + "/"
    self_path = (page_path.rstrip("/") if section else prefix) + f"/{kind}.xml"
    etag = caching.etag_for(settings, "feed", self_path, caching.story_stamps(stories))

    def build() -> Response:
        ui = Translator(ui_language)
        title = ui("{site}: latest news", site=settings.site_name)
        if section:
            label = next(
                (
                    category
                    for story in stories
                    for path, category in zip(story.sections, story.categories, strict=False)
                    if path == section
                ),
                section,
            )
            title = ui("{site}: {section}", site=settings.site_name, section=label)
        body = build_feed(
            kind,
            stories,
            title=title,
            description=ui(settings.site_notice),
            base=seo.site_base(request, settings),
            page_path=page_path,
            self_path=self_path,
            language=language,
            publisher=settings.site_name,
        )
        return Response(body, media_type=f"{MEDIA_TYPES[kind]}; charset=utf-8")

    return caching.conditional(request, settings, etag, caching.last_modified(stories), build)


@router.api_route("/atom.xml", methods=_GET)
async def site_atom(request: Request) -> Response:
    """The Atom feed of the whole site, every language."""
    return await _feed(request, "atom", None)


@router.api_route("/rss.xml", methods=_GET)
async def site_rss(request: Request) -> Response:
    """The RSS feed of the whole site, every language."""
    return await _feed(request, "rss", None)


@router.api_route("/{language}/atom.xml", methods=_GET)
async def language_atom(language: str, request: Request) -> Response:
    """The Atom feed of one language."""
    return await _feed(request, "atom", language)


@router.api_route("/{language}/rss.xml", methods=_GET)
async def language_rss(language: str, request: Request) -> Response:
    """The RSS feed of one language."""
    return await _feed(request, "rss", language)


@router.api_route("/{language}/sections/{section:path}/atom.xml", methods=_GET)
async def section_atom(language: str, section: str, request: Request) -> Response:
    """The Atom feed of one section in one language."""
    return await _feed(request, "atom", language, section.strip("/"))


@router.api_route("/{language}/sections/{section:path}/rss.xml", methods=_GET)
async def section_rss(language: str, section: str, request: Request) -> Response:
    """The RSS feed of one section in one language."""
    return await _feed(request, "rss", language, section.strip("/"))
