"""Archive search: `GET /v1/search`, and saved searches a newsroom follows as its beat.

Handlers read the parameters, let the search service (`search/service.py`)
check them and find a page, and add the marks (`search/highlight.py`). What
the caller may find is decided by its entitlements inside the query, so a
story it may not see is never returned, nor counted.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from newswire.api.deps import AUTH_ERRORS, ReaderDep, RuntimeDep
from newswire.search.beats import SavedSearch
from newswire.search.highlight import highlight, snippet
from newswire.search.params import SearchParams
from newswire.search.request import SearchHit, SearchOrder, encode_cursor

router = APIRouter(prefix="/v1", tags=["search"], responses=AUTH_ERRORS)

MAX_LIMIT = 100

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
        params = (await runtime.searches.owned(principal, saved, "saved")).params
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
    result = await runtime.searches.run(principal, params, sort, limit, cursor)
    page = result.page
    return {
        "total": page.total,
        "sort": result.order.value,
        "hits": [_hit_json(hit, result.terms) for hit in page.hits],
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
    return _saved_json(await runtime.searches.save(principal, body.name, params))


@router.get("/searches")
async def list_saved_searches(runtime: RuntimeDep, principal: ReaderDep) -> dict[str, Any]:
    """List the caller's saved searches, oldest first."""
    searches = await runtime.searches.saved_of(principal)
    return {"searches": [_saved_json(saved) for saved in searches]}


@router.get("/searches/{search_id}", responses={404: {"description": "No such saved search"}})
async def get_saved_search(
    search_id: str, runtime: RuntimeDep, principal: ReaderDep
) -> dict[str, Any]:
    """Return one of the caller's saved searches."""
    return _saved_json(await runtime.searches.owned(principal, search_id))


@router.delete(
    "/searches/{search_id}",
    status_code=204,
    responses={404: {"description": "No such saved search"}},
)
async def delete_saved_search(search_id: str, runtime: RuntimeDep, principal: ReaderDep) -> None:
    """Delete one of the caller's saved searches; feeds following it answer 404 from then on."""
    await runtime.searches.delete(principal, search_id)
