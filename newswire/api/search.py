"""Archive search: `GET /v1/search`, and saved searches a newsroom follows as its beat.

Handlers read the parameters, let `search/params.py` check and compile them,
ask storage for a page, and add the marks (`search/highlight.py`). What the
caller may find is decided by its entitlements inside the query, so a story
it may not see is never returned, nor counted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from newswire.api.deps import AUTH_ERRORS, ReaderDep, RuntimeDep
from newswire.api.errors import APIError
from newswire.models.clock import utcnow
from newswire.models.principals import Principal, Role
from newswire.runtime import Runtime
from newswire.search.beats import SavedSearch
from newswire.search.highlight import highlight, snippet
from newswire.search.params import InvalidSearch, SearchParams, compile_search
from newswire.search.query import positive_terms
from newswire.search.request import (
    InvalidCursor,
    SearchHit,
    SearchOrder,
    SearchRequest,
    decode_cursor,
    encode_cursor,
)

router = APIRouter(prefix="/v1", tags=["search"], responses=AUTH_ERRORS)

MAX_LIMIT = 100
MAX_SAVED_SEARCHES = 200

QueryText = Annotated[
    str,
    Query(
        description='Words, "exact phrases", AND / OR / NOT / -word, (groups), '
        "headline: byline: dateline: subject: fields, word* prefixes"
    ),
]
Many = Annotated[list[str] | None, Query()]


def _hit_json(hit: SearchHit, terms: list[Any]) -> dict[str, Any]:
    body = {
        "id": hit.story_id,
        "version": hit.version,
        "headline": hit.headline,
        "headline_html": highlight(hit.headline, terms),
        "summary": hit.summary,
        "snippet_html": snippet(f"{hit.summary}\n{hit.body_text}", terms),
        "byline": hit.byline,
        "dateline": hit.dateline,
        "language": hit.language,
        "urgency": hit.urgency,
        "categories": list(hit.categories),
        "subjects": list(hit.subjects),
        "first_created": hit.first_created.isoformat(),
        "version_created": hit.version_created.isoformat(),
        "score": None if hit.score is None else round(hit.score, 6),
        "href": f"/v1/stories/{hit.story_id}",
    }
    if hit.embargoed_until is not None:
        body["embargoed_until"] = hit.embargoed_until.isoformat()
    return body


def _compiled(params: SearchParams) -> tuple[Any, Any]:
    try:
        return compile_search(params)
    except InvalidSearch as error:
        raise APIError(400, error.message, error.field) from error


async def _owned_search(
    runtime: Runtime, principal: Principal, search_id: str, field: str
) -> SavedSearch:
    saved = await runtime.storage.saved_search(search_id)
    if saved is None or saved.principal_id != principal.id:
        raise APIError(404, f"no saved search {search_id} of yours", field)
    return saved


async def saved_search_for(runtime: Runtime, principal: Principal, search_id: str) -> SavedSearch:
    """Return the caller's saved search `search_id` (404 naming the `search` parameter)."""
    return await _owned_search(runtime, principal, search_id, "search")


