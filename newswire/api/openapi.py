"""The OpenAPI document, made for code generators: every answer has a schema.

FastAPI derives the operations from the handlers; this module completes the
document once, when it is first asked for:

- each success gets the schema of its body (`api/schemas.py`), by operation,
  in `SUCCESS` below: one table, so no handler has to change its signature;
- every 4xx and 5xx carries the one `Error` schema (FastAPI's own
  `HTTPValidationError` is gone: the API never answers with it);
- `GET /v1/ws` (WebSocket, which OpenAPI cannot call) and the SSE stream are
  described: media type, frames, resume;
- the ordering and resume rules are stated once, in `ORDERING`, which the
  description carries and docs/api.md and docs/realtime.md repeat word for
  word (a test compares them).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from newswire.api import schemas

# The ordering and resume rules, the single statement of them (see reader.py `flash_first`).
ORDERING = (
    "Following `next` from page to page (or staying connected to a stream) yields every "
    "event you are entitled to exactly once: never skipped, never repeated. Events come in "
    "log order, except that within one page (or one batch of a stream) flash, urgent and "
    "important items come before routine ones; a story's versions always keep their order. "
    "`seq` is an event's log position; `cursor` is where to resume after it, and equals "
    "`seq` unless an urgent item overtook earlier ones. Resuming from an event's `cursor` "
    "never skips an event but may repeat one that was delivered ahead of its log position "
    "(recognise it by its `seq` and drop it); so may a webhook retry."
)

Body = type[BaseModel] | dict[str, Any]
_JSON = "application/json"
_TEXT: dict[str, Any] = {"type": "string"}
_STORY_MEDIA: dict[str, Body] = {
    _JSON: schemas.NinjsItem,
    "application/vnd.iptc.g2.newsitem+xml": _TEXT,
    "application/nitf+xml": _TEXT,
    "text/plain": _TEXT,
}
SSE_DESCRIPTION = (
    "`text/event-stream`: one event per log event, `id: <cursor>`, `event: <type>` "
    "(`story.published`, ...), `data: <the feed's event envelope as one line of JSON>` "
    "(schema `EventEnvelope`). Comment lines (`: keepalive`) arrive when idle. The stream "
    "ends with `event: access_revoked` or `event: quota_exhausted` (data: the `Error` "
    "body) when the key stops working or the daily quota is used up. Reconnect with "
    "`Last-Event-ID: <last id>` to resume. " + ORDERING
)
WS_DESCRIPTION = (
    "WebSocket (upgrade with `GET /v1/ws`). Authenticate with `Authorization: Bearer <key>` "
    'on the upgrade, or with a first text frame `{"type": "auth", "key": "<key>", '
    '"after": "<cursor>"}`. The server answers `{"type": "ready", "cursor": "<cursor>"}`, '
    "then sends one text frame per event: the feed's event envelope (schema "
    '`EventEnvelope`). When idle it sends `{"type": "ping"}`; a client may send '
    '`{"type": "ping"}` and gets `{"type": "pong"}`. Resume with `?after=<cursor>` (or '
    "`after` in the auth frame). Close codes: 1008 bad key, 1003 bad message, 1013 the "
    "client fell too far behind (reconnect with its last cursor), 1012 restart, 4401 the "
    "key stopped working, 4429 over the rate limit or the daily quota (last frame "
    '`{"type": "quota_exhausted", "error": {...}}`). ' + ORDERING
)

# (method, path) -> (status, {media type: schema}) of each operation's success.
SUCCESS: dict[tuple[str, str], tuple[str, dict[str, Body]]] = {
    ("get", "/healthz"): ("200", {_JSON: schemas.Health}),
    ("get", "/readyz"): ("200", {_JSON: schemas.Health}),
    ("get", "/livez"): ("200", {_JSON: schemas.Health}),
    ("get", "/metrics"): ("200", {"text/plain": _TEXT}),
    ("get", "/v1/editors"): ("200", {_JSON: schemas.Editors}),
    ("post", "/v1/editors"): ("201", {}),
    ("get", "/v1/subscribers"): ("200", {_JSON: schemas.Subscribers}),
    ("post", "/v1/subscribers"): ("201", {}),
    ("patch", "/v1/subscribers/{subscriber_id}"): ("200", {_JSON: schemas.Principal}),
    ("post", "/v1/subscribers/{subscriber_id}/suspend"): ("200", {_JSON: schemas.Principal}),
    ("post", "/v1/subscribers/{subscriber_id}/resume"): ("200", {_JSON: schemas.Principal}),
    ("post", "/v1/subscribers/{subscriber_id}/rotate-key"): ("200", {}),
    ("post", "/v1/stories"): ("201", {_JSON: schemas.StoryRecord}),
    ("put", "/v1/stories/{story_id}"): ("200", {_JSON: schemas.StoryRecord}),
    ("post", "/v1/stories/{story_id}/kill"): ("200", {_JSON: schemas.StoryRecord}),
    ("post", "/v1/stories/{story_id}/correct"): ("200", {_JSON: schemas.StoryRecord}),
    ("post", "/v1/stories/{story_id}/embargo"): ("200", {_JSON: schemas.StoryRecord}),
    ("get", "/v1/stories/{story_id}"): ("200", _STORY_MEDIA),
    ("get", "/v1/stories/{story_id}/versions"): ("200", {_JSON: schemas.Versions}),
    ("get", "/v1/stories/{story_id}/versions/{version}"): ("200", _STORY_MEDIA),
    ("get", "/v1/stories/{story_id}/diff"): ("200", {_JSON: schemas.VersionDiff}),
    ("get", "/v1/feed"): ("200", {_JSON: schemas.FeedPage}),
    ("get", "/v1/feed.atom"): ("200", {"application/atom+xml": _TEXT}),
    ("get", "/v1/feeds/{secret}.atom"): ("200", {"application/atom+xml": _TEXT}),
    ("get", "/v1/search"): ("200", {_JSON: schemas.SearchPage}),
    ("get", "/v1/searches"): ("200", {_JSON: schemas.SavedSearches}),
    ("post", "/v1/searches"): ("201", {_JSON: schemas.SavedSearch}),
    ("get", "/v1/searches/{search_id}"): ("200", {_JSON: schemas.SavedSearch}),
    ("get", "/v1/stream"): ("200", {"text/event-stream": _TEXT}),
    ("get", "/v1/webhooks"): ("200", {_JSON: schemas.WebhookEndpoints}),
    ("post", "/v1/webhooks"): ("201", {_JSON: schemas.WebhookEndpoint}),
    ("get", "/v1/webhooks/{endpoint_id}"): ("200", {_JSON: schemas.WebhookEndpoint}),
    ("post", "/v1/webhooks/{endpoint_id}/enable"): ("200", {_JSON: schemas.WebhookEndpoint}),
    ("post", "/v1/webhooks/{endpoint_id}/replay"): ("200", {_JSON: schemas.WebhookEndpoint}),
    ("post", "/v1/webhooks/{endpoint_id}/rotate-secret"): (
        "200",
        {_JSON: schemas.WebhookEndpoint},
    ),
    ("get", "/v1/webhooks/{endpoint_id}/deliveries"): ("200", {_JSON: schemas.DeliveryAttempts}),
    ("get", "/v1/account"): ("200", {_JSON: schemas.Account}),
    ("get", "/v1/account/feed-url"): ("200", {_JSON: schemas.FeedUrlInfo}),
    ("post", "/v1/account/feed-url"): ("201", {_JSON: schemas.FeedUrl}),
    ("get", "/v1/admin/usage"): ("200", {_JSON: schemas.UsagePage, "text/csv": _TEXT}),
    ("get", "/v1/stories"): ("200", {_JSON: schemas.StoryList}),
    ("get", "/v1/stories/{story_id}/deliveries"): ("200", {_JSON: schemas.StoryDeliveries}),
    ("post", "/v1/drafts"): ("201", {_JSON: schemas.Draft}),
    ("get", "/v1/drafts/{draft_id}"): ("200", {_JSON: schemas.Draft}),
    ("put", "/v1/drafts/{draft_id}"): ("200", {_JSON: schemas.Draft}),
    ("post", "/v1/drafts/{draft_id}/submit"): ("200", {_JSON: schemas.Draft}),
    ("post", "/v1/drafts/{draft_id}/publish"): ("200", {_JSON: schemas.PublishedDraft}),
    ("post", "/v1/drafts/{draft_id}/correct"): ("200", {_JSON: schemas.PublishedDraft}),
    ("get", "/v1/drafts/{draft_id}/history"): ("200", {_JSON: schemas.DraftHistory}),
    ("post", "/v1/media"): ("201", {_JSON: schemas.FiledMedia}),
    ("put", "/v1/media/{media_id}"): ("200", {_JSON: schemas.FiledMedia}),
    ("post", "/v1/media/{media_id}/kill"): ("200", {_JSON: schemas.FiledMedia}),
    ("get", "/v1/media/{media_id}"): (
        "200",
        {
            _JSON: schemas.MediaItem,
            "application/vnd.iptc.g2.newsitem+xml": _TEXT,
            "application/nitf+xml": _TEXT,
        },
    ),
    ("get", "/v1/media/{media_id}/renditions/{name}"): (
        "200",
        {"image/*": {"type": "string", "format": "binary"}, "video/mp4": _TEXT},
    ),
}
# Refusals some parameters bring wherever they are taken (the handlers raise them).
PARAMETER_ERRORS = {
    "after": ("400", "Invalid cursor: use the `next` (or an event's `cursor`) you were given"),
    "search": ("404", "No saved search of yours with this id"),
}
# Refusals of a request body's fields, by operation.
BODY_ERRORS = {
    ("post", "/v1/webhooks/{endpoint_id}/replay"): ("400", "Invalid cursor in `after`"),
}
# Models every document carries, whether or not an operation names them.
ALWAYS = (schemas.Error, schemas.EventEnvelope)


class _Components:
    """The `components/schemas` being built: each model's schema, its nested ones beside it."""

    def __init__(self, existing: dict[str, Any]) -> None:
        self.schemas = existing

    def ref(self, body: Body) -> dict[str, Any]:
        if isinstance(body, dict):
            return body
        schema = body.model_json_schema(
            by_alias=True, ref_template="#/components/schemas/{model}", mode="serialization"
        )
        for name, nested in schema.pop("$defs", {}).items():
            self.schemas.setdefault(name, nested)
        self.schemas.setdefault(body.__name__, schema)
        return {"$ref": f"#/components/schemas/{body.__name__}"}


