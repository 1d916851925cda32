"""The archive search index and its queries, and saved searches.

`search_stories` holds one row per story that is not killed: its current
version's listing fields, kept in the same transaction as the version
itself, so search never shows a story the log does not have yet, nor one
that was killed. Categories and subjects sit in `search_story_tags` so that
filters and entitlements are plain indexed joins on both dialects. The words
go to the engine's own text index (`text_index.py`).
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.clock import Clock
from newswire.models.principals import Entitlements
from newswire.models.stories import PubStatus, StoryVersion
from newswire.newsroom.bodies import html_to_text
from newswire.search.beats import SavedSearch
from newswire.search.folding import fold, index_text
from newswire.search.matching import document_texts
from newswire.search.params import SearchParams
from newswire.search.request import (
    RELEVANCE_DEPTH,
    Cursor,
    SearchHit,
    SearchOrder,
    SearchPage,
    SearchRequest,
)
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import (
    events,
    saved_searches,
    search_stories,
    search_story_tags,
    stories,
    story_versions,
)
from newswire.storage.text_index import TextIndex

_s = search_stories.c


def _has_tag(kind: str, values: list[str]) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        search_story_tags.c.doc_id == _s.doc_id,
        search_story_tags.c.kind == kind,
        search_story_tags.c.value.in_(values),
    )


def _in_language(languages: list[str]) -> sa.ColumnElement[bool]:
    wanted = [language.casefold() for language in languages]
    return sa.or_(_s.language_folded.in_(wanted), _s.language_base.in_(wanted))


def _entitled(entitlements: Entitlements) -> list[sa.ColumnElement[bool]]:
    """The SQL form of entitlement.matches for current versions (the embargo rule is apart)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if entitlements.max_urgency < 9:
        conditions.append(_s.urgency <= entitlements.max_urgency)
    if entitlements.categories:
        conditions.append(_has_tag("category", [c.casefold() for c in entitlements.categories]))
    if entitlements.languages:
        conditions.append(_in_language(entitlements.languages))
    if entitlements.subjects:
        conditions.append(_has_tag("subject", list(entitlements.subjects)))
    return conditions


def _embargo_hidden(request: SearchRequest) -> str | None:
    """Return the time before which embargoed stories are hidden from this caller, or None."""
    entitlements = request.entitlements
    if entitlements is None or entitlements.embargoed:
        return None
    return rows.db_time(request.now)


def _not_embargoed(doc_id: sa.ColumnElement[Any], now: str) -> sa.ColumnElement[bool]:
    # Few stories are under embargo at a time: excluding that small set is
    # far cheaper than looking up every match's row.
    under_embargo = sa.select(_s.doc_id).where(_s.embargoed_until > now)
    return doc_id.not_in(under_embargo)


def _conditions(request: SearchRequest) -> list[sa.ColumnElement[bool]]:
    filters = request.filters
    conditions: list[sa.ColumnElement[bool]] = []
    if request.entitlements is not None:
        conditions += _entitled(request.entitlements)
    if filters.categories:
        conditions.append(_has_tag("category", [c.casefold() for c in filters.categories]))
    if filters.subjects:
        conditions.append(_has_tag("subject", list(filters.subjects)))
    if filters.languages:
        conditions.append(_in_language(list(filters.languages)))
    if filters.urgency_min > 1:
        conditions.append(_s.urgency >= filters.urgency_min)
    if filters.urgency_max < 9:
        conditions.append(_s.urgency <= filters.urgency_max)
    if filters.published_from is not None:
        conditions.append(_s.first_created >= rows.db_time(filters.published_from))
    if filters.published_to is not None:
        conditions.append(_s.first_created < rows.db_time(filters.published_to))
    if filters.byline:
        conditions.append(_s.byline_folded.contains(filters.byline, autoescape=True))
    if filters.located:
        conditions.append(_s.dateline_folded.contains(filters.located, autoescape=True))
    return conditions


# A story withheld without a release time is hidden from the search as if embargoed for ever.
WITHHELD_FOR_NOW = datetime(9999, 12, 31, tzinfo=UTC)


def _hidden_until(story: StoryVersion) -> datetime | None:
    if story.embargoed_until is None and story.pubstatus is PubStatus.WITHHELD:
        return WITHHELD_FOR_NOW
    return story.embargoed_until


