"""Whether one story version matches a query, decided in Python.

A saved search followed as a feed or stream judges each new version as it
passes through the log; the engines are not asked. The meaning is the
engines': a word matches a folded word of the field, a phrase matches
consecutive words within one field, an unfielded term matches any field.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.models.stories import StoryVersion
from newswire.newsroom.bodies import html_to_text
from newswire.newsroom.vocab.mediatopics import bare_code, name_of
from newswire.search.engines import COLUMNS
from newswire.search.folding import words
from newswire.search.query import And, Node, Not, Or, Term


@dataclass(frozen=True)
class SearchDocument:
    """A story version's folded words per indexed column."""

    columns: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, story: StoryVersion) -> SearchDocument:
        """Return the document the engines index for a story version."""
        texts = document_texts(story)
        return cls({column: tuple(words(texts[column])) for column in COLUMNS})


def subject_text(subjects: tuple[str, ...]) -> str:
    """Return what is indexed for subjects: each code (as medtop code) and its English name."""
    return " ".join(f"medtop:{bare_code(code)} {name_of(code)}" for code in subjects)


def document_texts(story: StoryVersion) -> dict[str, str]:
    """Return the original text of each indexed column of a story version."""
    return {
        "headline": story.headline,
        "body": f"{story.summary}\n{html_to_text(story.body_html)}",
        "byline": story.byline,
        "dateline": story.dateline,
        "subject": subject_text(story.subjects),
    }


def _contains(haystack: tuple[str, ...], term: Term) -> bool:
    size = len(term.words)
    for start in range(len(haystack) - size + 1):
        window = haystack[start : start + size]
        if window[:-1] != term.words[:-1]:
            continue
        last, wanted = window[-1], term.words[-1]
        if last == wanted or (term.prefix and last.startswith(wanted)):
            return True
    return False


def matches_query(node: Node | None, document: SearchDocument) -> bool:
    """Tell whether a document matches a parsed query (None matches everything)."""
    if node is None:
        return True
    if isinstance(node, Term):
        columns = (node.field,) if node.field else COLUMNS
        return any(_contains(document.columns[column], node) for column in columns)
    if isinstance(node, Not):
        return not matches_query(node.part, document)
    if isinstance(node, Or):
        return any(matches_query(part, document) for part in node.parts)
    assert isinstance(node, And)
    return all(matches_query(part, document) for part in node.parts)
