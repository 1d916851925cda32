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
    return [
        word
        for match in _WORD.finditer(_composed(text))
        for word in _WORD.findall(fold(match.group()))
    ]


def index_text(text: str) -> str:
    """Return the folded words of a text joined by spaces: what the engines index."""
    return " ".join(words(text))


def spans(text: str) -> list[tuple[int, int, list[str]]]:
    """Return each word's (start, end) in the composed text with its folded words.

    Highlighting marks the original spelling of a word whose folded form matched.
    """
    composed = _composed(text)
    return [
        (match.start(), match.end(), _WORD.findall(fold(match.group())))
        for match in _WORD.finditer(composed)
    ]


def _composed(text: str) -> str:
    # A decomposed "e" + combining macron would otherwise split a word in two.
    return unicodedata.normalize("NFC", text)
