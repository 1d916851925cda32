"""A parsed query as each engine's own query text: an FTS5 MATCH string, a PostgreSQL tsquery.

Both engines index the same folded words (`folding.index_text`), so a query
compiles to the same meaning on both. Words are quoted, so nothing a user
types can reach either engine's syntax.
"""

from __future__ import annotations

from newswire.search.query import Node, Not, Or, Term

# The indexed columns, in the order of the FTS5 table and of bm25()'s weights.
COLUMNS = ("headline", "body", "byline", "dateline", "subject")
# Relevance weights: a word in the headline counts for more than one in the body.
WEIGHTS = {"headline": 10.0, "body": 1.0, "byline": 2.0, "dateline": 2.0, "subject": 4.0}


def fts5_match(node: Node) -> str:
    """Return the FTS5 MATCH expression for a query (exclusions already checked)."""
    if isinstance(node, Term):
        phrase = '"' + " ".join(node.words) + '"' + ("*" if node.prefix else "")
        return f"{node.field} : {phrase}" if node.field else phrase
    if isinstance(node, Or):
        return "(" + " OR ".join(fts5_match(part) for part in node.parts) + ")"
    if isinstance(node, Not):
        # Only reached inside And (see query._check_exclusions).
        return fts5_match(node.part)
    required = [fts5_match(part) for part in node.parts if not isinstance(part, Not)]
    excluded = [fts5_match(part.part) for part in node.parts if isinstance(part, Not)]
    # FTS5's NOT is binary: "a AND b NOT c NOT d".
    return "(" + " AND ".join(required) + "".join(f" NOT {e}" for e in excluded) + ")"


def tsquery(node: Node) -> str:
    """Return a PostgreSQL tsquery for a query whose terms all target one column."""
    if isinstance(node, Term):
        lexemes = [f"'{word}'" for word in node.words]
        if node.prefix:
            lexemes[-1] += ":*"
        return "(" + " <-> ".join(lexemes) + ")"
    if isinstance(node, Not):
        return "!" + tsquery(node.part)
    joiner = " | " if isinstance(node, Or) else " & "
    return "(" + joiner.join(tsquery(part) for part in node.parts) + ")"


def column_of(node: Node) -> str | None:
    """Return the one column every term of a query targets ("all" when unfielded), or None."""
    if isinstance(node, Term):
        return node.field or "all"
    if isinstance(node, Not):
        return column_of(node.part)
    columns = {column_of(part) for part in node.parts}
    return columns.pop() if len(columns) == 1 else None
