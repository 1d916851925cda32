"""Saved-search columns on the monitoring view (issue 17): the wire as a search sees it.

Beside a desk's stage columns, a chief can put columns that are searches over
the wire in the archive's query language (`sport AND (final OR cup)`,
`category:World -football`): each shows the newest current stories that
match. They are run as the desk, an editor principal (`search.Searches`), so
no subscriber's entitlements narrow them. The monitoring view fetches its
columns again whenever the log grows, so these update live like the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.desk.desks import DESK, DeskBook, store_key
from newswire.desk.live import DeskCue
from newswire.models.clock import Clock
from newswire.models.drafts import Staff
from newswire.models.errors import Forbidden, Invalid, NotFound
from newswire.models.principals import Principal, Role
from newswire.search.params import SearchParams
from newswire.search.request import SearchHit, SearchOrder
from newswire.search.service import Searches, compiled
from newswire.storage.desk_interfaces import DeskConfigStore

MAX_COLUMNS = 6
MAX_NAME = 40
MAX_QUERY = 500
HITS = 20
# Who a column's search runs as: staff see the whole wire.
THE_DESK = Principal("desk", Role.EDITOR, "The desk")


@dataclass(frozen=True)
class SearchColumn:
    """A column of the monitoring view: a name and the search it shows."""

    name: str
    query: str


@dataclass(frozen=True)
class SearchColumnHits:
    """A search column and the newest stories it finds."""

    column: SearchColumn
    hits: list[SearchHit]
    total: int


@dataclass(eq=False)
class SearchColumns:
    """The saved-search columns of each desk, and what they find now."""

    config: DeskConfigStore
    desks: DeskBook
    searches: Searches
    clock: Clock
    cue: DeskCue

    async def of(self, desk: str = DESK) -> list[SearchColumn]:
        """Return a desk's search columns, in order."""
        stored = await self.config.search_columns(store_key(await self.desks.named(desk)))
        return [SearchColumn(column["name"], column["query"]) for column in stored]

    async def add(self, desk: str, name: str, query: str, staff: Staff) -> SearchColumn:
        """Add a search column to a desk (a chief); the query must parse."""
        if not staff.is_chief:
            raise Forbidden("only a chief may change the monitoring view's columns", "column")
        desk = await self.desks.named(desk)
        name, query = " ".join(name.split()), query.strip()
        if not name or len(name) > MAX_NAME:
            raise Invalid(f"a column's name has 1 to {MAX_NAME} characters", "name")
        if not query or len(query) > MAX_QUERY:
            raise Invalid(f"a column's search has 1 to {MAX_QUERY} characters", "query")
        compiled(SearchParams(q=query))
        columns = await self.of(desk)
        if len(columns) >= MAX_COLUMNS:
            raise Invalid(f"a desk has at most {MAX_COLUMNS} search columns", "name")
        column = SearchColumn(name, query)
        await self._store(desk, [*columns, column], staff)
        return column

    async def remove(self, desk: str, position: int, staff: Staff) -> None:
        """Remove a desk's search column by its position, from 0 (a chief)."""
        if not staff.is_chief:
            raise Forbidden("only a chief may change the monitoring view's columns", "column")
        desk = await self.desks.named(desk)
        columns = await self.of(desk)
        if not 0 <= position < len(columns):
            raise NotFound(f"no search column {position + 1} on the {desk} desk", "column")
        await self._store(desk, columns[:position] + columns[position + 1 :], staff)

    async def found(self, desk: str = DESK) -> list[SearchColumnHits]:
        """Return each of a desk's search columns with the newest stories it finds."""
        results: list[SearchColumnHits] = []
        for column in await self.of(desk):
            result = await self.searches.run(
                THE_DESK, SearchParams(q=column.query), SearchOrder.NEWEST, HITS
            )
            results.append(SearchColumnHits(column, result.page.hits, result.page.total))
        return results

    async def _store(self, desk: str, columns: list[SearchColumn], staff: Staff) -> None:
        stored = [{"name": column.name, "query": column.query} for column in columns]
        await self.config.set_search_columns(store_key(desk), stored, staff.name, self.clock())
        self.cue.ring()
