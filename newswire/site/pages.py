"""The public website's HTML pages: home, sections, subjects, authors, search and story pages.

Every handler here reads only `PublicStory` values from the public
projection, which has no body column: the full text cannot reach this side.
Handlers parse the URL, ask storage, and hand the result to a template
through `caching.conditional`, so a CDN can revalidate every page cheaply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from newswire.models.public import PublicQuery, PublicStory
from newswire.models.slugs import slugify
from newswire.newsroom.vocab.mediatopics import bare_code, lookup
from newswire.site import caching, seo
from newswire.site.common import (
    default_language,
    language_is_served,
    missing,
    runtime_of,
    translator,
)
from newswire.site.i18n import is_language_tag
from newswire.site.pictures import featured_pictures, picture_stamps
from newswire.site.templating import Link, PageContext, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
MAX_PAGE = 10_000
MAX_QUERY = 200
_GET = ["GET", "HEAD"]


def _page_number(request: Request) -> int | None:
    text = request.query_params.get("page", "1")
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        return None
    return int(text)


@dataclass
class Listing:
    """One listing page to show: where it lives, what it filters on, what it is called."""

    language: str
    path: str
    heading: str
    filters: dict[str, Any] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    home: bool = False
    require_stories: bool = True
    robots: str = ""
    feed_path: str = ""
    breadcrumb: list[tuple[str, str]] = field(default_factory=list)
    label: Any = None  # called with the stories shown to name the page (sections)
    run_query: bool = True  # False for the empty search form


def _pagination(listing: Listing, page: int, total: int) -> dict[str, Any]:
    last = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)

    def url(number: int) -> str:
        return seo.page_url(listing.path, number, **listing.params)

    return {
        "page": page,
        "last": last,
        "prev": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < last else None,
    }


async def show_listing(request: Request, listing: Listing) -> Response:
    """Answer a paginated listing page, with canonical and prev/next links and validators."""
    runtime = runtime_of(request)
    settings = runtime.settings
    page = _page_number(request)
    if page is None:
        return missing(request, listing.language)
    if "page" in request.query_params and page == 1:
        return RedirectResponse(seo.page_url(listing.path, 1, **listing.params), 301)
    query = PublicQuery(
        now=runtime.clock(),
        language=listing.language,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        **listing.filters,
    )
    stories: Sequence[PublicStory] = []
    total = 0
    if listing.run_query:
        stories = await runtime.storage.public.stories(query)
        total = await runtime.storage.public.count(query)
    if (listing.require_stories and not total) or (page > 1 and not stories):
        return missing(request, listing.language)
    sections: list[tuple[str, int]] = []
    if listing.home or "section" in listing.filters:
        sections = await runtime.storage.public.count_by_section(
            PublicQuery(now=query.now, language=listing.language)
        )
    pages = _pagination(listing, page, total)
    pictures = await featured_pictures(request, stories)
    heading = listing.label(stories) if listing.label else listing.heading
    etag = caching.etag_for(
        settings,
        "listing",
        listing.path,
        sorted(listing.params.items()),
        page,
        total,
        caching.story_stamps(stories),
        sections,
        picture_stamps(pictures),
    )

    def build() -> Response:
        base = seo.site_base(request, settings)
        context = PageContext(
            language=listing.language,
            title=None if listing.home else heading,
            canonical=base + seo.page_url(listing.path, page, **listing.params),
            robots=listing.robots,
            links=_listing_links(listing, pages, base, settings.site_languages),
            sections=_top_sections(listing.language, sections, stories),
            query=listing.params.get("q", ""),
        )
        return render(
            request,
            "listing.html",
            context,
            stories=stories,
            pictures=pictures,
            heading=heading,
            pages=pages,
            breadcrumb=listing.breadcrumb,
            feed_path=listing.feed_path,
            searching=listing.path.endswith("/search"),
        )

    return caching.conditional(
        request, settings, etag, caching.last_modified(stories), build, honour_dates=False
    )


def _listing_links(
    listing: Listing, pages: dict[str, Any], base: str, site_languages: Sequence[str]
) -> list[Link]:
    links: list[Link] = []
    if listing.home:
        links += [Link("alternate", f"{base}/{tag}/", hreflang=tag) for tag in site_languages]
        links.append(Link("alternate", base + "/", hreflang="x-default"))
    if pages["prev"]:
        links.append(Link("prev", base + pages["prev"]))
    if pages["next"]:
        links.append(Link("next", base + pages["next"]))
    if listing.feed_path:
        for kind, title in (("atom", "Atom"), ("rss", "RSS")):
            href = f"{base}{listing.feed_path}{kind}.xml"
            links.append(Link("alternate", href, type=f"application/{kind}+xml", title=title))
    return links


def _top_sections(
    language: str, sections: list[tuple[str, int]], stories: Sequence[PublicStory]
) -> list[tuple[str, str]]:
    """Return (path, label) of the top-level sections, labelled as editors wrote them."""
    labels: dict[str, str] = {}
    for story in stories:
        for path, category in zip(story.sections, story.categories, strict=False):
            labels.setdefault(path, category)
    return [
        (seo.section_path(language, path), labels.get(path, path.replace("-", " ").title()))
        for path, _count in sections
        if "/" not in path
    ]


def _section_label(section: str) -> Any:
    def label(stories: Sequence[PublicStory]) -> str:
        for story in stories:
            for path, category in zip(story.sections, story.categories, strict=False):
                if path == section:
                    return category
        return section.rsplit("/", 1)[-1].replace("-", " ").title()

    return label


# Home ------------------------------------------------------------------------


@router.api_route("/", methods=_GET)
async def root(request: Request) -> Response:
    """The home page in the site's default language (x-default of the language versions)."""
    return await _home(request, default_language(runtime_of(request)))


