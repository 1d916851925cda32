"""The newsroom query language, parsed into a small tree.

    nato defence                   both words (AND is implied)
    "defence spending"             the exact phrase
    nato OR otan                   either word
    nato -russia, nato NOT russia  the first without the second
    (nato OR otan) AND budget      grouping
    headline:nato                  a word in one field: headline, byline,
    byline:"jane doe"              dateline (or located), subject; a
    subject:(politics OR 11000000) field applies to a phrase or a group too
    defen*                         words starting with "defen"

Operators are upper-case, as in most newsroom systems, so the word "and" in
a headline can still be searched for. Words are folded (see `folding.py`)
before they are compared. A malformed query raises `QuerySyntaxError`, which
says what is wrong and at which character (counting from 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from newswire.search.folding import words

FIELDS = {
    "headline": "headline",
    "byline": "byline",
    "dateline": "dateline",
    "located": "dateline",
    "subject": "subject",
}
# Prefixes that are part of ordinary text, not fields (subject qcodes).
_NOT_FIELDS = {"medtop"}
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 64


class QuerySyntaxError(ValueError):
    """A query the parser cannot read; `position` counts characters from 1."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position})")
        self.position = position


@dataclass(frozen=True)
class Term:
    """One word or an exact phrase (several words), optionally in one field."""

    words: tuple[str, ...]
    field: str | None = None
    prefix: bool = False  # the last word may be the start of a longer word


@dataclass(frozen=True)
class And:
    """Every part must match."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one part must match."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The part must not match; only allowed beside something that must."""

    part: Node
    position: int = dataclass_field(default=1, compare=False)  # where the NOT or - was written


Node = Term | And | Or | Not


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "phrase", "word", "AND", "OR", "NOT", "-"
    text: str
    position: int  # 1-based
    field: str | None = None
    prefix: bool = False


