"""Baseline extractive summarizers for the summary evaluation: Lead, TextRank, TF-IDF centroid.

All of them work on the same sentences as the public summary (its splitter)
and are filled the same way, so the comparison is at equal length: sentences
are taken in each system's rank order while the summary stays under the word
cap (a sentence that does not fit is skipped, a later shorter one may still
fit), then printed in story order. Words are lower-cased and Porter-stemmed
and English stop words are left out: the standard set-up of both methods,
which is how they are usually run; `raw_terms` runs them on the public
summary's own words instead (every lower-cased word, no stemming).

- TextRank (Mihalcea and Tarau, 2004): a graph of sentences weighted by the
  cosine similarity of their TF-IDF vectors, ranked by PageRank with damping
  0.85 (power iteration until the scores move less than 1e-6).
- Centroid (Radev et al., 2004): sentences ranked by the cosine of their
  TF-IDF vector with the document's centroid (the sum of all sentence
  vectors, keeping the words whose weight is above a tenth of the largest).

IDF is computed over the sentences of the document itself: nothing outside
the article is used, as for the public summary.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from nltk.stem.porter import PorterStemmer

Vector = dict[str, float]

# The stop-word list of the SMART system (Salton), as common in summarizers, shortened.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say""".split()
)
_TOKEN = re.compile(r"[a-z0-9]+")
_RAW_WORD = re.compile(r"\w+")
_STEMMER = PorterStemmer()


def terms(sentence: str) -> list[str]:
    """Return the stemmed content words of a sentence."""
    return [
        _STEMMER.stem(word)
        for word in _TOKEN.findall(sentence.lower())
        if word not in STOP_WORDS and len(word) > 1
    ]


def raw_terms(sentence: str) -> list[str]:
    """Return every lower-cased word of a sentence, as the public summary sees them."""
    return _RAW_WORD.findall(sentence.lower())


Analyzer = Callable[[str], list[str]]


def tfidf_vectors(sentences: Sequence[str], analyzer: Analyzer = terms) -> list[Vector]:
    """Return one TF-IDF vector per sentence, IDF taken over the document's sentences."""
    bags = [Counter(analyzer(sentence)) for sentence in sentences]
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(bag.keys())
    count = len(bags)
    return [
        {term: tf * math.log((1 + count) / frequency[term]) for term, tf in bag.items()}
        for bag in bags
    ]


def cosine(left: Mapping[str, float], right: Mapping[str, float]) -> float:
    """Return the cosine similarity of two sparse vectors (0 when either is empty)."""
    if len(left) > len(right):
        left, right = right, left
    dot = sum(weight * right.get(term, 0.0) for term, weight in left.items())
    norms = math.sqrt(sum(v * v for v in left.values())) * math.sqrt(
        sum(v * v for v in right.values())
    )
    return dot / norms if norms else 0.0


def textrank_scores(
    sentences: Sequence[str], damping: float = 0.85, analyzer: Analyzer = terms
) -> list[float]:
    """Return the PageRank of each sentence in its TF-IDF cosine similarity graph."""
    vectors = tfidf_vectors(sentences, analyzer)
    count = len(vectors)
    weights = [
        [cosine(vectors[i], vectors[j]) if i != j else 0.0 for j in range(count)]
        for i in range(count)
    ]
    out = [sum(row) for row in weights]
    # incoming[i]: (j, share of j's score that flows to i), for the edges that exist
    incoming = [
        [(j, weights[j][i] / out[j]) for j in range(count) if out[j] and weights[j][i]]
        for i in range(count)
    ]
    scores = [1.0 / count] * count if count else []
    for _ in range(200):
        updated = [
            (1 - damping) / count + damping * sum(share * scores[j] for j, share in edges)
            for edges in incoming
        ]
        moved = max(abs(a - b) for a, b in zip(updated, scores, strict=True))
        scores = updated
        if moved < 1e-6:
            break
    return scores


def centroid_scores(
    sentences: Sequence[str], keep: float = 0.1, analyzer: Analyzer = terms
) -> list[float]:
    """Return the cosine of each sentence with the document's TF-IDF centroid."""
    vectors = tfidf_vectors(sentences, analyzer)
    centroid: Counter[str] = Counter()
    for vector in vectors:
        centroid.update(vector)
    top = max(centroid.values(), default=0.0)
    kept = {term: weight for term, weight in centroid.items() if weight > keep * top}
    return [cosine(vector, kept) for vector in vectors]


def fill(order: Sequence[int], words: Sequence[int], max_words: int) -> list[int]:
    """Take sentences in rank order while the total stays under the cap; return story order."""
    chosen: list[int] = []
    used = 0
    for index in order:
        if used + words[index] <= max_words:
            chosen.append(index)
            used += words[index]
    return sorted(chosen)


def by_score(scores: Sequence[float]) -> list[int]:
    """Return indexes best first (ties to the earlier sentence)."""
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))


def lead(words: Sequence[int], max_words: int, limit: int | None = None) -> list[int]:
    """Return the first sentences while they fit the cap (at least one), at most `limit`."""
    chosen: list[int] = []
    used = 0
    for index, count in enumerate(words[:limit]):
        if chosen and used + count > max_words:
            break
        chosen.append(index)
        used += count
    return chosen