def _complete(document: dict[str, Any]) -> dict[str, Any]:
    components = _Components(document.setdefault("components", {}).setdefault("schemas", {}))
    for model in ALWAYS:
        components.ref(model)
    error = {"content": {_JSON: {"schema": components.ref(schemas.Error)}}}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            status, media = SUCCESS.get((method, path), (None, {}))
            if status is not None and media:
                answer = responses.setdefault(status, {"description": "Success"})
                answer["content"] = {
                    kind: {"schema": components.ref(body)} for kind, body in media.items()
                }
            _hoist_request_schemas(operation, components)
            if path == "/v1/stream":
                responses["200"]["description"] = SSE_DESCRIPTION
            _declare_refusals(method, path, operation)
            for code, answer in responses.items():
                if code[0] in "45":
                    answer.update(error)
    document["paths"]["/v1/ws"] = {"get": _websocket_operation(components)}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.schemas.pop(unused, None)
    return document


def _declare_refusals(method: str, path: str, operation: dict[str, Any]) -> None:
    """Declare the 4xx that an operation's inputs can bring, so no answer is undocumented."""
    responses = operation["responses"]
    if operation.get("parameters") or operation.get("requestBody"):
        responses.setdefault("422", {"description": "Invalid input; `field` names it"})
    for parameter in operation.get("parameters", []):
        if parameter["name"] in PARAMETER_ERRORS:
            code, description = PARAMETER_ERRORS[parameter["name"]]
            responses.setdefault(code, {"description": description})
    if (method, path) in BODY_ERRORS:
        code, description = BODY_ERRORS[(method, path)]
        responses.setdefault(code, {"description": description})