async def index_story(
    conn: AsyncConnection, text_index: TextIndex, story: StoryVersion, seq: int
) -> None:
    """Make the index show a story's current version (called in the version's transaction)."""
    doc_id = await conn.scalar(sa.select(_s.doc_id).where(_s.story_id == story.story_id))
    if doc_id is not None:
        await _unindex(conn, text_index, int(doc_id))
    if story.is_killed:
        return  # a killed story leaves the archive search
    doc_id = int(doc_id) if doc_id is not None else seq
    await conn.execute(
        search_stories.insert().values(
            doc_id=doc_id,
            story_id=story.story_id,
            version=story.version,
            headline=story.headline,
            summary=story.summary or story.public_summary,
            body_text=html_to_text(story.body_html),
            byline=story.byline,
            dateline=story.dateline,
            byline_folded=fold(story.byline),
            dateline_folded=fold(story.dateline),
            language=story.language,
            language_folded=story.language.casefold(),
            language_base=story.language.casefold().split("-")[0],
            urgency=story.urgency,
            categories=json.dumps(list(story.categories), ensure_ascii=False),
            subjects=json.dumps(list(story.subjects)),
            first_created=rows.db_time(story.first_created),
            version_created=rows.db_time(story.version_created),
            embargoed_until=rows.db_time_or_none(_hidden_until(story)),
        )
    )
    tags = {("category", category.casefold()) for category in story.categories}
    tags |= {("subject", subject) for subject in story.subjects}
    if tags:
        await conn.execute(
            search_story_tags.insert(),
            [{"doc_id": doc_id, "kind": kind, "value": value} for kind, value in sorted(tags)],
        )
    texts = {name: index_text(text) for name, text in document_texts(story).items()}
    await text_index.replace(conn, doc_id, texts)


async def _unindex(conn: AsyncConnection, text_index: TextIndex, doc_id: int) -> None:
    await conn.execute(search_story_tags.delete().where(search_story_tags.c.doc_id == doc_id))
    await conn.execute(search_stories.delete().where(_s.doc_id == doc_id))
    await text_index.remove(conn, doc_id)


# The story_versions columns of migration 1 (all that existed when migration 6 ran).
_FIRST_VERSION_COLUMNS = (
    "story_id", "version", "headline", "summary", "body_html", "byline", "dateline",
    "categories", "subjects", "urgency", "language", "public", "pubstatus",
    "embargoed_until", "ednote", "genre", "source", "public_summary",
    "first_created", "version_created",
)  # fmt: skip


async def index_existing_stories(conn: AsyncConnection, text_index: TextIndex) -> int:
    """Index every story's current version (the data step of migration 6); return how many.

    It runs inside migration 6's transaction, so it reads only the columns that
    existed then: later migrations may add others to story_versions.
    """
    firsts = (
        sa.select(events.c.story_id, sa.func.min(events.c.seq).label("first_seq"))
        .group_by(events.c.story_id)
        .subquery()
    )
    result = await conn.execute(
        sa.select(
            *(story_versions.c[name] for name in _FIRST_VERSION_COLUMNS),
            stories.c.slug,
            stories.c.guid,
            firsts.c.first_seq,
        )
        .join(stories, stories.c.id == story_versions.c.story_id)
        .join(firsts, firsts.c.story_id == story_versions.c.story_id)
        .where(story_versions.c.version == stories.c.current_version)
        .order_by(firsts.c.first_seq)
    )
    done = 0
    for row in result.mappings().all():
        story = rows.story_version_from_row(row, row["slug"], row["guid"])
        await index_story(conn, text_index, story, int(row["first_seq"]))
        done += 1
    return done


