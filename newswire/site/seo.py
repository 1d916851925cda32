"""What search engines and social sites read: URLs, schema.org JSON-LD, Open Graph and Twitter tags.

Every value here comes from a `PublicStory`, so the description a crawler
sees is the public summary and nothing else.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from markupsafe import Markup

from newswire.models.public import PublicStory
from newswire.models.slugs import slugify
from newswire.settings import Settings
from newswire.site.brand import LOGO_PATH, LOGO_SIZE
from newswire.site.i18n import open_graph_locale

SCHEMA_ORG = "https://schema.org"
# Google's guideline for a NewsArticle headline: at most 110 characters.
HEADLINE_MAX = 110
# The page element that stands for the subscribers' part of the story (story.html):
# search engines read it as the paywalled part, so the summary-only page is not cloaking.
SUBSCRIBER_PART_CLASS = "subscriber-part"


def site_base(request: Request, settings: Settings) -> str:
    """Return the public base URL, no trailing slash: the base_url setting, else the request's.

    Behind a CDN set base_url: a URL taken from the Host header could be poisoned.
    """
    base = settings.base_url or str(request.base_url)
    return base.rstrip("/")


def story_path(story: PublicStory) -> str:
    """Return the path of a story's page, under its language."""
    return f"/{story.language}/stories/{quote(story.slug)}"


def section_path(language: str, section: str) -> str:
    """Return the path of a section page."""
    return f"/{language}/sections/{quote(section)}"


def subject_path(language: str, code: str) -> str:
    """Return the path of a subject page (the bare Media Topic number)."""
    return f"/{language}/subjects/{quote(code.removeprefix('medtop:'))}"


def author_path(language: str, byline: str) -> str:
    """Return the path of an author page."""
    return f"/{language}/authors/{quote(slugify(byline))}"


def page_url(path: str, page: int, **params: str) -> str:
    """Return a listing URL; page 1 has no page parameter, so it has one canonical form."""
    query = {key: value for key, value in params.items() if value}
    if page > 1:
        query["page"] = str(page)
    return f"{path}?{urlencode(query)}" if query else path


def script_json(data: Any) -> Markup:
    """Serialize JSON for a <script> element: `</script>` and HTML comments cannot break out."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)


def short_headline(headline: str, limit: int = HEADLINE_MAX) -> str:
    """Return a headline cut at a word to at most `limit` characters, ending in an ellipsis."""
    if len(headline) <= limit:
        return headline
    cut = headline[: limit - 1]
    if " " in cut and not headline[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def publisher(base: str, settings: Settings) -> dict[str, Any]:
    """Return the NewsMediaOrganization that publishes the site, with its logo."""
    logo: dict[str, Any] = {"@type": "ImageObject", "url": settings.site_logo_url}
    if not settings.site_logo_url:
        width, height = LOGO_SIZE
        logo = {"@type": "ImageObject", "url": base + LOGO_PATH, "width": width, "height": height}
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.site_name,
        "url": base + "/",
        "logo": logo,
    }


def news_article(story: PublicStory, url: str, base: str, settings: Settings) -> dict[str, Any]:
    """Return the schema.org NewsArticle of a story page; its description is the public summary.

    The full story is for subscribers: the article is marked not free, with the
    page's subscriber part (the notice that stands for it) as the paywalled part.
    """
    organization = publisher(base, settings)
    author: dict[str, Any]
    if story.byline:
        author = {
            "@type": "Person",
            "name": story.byline,
            "url": base + author_path(story.language, story.byline),
        }
    else:
        author = organization
    article: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": short_headline(story.headline),
        "description": story.summary,
        "datePublished": story.first_published.isoformat(),
        "dateModified": story.updated_at.isoformat(),
        "inLanguage": story.language,
        "author": author,
        "publisher": organization,
        "isAccessibleForFree": False,
        "hasPart": {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": f".{SUBSCRIBER_PART_CLASS}",
        },
    }
    if story.categories:
        article["articleSection"] = list(story.categories)
    if story.dateline:
        article["locationCreated"] = {"@type": "Place", "name": story.dateline}
    return article


def story_meta(story: PublicStory, url: str, settings: Settings) -> list[tuple[str, str, str]]:
    """Return (attribute, name, content) of the Open Graph, article and Twitter meta tags."""
    tags = [
        ("name", "description", story.summary),
        ("property", "og:type", "article"),
        ("property", "og:site_name", settings.site_name),
        ("property", "og:title", story.headline),
        ("property", "og:description", story.summary),
        ("property", "og:url", url),
        ("property", "og:locale", open_graph_locale(story.language)),
        ("property", "article:published_time", story.first_published.isoformat()),
        ("property", "article:modified_time", story.updated_at.isoformat()),
    ]
    tags += [("property", "article:section", category) for category in story.categories]
    tags += [
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", story.headline),
        ("name", "twitter:description", story.summary),
    ]
    return tags


def image_meta(url: str, width: int, height: int, alt: str) -> list[tuple[str, str, str]]:
    """Return the Open Graph and Twitter tags of a page's picture (its public preview)."""
    tags = [
        ("property", "og:image", url),
        ("property", "og:image:width", str(width)),
        ("property", "og:image:height", str(height)),
        ("name", "twitter:image", url),
    ]
    if alt:
        tags += [("property", "og:image:alt", alt), ("name", "twitter:image:alt", alt)]
    return tags