@router.api_route("/{language}/", methods=_GET)
async def home(language: str, request: Request) -> Response:
    """The latest public stories in one language, newest first."""
    if not await language_is_served(runtime_of(request), language):
        return missing(request, default_language(runtime_of(request)))
    return await _home(request, language)


@router.api_route("/{language}", methods=_GET)
async def home_without_slash(language: str, request: Request) -> Response:
    """Send /tr to /tr/."""
    if not await language_is_served(runtime_of(request), language):
        return missing(request, default_language(runtime_of(request)))
    return RedirectResponse(f"/{language}/", 301)


async def _home(request: Request, language: str) -> Response:
    listing = Listing(
        language=language,
        path=f"/{language}/",
        heading=translator(request, language)("Latest news"),
        home=True,
        require_stories=False,
        feed_path=f"/{language}/",
    )
    return await show_listing(request, listing)


# Sections, subjects, authors, search ------------------------------------------------


@router.api_route("/sections/{section:path}", methods=_GET)
async def section_in_default_language(section: str, request: Request) -> Response:
    """A section page in the site's default language (its canonical URL carries the language)."""
    return await section_page(default_language(runtime_of(request)), section, request)


@router.api_route("/{language}/sections/{section:path}", methods=_GET)
async def section_page(language: str, section: str, request: Request) -> Response:
    """The public stories of one section of the breadcrumb (e.g. world/europe)."""
    path = section.strip("/")
    parts = path.split("/")
    ui = translator(request, language)
    crumbs = [(f"/{language}/", ui("Home"))]
    crumbs += [
        (seo.section_path(language, "/".join(parts[: i + 1])), part.replace("-", " ").title())
        for i, part in enumerate(parts[:-1])
    ]
    listing = Listing(
        language=language,
        path=seo.section_path(language, path),
        heading=path,
        filters={"section": path},
        feed_path=seo.section_path(language, path) + "/",
        breadcrumb=crumbs,
        label=_section_label(path),
    )
    return await show_listing(request, listing)


@router.api_route("/{language}/subjects/{code}", methods=_GET)
async def subject(language: str, code: str, request: Request) -> Response:
    """The public stories about one IPTC Media Topic."""
    topic = lookup(code)
    if topic is None or bare_code(code) != code:
        return missing(request, language)
    ui = translator(request, language)
    listing = Listing(
        language=language,
        path=seo.subject_path(language, code),
        heading=ui.subject(code),
        filters={"subject": topic.qcode},
        breadcrumb=[(f"/{language}/", ui("Home"))],
    )
    return await show_listing(request, listing)