_LEXEME = re.compile(r'\s+|\(|\)|-(?=[^\s)])|"[^"]*"?\*?|[^\s()"]+')


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    pending: str | None = None
    field_at = 0
    while index < len(query):
        match = _LEXEME.match(query, index)
        assert match is not None  # the pattern matches any character
        text, start = match.group(), index + 1
        index = match.end()
        if text.isspace():
            if pending is not None:
                raise QuerySyntaxError(f"field {pending!r} needs a value right after ':'", field_at)
            continue
        attached, pending = pending, None
        if text in "()":
            tokens.append(_Token(text, text, start, attached))
        elif text == "-":
            # A minus that starts a word excludes it; elsewhere it is part of a word.
            prefixing = not tokens or query[start - 2].isspace() or query[start - 2] == "("
            if prefixing and attached is None:
                tokens.append(_Token("-", text, start))
            else:
                tokens.append(_Token("word", text, start, attached))
        elif text.startswith('"'):
            prefix = text.endswith("*")
            body = text[:-1] if prefix else text
            if len(body) < 2 or not body.endswith('"'):
                raise QuerySyntaxError('a phrase opened with " is never closed', start)
            tokens.append(_Token("phrase", body[1:-1], start, attached, prefix))
        elif text in ("AND", "OR", "NOT") and attached is None:
            tokens.append(_Token(text, text, start))
        else:
            name, colon, rest = text.partition(":")
            plain_colon = not rest and (index == len(query) or query[index].isspace())
            if colon and name.isalpha() and name.lower() not in _NOT_FIELDS and attached is None:
                if plain_colon and name.lower() not in FIELDS:
                    # "Update: ..." is a word followed by punctuation, not a field.
                    tokens.append(_Token("word", name, start))
                    continue
                if name.lower() not in FIELDS:
                    known = ", ".join(sorted(FIELDS))
                    raise QuerySyntaxError(f"unknown field {name!r}; fields are {known}", start)
                pending, field_at = FIELDS[name.lower()], start
                if rest:
                    # `headline:nato`: the value follows in the same lexeme.
                    index = start - 1 + len(name) + 1
                continue
            prefix = text.endswith("*")
            tokens.append(
                _Token("word", text.rstrip("*") if prefix else text, start, attached, prefix)
            )
    if pending is not None:
        raise QuerySyntaxError(f"field {pending!r} needs a value right after ':'", field_at)
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token], length: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.end = length + 1
        self.terms = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node | None:
        node = self.either(None)
        token = self.peek()
        if token is not None:
            raise QuerySyntaxError("unexpected ')' with no '(' before it", token.position)
        return node

    def either(self, field: str | None) -> Node | None:
        parts = [self.both(field)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            if self.peek() is None or self.peek().kind in (")", "OR", "AND"):  # type: ignore[union-attr]
                raise QuerySyntaxError("OR needs something to match on both sides", token.position)
            parts.append(self.both(field))
        if parts[0] is None and len(parts) > 1:
            raise QuerySyntaxError("OR needs something to match on both sides", 1)
        return _combine(Or, parts)

    def both(self, field: str | None) -> Node | None:
        parts: list[Node | None] = []
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.take()
                following = self.peek()
                if not parts or following is None or following.kind in (")", "OR", "AND"):
                    raise QuerySyntaxError(
                        "AND needs something to match on both sides", token.position
                    )
                continue
            parts.append(self.unary(field))
        return _combine(And, parts)

    def unary(self, field: str | None) -> Node | None:
        token = self.take()
        if token.kind in ("NOT", "-"):
            following = self.peek()
            if following is None or following.kind in (")", "OR", "AND"):
                raise QuerySyntaxError(f"{token.text} needs something after it", token.position)
            part = self.unary(field)
            if part is None:
                return None
            return part.part if isinstance(part, Not) else Not(part, token.position)
        own_field = token.field or field
        if token.field is not None and field is not None and token.field != field:
            raise QuerySyntaxError("a field inside another field's group", token.position)
        if token.kind == "(":
            node = self.either(own_field)
            closing = self.peek()
            if closing is None:
                raise QuerySyntaxError("'(' is never closed with ')'", token.position)
            self.take()
            return node
        if token.kind == ")":  # pragma: no cover - both() stops before ')'
            raise QuerySyntaxError("unexpected ')'", token.position)
        folded = tuple(words(token.text))
        if token.kind == "phrase" and not token.text.strip():
            raise QuerySyntaxError("an empty phrase", token.position)
        if not folded:
            return None  # punctuation only: nothing to search for
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QuerySyntaxError(f"more than {MAX_TERMS} words", token.position)
        return Term(folded, own_field, token.prefix)


def _combine(kind: type[And] | type[Or], parts: list[Node | None]) -> Node | None:
    kept: list[Node] = []
    for part in parts:
        if part is None:
            continue
        # (a AND b) AND c is a AND b AND c: flatter trees compile to simpler queries.
        kept.extend(part.parts if isinstance(part, kind) else (part,))
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kind(tuple(kept))


_ONLY_EXCLUDES = "NOT and - only exclude: the query needs a word that must match"


def _check_exclusions(node: Node) -> None:
    """Reject exclusions with nothing to exclude from; no engine can answer them cheaply."""
    if isinstance(node, Not):
        raise QuerySyntaxError(_ONLY_EXCLUDES, node.position)
    if isinstance(node, Or):
        for part in node.parts:
            if isinstance(part, Not):
                raise QuerySyntaxError(
                    "an exclusion cannot be one of the choices of OR", part.position
                )
            _check_exclusions(part)
    if isinstance(node, And):
        exclusions = [part for part in node.parts if isinstance(part, Not)]
        if len(exclusions) == len(node.parts):
            raise QuerySyntaxError(_ONLY_EXCLUDES, exclusions[0].position)
        for part in node.parts:
            inner = part.part if isinstance(part, Not) else part
            if isinstance(inner, And | Or):
                _check_exclusions(inner)


def parse_query(query: str) -> Node | None:
    """Parse a query; None means it has no words (every story matches)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            f"the query is longer than {MAX_QUERY_LENGTH} characters", MAX_QUERY_LENGTH + 1
        )
    node = _Parser(_lex(query), len(query)).parse()
    if node is not None:
        _check_exclusions(node)
    return node


def positive_terms(node: Node | None) -> list[Term]:
    """Return the terms a matching story contains (those not under NOT), for ranking and marks."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Term):
        return [node]
    return [term for part in node.parts for term in positive_terms(part)]
