"""Defects a reader sees in an extractive summary, checked apart from the summarizer's own rules.

Written independently of `newswire.newsroom.summaries` (its own word lists and
patterns), so that a summarizer whose rules drift is caught, and used both by
the benchmark (defect counts per system) and by tests/test_summaries.py.

- A **stray unit**: a chosen unit with no word in it (a lone `"` or `.` that
  pysbd split off), or one that is not a verbatim stretch of the body (a
  closing quote re-attached with a space before it).
- An **unresolved opener**: a chosen sentence, not the story's first, that
  opens with a pronoun or a connective while the sentence before it in the
  story is left out; or that says "Mr Fox" (a title and one name) when Fox
  is named in no chosen sentence before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PRONOUNS = frozenset("he she it they we this these those his her its their him them such".split())
CONNECTIVES = (
    "however",
    "but",
    "also",
    "and",
    "so",
    "yet",
    "meanwhile",
    "therefore",
    "thus",
    "moreover",
    "furthermore",
    "additionally",
    "nevertheless",
    "nonetheless",
    "consequently",
    "instead",
    "in addition",
    "as a result",
    "on the other hand",
    "for example",
)
_OPENING = re.compile(
    r"^[\W_]*(" + "|".join(sorted(PRONOUNS | set(CONNECTIVES), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+([A-Z][\w'’-]*+)(?!\s+[A-Z])")
_WORD = re.compile(r"\w")


def stray_units(units: Sequence[str], paragraphs: Sequence[str]) -> list[str]:
    """Return the chosen units that are no sentence: wordless, or not verbatim in the body."""
    return [
        unit
        for unit in units
        if not _WORD.search(unit) or not any(unit in paragraph for paragraph in paragraphs)
    ]


def opener(sentence: str) -> str | None:
    """Return the pronoun or connective a sentence opens with, if any."""
    match = _OPENING.match(sentence)
    return match.group(1).lower() if match else None


def unresolved_openers(chosen: Sequence[int], sentences: Sequence[str]) -> list[str]:
    """Return the chosen sentences that lean on a sentence or a name the summary left out."""
    picked = set(chosen)
    found = []
    for index in sorted(picked):
        sentence = sentences[index]
        if index > 0 and opener(sentence) and index - 1 not in picked:
            found.append(sentence)
            continue
        before = " ".join(sentences[j] for j in sorted(picked) if j < index)
        for match in _TITLED.finditer(sentence):
            named = before + " " + sentence[: match.start()]
            if index > 0 and not re.search(rf"\b{re.escape(match.group(1))}\b", named):
                found.append(sentence)
                break
    return found