class SQLArchiveStore:
    """The archive search index beside the log, its queries, and saved searches."""

    def __init__(self, db: Connections, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._text_index = db.text_index

    # Searching ---------------------------------------------------------------------
    #
    # Hits are found in two steps: document numbers first (from the text index
    # alone where nothing else is asked, which is as fast as the engine's own
    # query), then the listing rows of one page by primary key.

    def _hit_ids(self, request: SearchRequest, *columns: Any) -> tuple[sa.Select[Any], Any, Any]:
        """Return a select of matching documents, their document-number column and score."""
        conditions = _conditions(request)
        embargoed = _embargo_hidden(request)
        if request.query is None:
            select = sa.select(*columns).select_from(search_stories).where(*conditions)
            if embargoed is not None:
                select = select.where(_not_embargoed(_s.doc_id, embargoed))
            return select, _s.doc_id, sa.null()
        source, doc_id, match, score = self._text_index.matching(request.query)
        select = sa.select(*columns).select_from(source).where(match)
        if conditions:
            # Only when asked: joining every match to its row costs more than the match.
            select = select.join(search_stories, _s.doc_id == doc_id).where(*conditions)
        if embargoed is not None:
            select = select.where(_not_embargoed(doc_id, embargoed))
        return select, doc_id, score

    async def _count(self, conn: AsyncConnection, request: SearchRequest) -> int:
        select, _, _ = self._hit_ids(request, sa.func.count())
        return int(await conn.scalar(select) or 0)

    async def _rows(
        self,
        conn: AsyncConnection,
        request: SearchRequest,
        doc_ids: list[int],
        scores: dict[int, float | None],
    ) -> list[SearchHit]:
        """Return the hits of a page, re-checking filters, entitlement and kills by primary key."""
        if not doc_ids:
            return []
        select = sa.select(search_stories).where(_s.doc_id.in_(doc_ids), *_conditions(request))
        embargoed = _embargo_hidden(request)
        if embargoed is not None:
            select = select.where(_not_embargoed(_s.doc_id, embargoed))
        result = await conn.execute(select)
        found = {int(row["doc_id"]): row for row in result.mappings()}
        return [
            rows.from_row(SearchHit, found[each], score=scores.get(each))
            for each in doc_ids
            if each in found
        ]

    async def _by_relevance(self, conn: AsyncConnection, request: SearchRequest) -> SearchPage:
        cursor = request.cursor
        if cursor is None:
            select, doc_id, score = self._hit_ids(request)
            ranked = (
                await conn.execute(
                    select.add_columns(doc_id, score)
                    .order_by(score.desc(), doc_id.desc())
                    .limit(RELEVANCE_DEPTH)
                )
            ).all()
            doc_ids = [int(each) for each, _ in ranked]
            scores = [float(value or 0.0) for _, value in ranked]
            # The ranking already counted every hit unless it stopped at its depth.
            deep = len(doc_ids) >= RELEVANCE_DEPTH
            total = await self._count(conn, request) if deep else len(doc_ids)
        else:
            doc_ids, scores, total = list(cursor.remaining), list(cursor.scores), cursor.total
        size = request.limit
        page = doc_ids[:size]
        hits = await self._rows(conn, request, page, dict(zip(page, scores[:size], strict=False)))
        following = None
        if len(doc_ids) > size:
            following = Cursor(
                request.fingerprint(),
                total,
                remaining=tuple(doc_ids[size:]),
                scores=tuple(scores[size:]),
            )
        return SearchPage(hits, total, following)

    async def _by_time(self, conn: AsyncConnection, request: SearchRequest) -> SearchPage:
        # Document numbers grow with first publication on the wire, so "newest"
        # is the order of arrival, and the engines can walk it without sorting.
        newest = request.order is not SearchOrder.OLDEST
        select, doc_id, _ = self._hit_ids(request)
        cursor = request.cursor
        if cursor is not None:
            select = select.where(
                doc_id < cursor.after_doc if newest else doc_id > cursor.after_doc
            )
        ordered = select.add_columns(doc_id).order_by(doc_id.desc() if newest else doc_id)
        found = [int(each) for (each,) in await conn.execute(ordered.limit(request.limit + 1))]
        page = found[: request.limit]
        hits = await self._rows(conn, request, page, {})
        total = cursor.total if cursor is not None else None
        if total is None:
            total = len(found) if len(found) <= request.limit else await self._count(conn, request)
        following = None
        if len(found) > request.limit:
            following = Cursor(request.fingerprint(), total, after_doc=page[-1])
        return SearchPage(hits, total, following)

    async def search(self, request: SearchRequest) -> SearchPage:
        """Return one page of current, unkilled stories matching a search, for its caller."""
        async with self._db.read() as conn:
            if request.order is SearchOrder.RELEVANCE and request.query is not None:
                return await self._by_relevance(conn, request)
            return await self._by_time(conn, request)

    # Saved searches ------------------------------------------------------------------

    async def save_search(self, principal_id: str, name: str, params: SearchParams) -> SavedSearch:
        """Keep a search under a name for a principal."""
        saved = SavedSearch(secrets.token_hex(8), principal_id, name, params, self._clock())
        async with self._db.write() as conn:
            await conn.execute(
                saved_searches.insert().values(
                    rows.row_values(saved, params=json.dumps(params.as_json(), ensure_ascii=False))
                )
            )
        return saved

    async def saved_searches_of(self, principal_id: str) -> list[SavedSearch]:
        """Return a principal's saved searches, oldest first."""
        found = await self._db.fetch_all(
            rows.oldest_first(saved_searches, saved_searches.c.principal_id == principal_id)
        )
        return [_saved(row) for row in found]

    async def saved_search(self, search_id: str) -> SavedSearch | None:
        """Return a saved search by id, whoever owns it."""
        row = await self._db.fetch_one(
            sa.select(saved_searches).where(saved_searches.c.id == search_id)
        )
        return _saved(row) if row else None

    async def delete_saved_search(self, search_id: str) -> bool:
        """Delete a saved search; return whether it existed."""
        return await self._db.delete(saved_searches, saved_searches.c.id == search_id) > 0


def _saved(row: Any) -> SavedSearch:
    return rows.from_row(SavedSearch, row, params=SearchParams.from_json(json.loads(row["params"])))
