"""robots.txt, the sitemap index, page and story sitemaps, and the Google News sitemap.

The News sitemap lists only stories first published in the last two days,
as Google News asks, and at most 1,000 of them. Story sitemaps hold 10,000
URLs each (the protocol allows 50,000) so each stays small enough to cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from lxml import etree

from newswire.models.languages import base_language
from newswire.models.public import PublicQuery, PublicStory
from newswire.site import caching, seo
from newswire.site.common import missing, runtime_of

router = APIRouter(include_in_schema=False)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
STORIES_PER_SITEMAP = 10_000
NEWS_WINDOW = timedelta(days=2)
NEWS_MAX = 1_000
_GET = ["GET", "HEAD"]


def _xml(root: etree._Element) -> Response:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Response(body, media_type="application/xml; charset=utf-8")


def _url(parent: etree._Element, loc: str, lastmod: str | None = None) -> etree._Element:
    url = etree.SubElement(parent, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
    if lastmod:
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
    return url


def news_language(tag: str) -> str:
    """Return the language code Google News expects (ISO 639, but zh-cn / zh-tw for Chinese)."""
    lowered = tag.lower()
    if lowered.startswith("zh"):
        return "zh-tw" if ("hant" in lowered or lowered.endswith("-tw")) else "zh-cn"
    return base_language(tag)


@router.api_route("/robots.txt", methods=_GET)
async def robots(request: Request) -> Response:
    """Let crawlers in everywhere but the API and search results; point them at the sitemaps."""
    settings = runtime_of(request).settings
    base = seo.site_base(request, settings)
    lines = [
        "User-agent: *",
        "Disallow: /v1/",
        "Disallow: /docs",
        "Disallow: /*/search",
        "Allow: /",
        "",
        f"Sitemap: {base}/sitemap.xml",
        f"Sitemap: {base}/sitemaps/news.xml",
        "",
    ]
    response = PlainTextResponse("\n".join(lines))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@router.api_route("/sitemap.xml", methods=_GET)
async def sitemap_index(request: Request) -> Response:
    """The sitemap index: the pages sitemap, the story sitemaps and the News sitemap."""
    runtime = runtime_of(request)
    now = runtime.clock()
    total = await runtime.storage.public.count(PublicQuery(now=now))
    newest = await runtime.storage.public.stories(PublicQuery(now=now, limit=1))
    chunks = max((total + STORIES_PER_SITEMAP - 1) // STORIES_PER_SITEMAP, 1)
    etag = caching.etag_for(runtime.settings, "index", total, caching.story_stamps(newest))

    def build() -> Response:
        base = seo.site_base(request, runtime.settings)
        root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
        paths = ["/sitemaps/pages.xml", "/sitemaps/news.xml"]
        paths += [f"/sitemaps/stories-{n}.xml" for n in range(1, chunks + 1)]
        for path in paths:
            entry = etree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap")
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = base + path
        return _xml(root)

    return caching.conditional(request, runtime.settings, etag, None, build)


@router.api_route("/sitemaps/pages.xml", methods=_GET)
async def pages_sitemap(request: Request) -> Response:
    """Home, section, subject and author pages of every language with public stories."""
    runtime = runtime_of(request)
    settings = runtime.settings
    now = runtime.clock()
    storage = runtime.storage
    languages = list(settings.site_languages)
    languages += [tag for tag, _ in await storage.public.languages(now) if tag not in languages]
    index: list[tuple[str, list[str], list[str], list[str]]] = []
    for language in languages:
        query = PublicQuery(now=now, language=language)
        sections = [path for path, _ in await storage.public.count_by_section(query)]
        subjects = [code for code, _ in await storage.public.count_by_subject(query)]
        authors = [name for name, _ in await storage.public.count_by_author(query)]
        index.append((language, sections, subjects, authors))
    etag = caching.etag_for(settings, "pages", index)

    def build() -> Response:
        base = seo.site_base(request, settings)
        root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
        for language, sections, subjects, authors in index:
            home = _url(root, f"{base}/{language}/")
            if language in settings.site_languages:
                for tag in settings.site_languages:
                    etree.SubElement(
                        home,
                        f"{{{XHTML_NS}}}link",
                        rel="alternate",
                        hreflang=tag,
                        href=f"{base}/{tag}/",
                    )
            for path in sections:
                _url(root, base + seo.section_path(language, path))
            for code in subjects:
                _url(root, base + seo.subject_path(language, code))
            for name in authors:
                _url(root, base + seo.author_path(language, name))
        return _xml(root)

    return caching.conditional(request, settings, etag, None, build)


@router.api_route("/sitemaps/stories-{number}.xml", methods=_GET)
async def stories_sitemap(number: int, request: Request) -> Response:
    """One chunk of the public story pages, newest first, with their last modification."""
    runtime = runtime_of(request)
    if number < 1:
        return missing(request, runtime.settings.site_languages[0])
    stories = await runtime.storage.public.stories(
        PublicQuery(
            now=runtime.clock(),
            limit=STORIES_PER_SITEMAP,
            offset=(number - 1) * STORIES_PER_SITEMAP,
        )
    )
    if number > 1 and not stories:
        return missing(request, runtime.settings.site_languages[0])
    etag = caching.etag_for(runtime.settings, "stories", number, caching.story_stamps(stories))

    def build() -> Response:
        base = seo.site_base(request, runtime.settings)
        root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
        for story in stories:
            lastmod = max(story.updated_at, story.visible_from).isoformat()
            _url(root, base + seo.story_path(story), lastmod)
        return _xml(root)

    return caching.conditional(
        request, runtime.settings, etag, caching.last_modified(stories), build
    )


def news_stories(stories: Sequence[PublicStory], since: datetime) -> list[PublicStory]:
    """Keep the stories first published since the start of the News window."""
    return [story for story in stories if story.first_published >= since]


@router.api_route("/sitemaps/news.xml", methods=_GET)
async def news_sitemap(request: Request) -> Response:
    """The Google News sitemap: stories first published in the last two days, with news:news."""
    runtime = runtime_of(request)
    settings = runtime.settings
    now = runtime.clock()
    recent = await runtime.storage.public.stories(PublicQuery(now=now, limit=NEWS_MAX))
    stories = news_stories(recent, now - NEWS_WINDOW)
    etag = caching.etag_for(settings, "news", caching.story_stamps(stories))

    def build() -> Response:
        base = seo.site_base(request, settings)
        root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
        for story in stories:
            url = _url(root, base + seo.story_path(story))
            news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
            publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
            etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = settings.site_name
            etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = news_language(
                story.language
            )
            etree.SubElement(
                news, f"{{{NEWS_NS}}}publication_date"
            ).text = story.first_published.isoformat()
            etree.SubElement(news, f"{{{NEWS_NS}}}title").text = story.headline
        return _xml(root)

    return caching.conditional(request, settings, etag, caching.last_modified(stories), build)
