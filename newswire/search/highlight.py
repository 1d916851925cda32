"""Marking what matched: the headline with its matched words, a snippet of the text around them.

The engines index folded words, so the marks are found here, in Python, on
the original text: a word is marked when its folded form is one the query
asked for (or starts with it, for `word*`). The result is HTML: the text is
escaped and each matched word is wrapped in `<mark>`.

Marks are found with one regular expression over a folded copy of the text
that keeps every character in place (`folding.aligned_fold`), so a hit's
marks cost a scan in C rather than a Python step per word; text whose
folding changes its length (ß, æ, ...) takes the slower word-by-word way.
"""

from __future__ import annotations

import html
import re
import unicodedata

from newswire.search.folding import aligned_fold, spans
from newswire.search.query import Term

SNIPPET_CHARS = 220
# How much of the snippet comes before its first mark, so it reads in context.
_LEAD_IN = SNIPPET_CHARS // 5

Span = tuple[int, int]


def _pattern(terms: list[Term]) -> re.Pattern[str] | None:
    exact = {word for term in terms for word in term.words}
    prefixes = {term.words[-1] for term in terms if term.prefix}
    if not exact:
        return None
    choices = [re.escape(word) + r"[^\W_]*" for word in sorted(prefixes, key=len, reverse=True)]
    choices += [re.escape(word) for word in sorted(exact - prefixes, key=len, reverse=True)]
    # Whole words only: no letter or digit may touch either end.
    return re.compile(r"(?<![^\W_])(?:" + "|".join(choices) + r")(?![^\W_])")


def _marks(text: str, terms: list[Term]) -> list[Span]:
    """Return where the matched words are in a (composed) text."""
    pattern = _pattern(terms)
    if pattern is None:
        return []
    folded = aligned_fold(text)
    if folded is not None:
        return [match.span() for match in pattern.finditer(folded)]
    return [
        (start, end)
        for start, end, words in spans(text)
        if any(pattern.fullmatch(word) for word in words)
    ]


def _render(text: str, marks: list[Span], start: int, end: int) -> str:
    """Return text[start:end] escaped, with the marks inside it wrapped in <mark>."""
    out, position = [], start
    for mark_start, mark_end in marks:
        if mark_start < start or mark_end > end:
            continue
        out.append(html.escape(text[position:mark_start]))
        out.append(f"<mark>{html.escape(text[mark_start:mark_end])}</mark>")
        position = mark_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def highlight(text: str, terms: list[Term]) -> str:
    """Return the whole text as HTML with the matched words marked."""
    composed = unicodedata.normalize("NFC", text)
    return _render(composed, _marks(composed, terms), 0, len(composed))


def _densest(marks: list[Span], size: int) -> int:
    """Return the index of the mark that starts the window of `size` with the most marks."""
    best, best_count, last = 0, 0, 0
    for first, (start, _) in enumerate(marks):
        while last < len(marks) and marks[last][1] <= start + size:
            last += 1
        if last - first > best_count:
            best, best_count = first, last - first
    return best


def snippet(text: str, terms: list[Term], size: int = SNIPPET_CHARS) -> str:
    """Return about `size` characters of text around the most matches, as HTML, with marks.

    Without matches (the match was in another field) the text's opening is shown.
    """
    composed = " ".join(unicodedata.normalize("NFC", text).split())
    marks = _marks(composed, terms)
    if len(composed) <= size:
        return _render(composed, marks, 0, len(composed))
    first_mark = marks[_densest(marks, size)][0] if marks else 0
    start = max(0, first_mark - _LEAD_IN)
    if start > 0:
        # Begin at a word: after the space before the lead-in, never after the mark.
        space = composed.find(" ", start, first_mark)
        start = space + 1 if space >= 0 else first_mark
    end = min(len(composed), start + size)
    if end < len(composed):
        space = composed.rfind(" ", start, end)
        end = space if space > first_mark else end
    body = _render(composed, marks, start, end)
    return ("… " if start > 0 else "") + body + (" …" if end < len(composed) else "")