@router.api_route("/{language}/authors/{slug}", methods=_GET)
async def author(language: str, slug: str, request: Request) -> Response:
    """The public stories of one byline."""
    runtime = runtime_of(request)
    authors = await runtime.storage.public.count_by_author(
        PublicQuery(now=runtime.clock(), language=language)
    )
    byline = next((name for name, _ in authors if slugify(name) == slug), None)
    if byline is None:
        return missing(request, language)
    ui = translator(request, language)
    listing = Listing(
        language=language,
        path=seo.author_path(language, byline),
        heading=ui("Stories by {name}", name=byline),
        filters={"byline": byline},
        breadcrumb=[(f"/{language}/", ui("Home"))],
    )
    return await show_listing(request, listing)


@router.api_route("/{language}/search", methods=_GET)
async def search(language: str, request: Request) -> Response:
    """Search the headlines and summaries of public stories; results are not indexed."""
    if not await language_is_served(runtime_of(request), language):
        return missing(request, language)
    text = " ".join(request.query_params.get("q", "").split())[:MAX_QUERY]
    ui = translator(request, language)
    listing = Listing(
        language=language,
        path=f"/{language}/search",
        heading=ui("Search results for “{query}”", query=text) if text else ui("Search"),
        filters={"text": text},
        params={"q": text},
        run_query=bool(text),
        require_stories=False,
        robots="noindex, follow",
    )
    return await show_listing(request, listing)


# Stories ------------------------------------------------------------------------


def _visible(story: PublicStory | None, now: datetime) -> bool:
    return story is not None and (story.is_killed or story.visible_from <= now)


@router.api_route("/stories/{key}", methods=_GET)
async def story_redirect(key: str, request: Request) -> Response:
    """Send /stories/{id-or-slug} (the wire core's link) to the story's page under its language."""
    story = await runtime_of(request).storage.public.story(key)
    if story is None or not _visible(story, runtime_of(request).clock()):
        return missing(request, default_language(runtime_of(request)))
    return RedirectResponse(seo.story_path(story), status_code=301)


@router.api_route("/{language}/stories/{key}", methods=_GET)
async def story_page(language: str, key: str, request: Request) -> Response:
    """A story in summarized form, with the subscription notice; 410 Gone once it is killed."""
    runtime = runtime_of(request)
    settings = runtime.settings
    story = await runtime.storage.public.story(key)
    if story is None or not _visible(story, runtime_of(request).clock()):
        return missing(request, language if is_language_tag(language) else "en")
    if story.is_killed:
        ui = translator(request, story.language)
        page = PageContext(language=story.language, title=ui("This story has been withdrawn"))
        gone = render(request, "gone.html", page, status=410)
        gone.headers.update(caching.NO_STORE)
        return gone
    if story.language != language or story.slug != key:
        return RedirectResponse(seo.story_path(story), status_code=301)
    picture = (await featured_pictures(request, [story])).get(story.story_id)
    stamps = picture_stamps({story.story_id: picture} if picture else {})
    etag = caching.etag_for(settings, "story", caching.story_stamps([story]), stamps)

    def build() -> Response:
        base = seo.site_base(request, settings)
        url = base + seo.story_path(story)
        article = seo.news_article(story, url, base, settings)
        meta = seo.story_meta(story, url, settings)
        if picture is not None:
            article["image"] = picture.schema_org(base)
            meta += seo.image_meta(base + picture.src, picture.width, picture.height, picture.alt)
        page = PageContext(
            language=story.language,
            title=story.headline,
            canonical=url,
            links=[Link("alternate", url, hreflang=story.language)],
        )
        return render(
            request,
            "story.html",
            page,
            story=story,
            picture=picture,
            meta=meta,
            json_ld=seo.script_json(article),
        )

    return caching.conditional(
        request, settings, etag, caching.last_modified([story]), build, honour_dates=True
    )
