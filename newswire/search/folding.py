"""Text folding: the one definition of a "word" shared by the index, the query and the matcher.

Text is folded before it is indexed and before it is searched, so both
engines see the same plain words and answer the same way: diacritics go
(`Rinkēvičs` is `rinkevics`), case goes (Unicode case folding), and the
Turkish dotted and dotless i both become `i`, so `Istanbul`, `İstanbul` and
`ıstanbul` find each other. Words are runs of letters and digits; everything
else (hyphens, apostrophes, underscores, punctuation) separates them, which
is also what SQLite's unicode61 tokenizer does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
    }
)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Return text without diacritics, case-folded, with Turkish i's unified."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    """Return the folded words of a text, in order."""
    return [word for match in _WORD.finditer(_composed(text)) for word in _fold_word(match.group())]


def index_text(text: str) -> str:
    """Return the folded words of a text joined by spaces: what the engines index."""
    return " ".join(words(text))


def spans(text: str) -> list[tuple[int, int, list[str]]]:
    """Return each word's (start, end) in the composed text with its folded words.

    Highlighting marks the original spelling of a word whose folded form matched.
    """
    composed = _composed(text)
    return [
        (match.start(), match.end(), _fold_word(match.group()))
        for match in _WORD.finditer(composed)
    ]


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return fold(char)


def aligned_fold(text: str) -> str | None:
    """Return the folded text with every character in its place, or None when that is impossible.

    Possible when each character folds to exactly one (é to e, İ to i, Σ to σ);
    not for ß (ss), æ (ae) or a lone combining mark. Offsets into the result
    are offsets into the text, which is what marking needs.
    """
    table: dict[int, str] = {}
    for char in set(text):
        if char.isascii():
            continue
        folded = _fold_char(char)
        if len(folded) != 1:
            return None
        table[ord(char)] = folded
    # Non-ASCII characters first (str.lower() may lengthen some, e.g. İ), then ASCII.
    return text.translate(table).lower()


def _fold_word(word: str) -> list[str]:
    # Most words are plain ASCII, where folding is lower-casing: skip the
    # Unicode decomposition, which costs ten times more (marks are computed
    # for every word of every hit).
    if word.isascii():
        return [word.lower()]
    return _WORD.findall(fold(word))


def _composed(text: str) -> str:
    # A decomposed "e" + combining macron would otherwise split a word in two.
    return unicodedata.normalize("NFC", text)