@router.get(
    "/search",
    responses={
        400: {"description": "Malformed query or filter; `field` names it, the message says where"},
        404: {"description": "No such saved search"},
    },
)
async def search(
    runtime: RuntimeDep,
    principal: ReaderDep,
    q: QueryText = "",
    category: Many = None,
    subject: Annotated[
        list[str] | None, Query(description="Media Topic code; narrower topics are included")
    ] = None,
    language: Many = None,
    urgency: Annotated[str, Query(description="A level (2) or a range (1-3)")] = "",
    published_from: Annotated[
        str, Query(alias="from", description="First published at or after (date or time)")
    ] = "",
    published_to: Annotated[
        str, Query(alias="to", description="First published before; a date includes that day")
    ] = "",
    byline: Annotated[str, Query(description="A part of the byline")] = "",
    located: Annotated[str, Query(description="A part of the dateline")] = "",
    sort: Annotated[
        SearchOrder | None,
        Query(description="relevance (the default with words), newest (without), oldest"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    cursor: Annotated[str, Query(description="The `next` of the previous page")] = "",
    saved: Annotated[str, Query(description="Run a saved search instead of the parameters")] = "",
) -> dict[str, Any]:
    """Search the current versions of the stories the caller may receive.

    Killed stories are never found; embargoed ones only by subscribers with
    embargo access (and by editors). Hits carry the headline with its matched
    words marked and a snippet of the text around them (HTML: escaped text
    and `<mark>`); the full item is `href` away, in the caller's format.
    `next` pages through the hits without repeats or gaps while stories keep
    arriving; by relevance, up to the first 300 hits (`newest` and `oldest`
    order by first arrival on the wire and page through every hit).
    """
    if saved:
        params = (await _owned_search(runtime, principal, saved, "saved")).params
    else:
        params = SearchParams(
            q=q,
            category=tuple(category or ()),
            subject=tuple(subject or ()),
            language=tuple(language or ()),
            urgency=urgency,
            published_from=published_from,
            published_to=published_to,
            byline=byline,
            located=located,
        )
    query, filters = _compiled(params)
    order = sort or (SearchOrder.RELEVANCE if query is not None else SearchOrder.NEWEST)
    request = SearchRequest(
        text=params.q,
        query=query,
        filters=filters,
        order=order,
        limit=limit,
        now=utcnow(),
        entitlements=principal.entitlements if principal.role is Role.SUBSCRIBER else None,
    )
    if cursor:
        try:
            decoded = decode_cursor(cursor, request.fingerprint())
        except InvalidCursor as error:
            raise APIError(400, str(error), "cursor") from error
        request = replace(request, cursor=decoded)
    page = await runtime.storage.search_stories(request)
    terms = positive_terms(query)
    return {
        "total": page.total,
        "sort": order.value,
        "hits": [_hit_json(hit, terms) for hit in page.hits],
        "next": encode_cursor(page.next) if page.next else None,
    }


class NewSavedSearch(BaseModel):
    """A search to keep under a name and follow as a feed or stream."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)
    name: str = Field(min_length=1, max_length=200)
    q: str = Field("", max_length=1000)
    category: list[str] = Field(default_factory=list)
    subject: list[str] = Field(default_factory=list)
    language: list[str] = Field(default_factory=list)
    urgency: str = ""
    published_from: str = Field("", alias="from")
    published_to: str = Field("", alias="to")
    byline: str = ""
    located: str = ""


def _saved_json(saved: SavedSearch) -> dict[str, Any]:
    return {
        "id": saved.id,
        "name": saved.name,
        **{
            {"published_from": "from", "published_to": "to"}.get(name, name): (
                list(value) if isinstance(value, tuple) else value
            )
            for name, value in saved.params.as_json().items()
        },
        "created_at": saved.created_at.isoformat(),
        "links": {
            "results": f"/v1/search?saved={saved.id}",
            "feed": f"/v1/feed?search={saved.id}",
            "stream": f"/v1/stream?search={saved.id}",
            "websocket": f"/v1/ws?search={saved.id}",
        },
    }


@router.post("/searches", status_code=201, responses={400: {"description": "Malformed query"}})
async def create_saved_search(
    body: NewSavedSearch, runtime: RuntimeDep, principal: ReaderDep
) -> dict[str, Any]:
    """Save a search; follow it with `GET /v1/feed?search=ID` or `GET /v1/stream?search=ID`."""
    params = SearchParams.from_json(body.model_dump(exclude={"name"}))
    _compiled(params)
    if len(await runtime.storage.saved_searches_of(principal.id)) >= MAX_SAVED_SEARCHES:
        raise APIError(409, f"you already keep {MAX_SAVED_SEARCHES} saved searches", "name")
    return _saved_json(await runtime.storage.save_search(principal.id, body.name, params))


@router.get("/searches")
async def list_saved_searches(runtime: RuntimeDep, principal: ReaderDep) -> dict[str, Any]:
    """List the caller's saved searches, oldest first."""
    searches = await runtime.storage.saved_searches_of(principal.id)
    return {"searches": [_saved_json(saved) for saved in searches]}


@router.get("/searches/{search_id}", responses={404: {"description": "No such saved search"}})
async def get_saved_search(
    search_id: str, runtime: RuntimeDep, principal: ReaderDep
) -> dict[str, Any]:
    """Return one of the caller's saved searches."""
    return _saved_json(await _owned_search(runtime, principal, search_id, "id"))


@router.delete(
    "/searches/{search_id}",
    status_code=204,
    responses={404: {"description": "No such saved search"}},
)
async def delete_saved_search(search_id: str, runtime: RuntimeDep, principal: ReaderDep) -> None:
    """Delete one of the caller's saved searches; feeds following it answer 404 from then on."""
    await _owned_search(runtime, principal, search_id, "id")
    await runtime.storage.delete_saved_search(search_id)
