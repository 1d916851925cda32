"""Each engine's full-text index of the archive: SQLite FTS5, PostgreSQL tsvector + GIN.

Both index the same folded words (search/folding.py) in the same five
columns, keyed by the story's document number, and both narrow a query on
`search_stories` to the documents matching a parsed query, with a relevance
score where higher is better. Everything else about search (filters,
entitlement, pagination) is shared SQL in `search_store.py`.
"""

from __future__ import annotations

from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.search.engines import COLUMNS, WEIGHTS, column_of, fts5_match, tsquery
from newswire.search.folding import words
from newswire.search.query import Node, Not, Or, Term, positive_terms
from newswire.storage.tables import public_stories


class TextIndex(Protocol):
    """An engine's text index over search_stories.doc_id."""

    async def replace(self, conn: AsyncConnection, doc_id: int, texts: dict[str, str]) -> None:
        """Index a document's folded column texts, replacing what was indexed before."""
        ...

    async def remove(self, conn: AsyncConnection, doc_id: int) -> None:
        """Remove a document from the index."""
        ...

    def matching(self, query: Node) -> tuple[Any, Any, sa.ColumnElement[bool], Any]:
        """Return (what to select from, its document-number column, the match, the score)."""
        ...

    def public_words_match(self, text: str) -> sa.ColumnElement[bool]:
        """Match public stories whose folded headline or summary has words starting with each word.

        Both sides are folded (search/folding.py), so "istanbul" finds
        "İstanbul" and "Rinkevics" finds "Rinkēvičs".
        """
        ...


_fts = sa.table("search_fts", sa.column("rowid", sa.BigInteger))


class FTS5Index:
    """SQLite's FTS5 virtual table `search_fts`, rowid = doc_id, ranked by bm25."""

    async def replace(self, conn: AsyncConnection, doc_id: int, texts: dict[str, str]) -> None:
        """Index a document's folded column texts, replacing what was indexed before."""
        await self.remove(conn, doc_id)
        names = ", ".join(COLUMNS)
        values = ", ".join(f":{name}" for name in COLUMNS)
        await conn.execute(
            sa.text(f"INSERT INTO search_fts (rowid, {names}) VALUES (:doc_id, {values})"),
            {"doc_id": doc_id, **texts},
        )

    async def remove(self, conn: AsyncConnection, doc_id: int) -> None:
        """Remove a document from the index."""
        await conn.execute(
            sa.text("DELETE FROM search_fts WHERE rowid = :doc_id"), {"doc_id": doc_id}
        )

    def matching(self, query: Node) -> tuple[Any, Any, sa.ColumnElement[bool], Any]:
        """The FTS5 match; bm25 is lower for better matches, so the score is its negation."""
        match = sa.literal_column("search_fts").op("MATCH")(fts5_match(query))
        weights = [sa.literal(WEIGHTS[column]) for column in COLUMNS]
        score = -sa.func.bm25(sa.literal_column("search_fts"), *weights)
        return _fts, _fts.c.rowid, match, score

    def public_words_match(self, text: str) -> sa.ColumnElement[bool]:
        """Match public stories with words starting with each word (LIKE on the folded words)."""
        # A leading space makes "% word" match at the start of any word.
        spaced = sa.literal(" ") + public_stories.c.search_words
        return sa.and_(sa.true(), *(spaced.like(f"% {word}%") for word in words(text)))


_documents = sa.table(
    "search_documents",
    sa.column("doc_id", sa.BigInteger),
    *(sa.column(name) for name in ("document", "headline", "byline", "dateline", "subject")),
)
_SIMPLE: sa.ColumnElement[str] = sa.literal_column("'simple'")


def _vector(text: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return sa.func.to_tsvector(_SIMPLE, text)


class PostgresTextIndex:
    """PostgreSQL tsvectors in `search_documents`: one weighted document, one per search field."""

    async def replace(self, conn: AsyncConnection, doc_id: int, texts: dict[str, str]) -> None:
        """Index a document's folded column texts, replacing what was indexed before."""
        await self.remove(conn, doc_id)
        await conn.execute(
            sa.text(
                "INSERT INTO search_documents "
                "(doc_id, document, headline, byline, dateline, subject) VALUES (:doc_id, "
                # Weights rank a headline word above a subject, byline or dateline
                # word, and those above a word of the body.
                "setweight(to_tsvector('simple', :headline), 'A') || "
                "setweight(to_tsvector('simple', :subject), 'B') || "
                "setweight(to_tsvector('simple', :byline || ' ' || :dateline), 'C') || "
                "setweight(to_tsvector('simple', :body), 'D'), "
                "to_tsvector('simple', :headline), to_tsvector('simple', :byline), "
                "to_tsvector('simple', :dateline), to_tsvector('simple', :subject))"
            ),
            {"doc_id": doc_id, **texts},
        )

    async def remove(self, conn: AsyncConnection, doc_id: int) -> None:
        """Remove a document from the index."""
        await conn.execute(
            sa.text("DELETE FROM search_documents WHERE doc_id = :doc_id"), {"doc_id": doc_id}
        )

    def _condition(self, node: Node) -> sa.ColumnElement[bool]:
        column = column_of(node)
        if column is not None:
            # One tsquery against one tsvector: what the GIN index answers best.
            vector = _documents.c["document" if column == "all" else column]
            return vector.bool_op("@@")(sa.func.to_tsquery(_SIMPLE, tsquery(node)))
        if isinstance(node, Or):
            return sa.or_(*(self._condition(part) for part in node.parts))
        if isinstance(node, Term):  # pragma: no cover - a term always has one column
            raise AssertionError(node)
        if isinstance(node, Not):
            return sa.not_(self._condition(node.part))
        return sa.and_(*(self._condition(part) for part in node.parts))

    def matching(self, query: Node) -> tuple[Any, Any, sa.ColumnElement[bool], Any]:
        """The tsvector match; ts_rank over the weighted document is the score."""
        terms = tuple(Term(term.words, None, term.prefix) for term in positive_terms(query))
        wanted = terms[0] if len(terms) == 1 else Or(terms)
        score = sa.func.ts_rank(_documents.c.document, sa.func.to_tsquery(_SIMPLE, tsquery(wanted)))
        return _documents, _documents.c.doc_id, self._condition(query), score

    def public_words_match(self, text: str) -> sa.ColumnElement[bool]:
        """Match public stories with words starting with each word, through the GIN index."""
        found = words(text)
        if not found:
            return sa.true()
        # Prefix terms (`word:*`) keep "budg" finding "budget", as LIKE does on SQLite.
        query = " & ".join(f"'{word}':*" for word in found)
        return public_search_document().bool_op("@@")(sa.func.to_tsquery(_SIMPLE, query))


def public_search_document() -> sa.ColumnElement[Any]:
    """Return the tsvector expression the GIN index of migration 8 is built on."""
    # Literals, not bound parameters: the planner uses the expression index only
    # when the query's expression is the same as the index's.
    return sa.func.to_tsvector(_SIMPLE, public_stories.c.search_words)
