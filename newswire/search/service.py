"""The search service: archive searches run for a caller, and the searches it keeps.

What a caller may find is decided by its entitlements inside the query (the
same rules as `delivery/entitlement.py`, as SQL), so a story it may not see
is never returned, nor counted. Saved searches belong to one principal: any
other gets "not found", never "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from newswire.models.clock import Clock
from newswire.models.errors import Conflict, Malformed, NotFound
from newswire.models.principals import Principal, Role
from newswire.search.beats import SavedSearch
from newswire.search.params import InvalidSearch, SearchParams, compile_search
from newswire.search.query import Term, positive_terms
from newswire.search.request import (
    InvalidCursor,
    SearchOrder,
    SearchPage,
    SearchRequest,
    decode_cursor,
)
from newswire.storage.interfaces import ArchiveStore

MAX_SAVED_SEARCHES = 200


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, the order it is in, and the words to mark in them."""

    page: SearchPage
    order: SearchOrder
    terms: list[Term]


def compiled(params: SearchParams) -> None:
    """Check that a search parses and its filters make sense; Malformed naming the field if not."""
    try:
        compile_search(params)
    except InvalidSearch as error:
        raise Malformed(error.message, error.field) from error


@dataclass(eq=False)
class Searches:
    """Runs archive searches for a caller, and keeps its saved searches."""

    archive: ArchiveStore
    clock: Clock

    async def run(
        self,
        principal: Principal,
        params: SearchParams,
        order: SearchOrder | None,
        limit: int,
        cursor: str = "",
    ) -> SearchResult:
        """Return one page of the current, unkilled stories the caller may find."""
        try:
            query, filters = compile_search(params)
        except InvalidSearch as error:
            raise Malformed(error.message, error.field) from error
        order = order or (SearchOrder.RELEVANCE if query is not None else SearchOrder.NEWEST)
        request = SearchRequest(
            text=params.q,
            query=query,
            filters=filters,
            order=order,
            limit=limit,
            now=self.clock(),
            entitlements=principal.entitlements if principal.role is Role.SUBSCRIBER else None,
        )
        if cursor:
            try:
                request = replace(request, cursor=decode_cursor(cursor, request.fingerprint()))
            except InvalidCursor as error:
                raise Malformed(str(error), "cursor") from error
        page = await self.archive.search(request)
        return SearchResult(page, order, positive_terms(query))

    async def owned(self, principal: Principal, search_id: str, field: str = "id") -> SavedSearch:
        """Return one of the caller's saved searches; NotFound (naming `field`) otherwise."""
        saved = await self.archive.saved_search(search_id)
        if saved is None or saved.principal_id != principal.id:
            raise NotFound(f"no saved search {search_id} of yours", field)
        return saved

    async def save(self, principal: Principal, name: str, params: SearchParams) -> SavedSearch:
        """Keep a search under a name for the caller (checked first; at most 200 each)."""
        compiled(params)
        if len(await self.archive.saved_searches_of(principal.id)) >= MAX_SAVED_SEARCHES:
            raise Conflict(f"you already keep {MAX_SAVED_SEARCHES} saved searches", "name")
        return await self.archive.save_search(principal.id, name, params)

    async def saved_of(self, principal: Principal) -> list[SavedSearch]:
        """Return the caller's saved searches, oldest first."""
        return await self.archive.saved_searches_of(principal.id)

    async def delete(self, principal: Principal, search_id: str) -> None:
        """Delete one of the caller's saved searches; feeds following it then answer 404."""
        await self.owned(principal, search_id)
        await self.archive.delete_saved_search(search_id)
