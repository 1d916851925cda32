"""Marking what matched: the headline with its matched words, a snippet of the text around them.

The engines index folded words, so the marks are found here, in Python, on
the original text: a word is marked when its folded form is one the query
asked for (or starts with it, for `word*`). The result is HTML: the text is
escaped and each matched word is wrapped in `<mark>`.
"""

from __future__ import annotations

import html
import unicodedata

from newswire.search.folding import spans
from newswire.search.query import Term

SNIPPET_WORDS = 32


def _wanted(terms: list[Term]) -> tuple[set[str], tuple[str, ...]]:
    exact = {word for term in terms for word in term.words}
    prefixes = tuple(term.words[-1] for term in terms if term.prefix)
    return exact, prefixes


def _marked(folded: list[str], exact: set[str], prefixes: tuple[str, ...]) -> bool:
    return any(word in exact or word.startswith(prefixes) for word in folded) if folded else False


def _render(text: str, words: list[tuple[int, int, bool]], start: int, end: int) -> str:
    """Return text[start:end] escaped, with the marked words wrapped in <mark>."""
    out, position = [], start
    for word_start, word_end, marked in words:
        if word_end <= start or word_start >= end or not marked:
            continue
        out.append(html.escape(text[position:word_start]))
        out.append(f"<mark>{html.escape(text[word_start:word_end])}</mark>")
        position = word_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def _words(text: str, terms: list[Term]) -> list[tuple[int, int, bool]]:
    exact, prefixes = _wanted(terms)
    if not prefixes:
        prefixes = ("\0",)  # str.startswith(()) is always False; keep one impossible prefix
    return [(start, end, _marked(folded, exact, prefixes)) for start, end, folded in spans(text)]


def highlight(text: str, terms: list[Term]) -> str:
    """Return the whole text as HTML with the matched words marked."""

    composed = unicodedata.normalize("NFC", text)
    return _render(composed, _words(composed, terms), 0, len(composed))


def snippet(text: str, terms: list[Term], size: int = SNIPPET_WORDS) -> str:
    """Return about `size` words of text around the most matches, as HTML, with marks.

    Without matches (the match was in another field) the text's opening is shown.
    """

    composed = unicodedata.normalize("NFC", text)
    words = _words(composed, terms)
    if not words:
        return ""
    best, best_count = 0, -1
    window_count = 0
    for index, (_, _, marked) in enumerate(words):
        window_count += marked
        if index >= size:
            window_count -= words[index - size][2]
        first = max(0, index - size + 1)
        if window_count > best_count:
            best, best_count = first, window_count
    # Start a little before the first match so it reads in context.
    first = best
    if best_count > 0:
        first_marked = next(i for i in range(best, len(words)) if words[i][2])
        first = max(0, first_marked - 4)
    last = min(len(words), first + size) - 1
    start = words[first][0] if first > 0 else 0
    end = words[last][1] if last < len(words) - 1 else len(composed)
    body = _render(composed, words, start, end).strip()
    return ("… " if start > 0 else "") + body + (" …" if end < len(composed) else "")