def _hoist_request_schemas(operation: dict[str, Any], components: _Components) -> None:
    """Name an inline JSON body schema (the story's, from `openapi_extra`) as a component.

    A generator makes one class per component; an inline schema would become
    an anonymous one, or none.
    """
    for kind, media in operation.get("requestBody", {}).get("content", {}).items():
        schema = media.get("schema", {})
        title = schema.get("title")
        if kind == _JSON and title and "properties" in schema:
            text = json.dumps(schema).replace('"#/$defs/', '"#/components/schemas/')
            schema = json.loads(text)
            for name, nested in schema.pop("$defs", {}).items():
                components.schemas.setdefault(name, nested)
            components.schemas.setdefault(title, schema)
            media["schema"] = {"$ref": f"#/components/schemas/{title}"}


def _websocket_operation(components: _Components) -> dict[str, Any]:
    error = {"content": {_JSON: {"schema": components.ref(schemas.Error)}}}
    return {
        "tags": ["streams"],
        "summary": "Follow the wire over a WebSocket",
        "operationId": "websocket_v1_ws_get",
        "security": [{"HTTPBearer": []}],
        "description": WS_DESCRIPTION,
        "parameters": [
            {
                "name": "after",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "Cursor to resume after",
            },
            {
                "name": "format",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "ninjs2, ninjs3, newsml-g2, nitf or text",
            },
            {
                "name": "search",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "A saved search's id: only its stories",
            },
        ],
        "responses": {
            "101": {
                "description": "Switching protocols: frames are event envelopes",
                "content": {_JSON: {"schema": components.ref(schemas.EventEnvelope)}},
            },
            "401": {"description": "Missing or unknown key", **error},
        },
        # A WebSocket cannot be called as HTTP: generators and fuzzers must leave it out.
        "x-websocket": True,
    }


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` (and `/openapi.json`) answer the completed document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = _complete(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
