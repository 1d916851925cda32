"""The public site's routes in matching order: fixed files and feeds before the page patterns.

`/{language}` would otherwise swallow `/robots.txt` and `/sitemap.xml`, and
a section page would swallow its own feed.
"""

from __future__ import annotations

from fastapi import APIRouter

from newswire.site import brand, feeds, pages, picture_files, sitemaps

site_router = APIRouter(include_in_schema=False)
for _router in (brand.router, sitemaps.router, feeds.router, picture_files.router, pages.router):
    site_router.include_router(_router)
