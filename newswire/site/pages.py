"""The public website: a portion of the wire, each story in summarized form.

Every handler here reads only `PublicStory` values from the public
projection, which has no body column: the full text cannot reach this side.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from newswire.api.deps import RuntimeDep
from newswire.models import urgency_name, utcnow
from newswire.portion import PublicQuery, PublicStory
from newswire.slugs import slugify

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20

_environment = Environment(
    loader=PackageLoader("newswire.site", "templates"),
    autoescape=select_autoescape(["html", "xml"]),
)
templates = Jinja2Templates(env=_environment)


def _when(value: datetime) -> str:
    return value.strftime("%d.%m.%Y %H:%M UTC")


_environment.filters["when"] = _when
_environment.filters["urgency_name"] = urgency_name
_environment.filters["slugify"] = slugify


def _stylesheet() -> str:
    return resources.files("newswire.site").joinpath("static/site.css").read_text("utf-8")


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    runtime = request.app.state.runtime
    settings = runtime.settings
    base = {
        "site_name": settings.site_name,
        "notice": settings.site_notice,
        "contact_url": settings.site_contact_url,
        "stylesheet": _stylesheet(),
    }
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status)


def _pages(total: int, page: int) -> dict[str, int | None]:
    last = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return {
        "page": page,
        "last": last,
        "prev": page - 1 if page > 1 else None,
        "next": page + 1 if page < last else None,
    }


PageParam = Annotated[int, Query(ge=1, le=10_000)]


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, runtime: RuntimeDep, page: PageParam = 1) -> HTMLResponse:
    """The latest public stories, newest first."""
    query = PublicQuery(now=utcnow(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    stories = await runtime.storage.public_stories(query)
    total = await runtime.storage.count_public_stories(query)
    sections = await runtime.storage.public_sections(query.now)
    return _page(
        request,
        "home.html",
        stories=stories,
        sections=sections,
        pages=_pages(total, page),
        title=None,
    )


@router.get("/sections/{section:path}", response_class=HTMLResponse)
async def section(
    section: str, request: Request, runtime: RuntimeDep, page: PageParam = 1
) -> HTMLResponse:
    """The public stories of one section of the breadcrumb (e.g. world/europe)."""
    query = PublicQuery(
        now=utcnow(), section=section.strip("/"), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    stories = await runtime.storage.public_stories(query)
    total = await runtime.storage.count_public_stories(query)
    if not total:
        return _page(request, "missing.html", 404, title="Not found")
    return _page(
        request,
        "section.html",
        stories=stories,
        section=query.section,
        pages=_pages(total, page),
        title=query.section,
    )


def _visible(story: PublicStory | None) -> bool:
    return story is not None and (story.is_killed or story.visible_from <= utcnow())


@router.get("/stories/{key}")
async def story_redirect(key: str, runtime: RuntimeDep, request: Request) -> Response:
    """Send /stories/{id-or-slug} to the story's page under its language."""
    story = await runtime.storage.public_story(key)
    if story is None or not _visible(story):
        return _page(request, "missing.html", 404, title="Not found")
    return RedirectResponse(f"/{story.language}/stories/{story.slug}", status_code=301)


@router.get("/{language}/stories/{key}", response_class=HTMLResponse)
async def story_page(language: str, key: str, request: Request, runtime: RuntimeDep) -> Response:
    """A story in summarized form, with the subscription notice; 410 once it is killed."""
    story = await runtime.storage.public_story(key)
    if story is None or not _visible(story):
        return _page(request, "missing.html", 404, title="Not found")
    if story.is_killed:
        return _page(request, "gone.html", 410, title="Withdrawn")
    if story.language != language or story.slug != key:
        return RedirectResponse(f"/{story.language}/stories/{story.slug}", status_code=301)
    return _page(request, "story.html", story=story, title=story.headline)
