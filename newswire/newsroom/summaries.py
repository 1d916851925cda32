"""Public summaries: the editor's summary line, or an extractive summary made offline.

The extractive summary is lead-based with a centrality score: news puts the
most important facts first, and a sentence that shares many words with the
rest of the story is likely to be about its core. Sentences come from pysbd
(rule-based, nothing downloaded). Quotes are kept whole, sentences are never
cut, and the result stays under a word cap; the chosen sentences keep their
order in the story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache

import pysbd

# pysbd has rules for these languages; others use the English rules, which
# are right for most Latin-script text.
_PYSBD_LANGUAGES = {
    "en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl",
    "fa", "nl", "da", "fr", "my", "el", "it", "ja", "de", "kk", "sk",
}  # fmt: skip
_WORD = re.compile(r"\w+", re.UNICODE)
_OPENING_QUOTES = "“«„"
_CLOSING_QUOTES = "”»"
LEAD_WEIGHT = 1.0
CENTRALITY_WEIGHT = 1.0


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    base = language.split("-")[0].lower()
    return pysbd.Segmenter(language=base if base in _PYSBD_LANGUAGES else "en", clean=False)


def _quote_depth(text: str) -> int:
    straight = text.count('"') % 2
    curly = sum(text.count(c) for c in _OPENING_QUOTES) - sum(
        text.count(c) for c in _CLOSING_QUOTES
    )
    return straight + max(curly, 0)


def split_sentences(paragraphs: list[str], language: str = "en") -> list[str]:
    """Split paragraphs into sentences, re-joining sentences that a quotation spans."""
    segmenter = _segmenter(language)
    sentences: list[str] = []
    for paragraph in paragraphs:
        pending = ""
        for piece in segmenter.segment(paragraph):
            pending = f"{pending} {piece.strip()}".strip()
            if _quote_depth(pending) == 0:
                sentences.append(pending)
                pending = ""
        if pending:
            sentences.append(pending)
    return sentences


def word_count(text: str) -> int:
    """Count the words of a text as the cap counts them."""
    return len(_WORD.findall(text))


def _centrality(sentences: list[str]) -> list[float]:
    bags = [Counter(word.lower() for word in _WORD.findall(s)) for s in sentences]
    norms = [math.sqrt(sum(v * v for v in bag.values())) or 1.0 for bag in bags]
    scores: list[float] = []
    for i, bag in enumerate(bags):
        total = 0.0
        for j, other in enumerate(bags):
            if i != j:
                total += sum(bag[w] * other[w] for w in bag.keys() & other.keys()) / (
                    norms[i] * norms[j]
                )
        scores.append(total / max(len(sentences) - 1, 1))
    return scores


def rank_sentences(sentences: list[str]) -> list[int]:
    """Return sentence indexes, best first, by lead position plus centrality."""
    if not sentences:
        return []
    centrality = _centrality(sentences)
    top = max(centrality) or 1.0
    scores = [
        LEAD_WEIGHT / (1 + position) + CENTRALITY_WEIGHT * centrality[position] / top
        for position in range(len(sentences))
    ]
    return sorted(range(len(sentences)), key=lambda i: (-scores[i], i))


def select_sentences(sentences: list[str], max_words: int) -> list[int]:
    """Return the indexes of the sentences a summary keeps, in story order.

    The lead sentence always opens the summary, as in a news lead; then the
    best-ranked sentences are added while they fit under the cap. When the
    lead alone is longer than the cap it stands alone, whole: a summary is
    never a cut-off sentence.
    """
    if not sentences:
        return []
    chosen = [0]
    used = word_count(sentences[0])
    for index in rank_sentences(sentences):
        words = word_count(sentences[index])
        if index != 0 and used + words <= max_words:
            chosen.append(index)
            used += words
    return sorted(chosen)


def extractive_summary(paragraphs: list[str], max_words: int, language: str = "en") -> str:
    """Pick whole sentences (the lead, then the best that fit the cap); join them in story order."""
    sentences = split_sentences(paragraphs, language)
    return " ".join(sentences[i] for i in select_sentences(sentences, max_words))


def lead_summary(paragraphs: list[str], sentences: int = 3, language: str = "en") -> str:
    """Return the first sentences of a story: the Lead-N baseline for the evaluation."""
    return " ".join(split_sentences(paragraphs, language)[:sentences])


def public_summary(summary_line: str, paragraphs: list[str], max_words: int, language: str) -> str:
    """Return what the public site shows: the editor's summary line, else an extractive summary."""
    if summary_line.strip():
        return summary_line.strip()
    return extractive_summary(paragraphs, max_words, language)
