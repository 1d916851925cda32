"""The one place the web application is assembled: routes, middleware, error handlers, lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from newswire import __version__
from newswire.api import (
    account,
    admin,
    docs,
    drafts,
    feed,
    feed_urls,
    health,
    media,
    metrics,
    search,
    stories,
    story_list,
    stream,
    subscriber_actions,
    usage,
    versions,
    websocket,
)
from newswire.api import webhooks as webhooks_api
from newswire.api.deps import install_key_before_body
from newswire.api.errors import install_error_handlers
from newswire.api.idempotency import install_idempotency
from newswire.api.limits import RequestSizeLimit
from newswire.api.openapi import ORDERING, install_openapi
from newswire.api.throttle import RateLimitHeaders
from newswire.desk.routes import desk_router
from newswire.monitoring.redaction import install_redaction
from newswire.portal import company_pages as portal_company
from newswire.portal import console_pages as portal_console
from newswire.portal import media_pages as portal_media
from newswire.portal import pages as portal_pages
from newswire.portal import topics as portal_topics
from newswire.runtime import Runtime
from newswire.site.routes import site_router
from newswire.site.templating import stylesheet
from newswire.web.install import install_people, install_web

DESCRIPTION = """
newswire broadcasts a news agency's stories: editors file them, subscribers
receive the full stories they are entitled to, in order, from one gapless log,
and the public website shows a summarized portion.

**Auth**: every `/v1` endpoint takes `Authorization: Bearer <key>`. Keys belong
to one of three roles: admin (from `NEWSWIRE_ADMIN_TOKEN`), editor, subscriber.

**Errors** always have the shape `{"error": {"status", "message", "field"}}`;
`field` names the input at fault (schema `Error`, on every 4xx and 5xx).

**Ordering and resume**: {ordering}
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the app's runtime while it serves: `app.state.runtime` is its one reference."""
    runtime: Runtime = app.state.runtime
    async with runtime.lifespan(app):
        yield


def create_app(runtime: Runtime) -> FastAPI:
    """Build the ASGI app around a runtime; the lifespan migrates and connects it."""

    app = FastAPI(
        title="newswire",
        version=__version__,
        description=DESCRIPTION.replace("{ordering}", ORDERING),
        lifespan=_lifespan,
        docs_url=None,  # served offline by newswire.api.docs
        redoc_url=None,
    )
    app.state.runtime = runtime
    install_openapi(app)  # every answer with its schema, errors with the one Error schema
    install_redaction()  # secret feed URLs never reach the access log
    install_error_handlers(app)
    install_idempotency(app)
    install_key_before_body(app)  # after the error handlers: it replaces one of them
    app.add_middleware(
        RequestSizeLimit,
        max_bytes=runtime.settings.max_request_bytes,
        larger=(("/v1/media", runtime.settings.media_max_upload_bytes),),
    )
    app.add_middleware(RateLimitHeaders)
    for router in (health.router, admin.router, stories.router, versions.router, feed.router):
        app.include_router(router)
    for router in (search.router, stream.router, websocket.router, webhooks_api.router):
        app.include_router(router)
    for router in (account.router, feed_urls.router, subscriber_actions.router, usage.router):
        app.include_router(router)
    for router in (drafts.router, story_list.router):
        app.include_router(router)
    app.include_router(media.router)
    app.include_router(metrics.router)
    app.include_router(docs.router)
    install_web(app, inline_styles=[stylesheet()])  # /static and the security headers
    install_people(app)  # /desk/sign-in, /portal/sign-in and the session checks
    app.include_router(portal_pages.router)  # the subscriber portal
    app.include_router(portal_topics.router)
    app.include_router(portal_company.router)
    app.include_router(portal_console.router)
    app.include_router(portal_media.router)
    app.include_router(desk_router)  # /desk/: the newsroom desk (issue 17)
    # The public site last: its /{language}/... routes must not shadow the API's.
    app.include_router(site_router)
    return app


def create_worker_app(runtime: Runtime) -> FastAPI:
    """Build the worker's small ASGI app: health and metrics; the lifespan runs the jobs."""

    app = FastAPI(title="newswire worker", version=__version__, lifespan=_lifespan)
    app.state.runtime = runtime
    app.include_router(health.router)
    app.include_router(metrics.router)
    return app
