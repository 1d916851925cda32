"""Public summaries: the editor's summary line, or an extractive summary made offline.

The extractive summary is lead-based with a centrality score: news puts the
most important facts first, and a sentence close to the story's TF-IDF
centroid is likely to be about its core. Sentences come from pysbd
(rule-based, nothing downloaded); a unit without words (a stray quote or
full stop) is never a sentence, it belongs to the sentence before it. Quotes
are kept whole, sentences are never cut, and the result stays under a word
cap; the chosen sentences keep their order in the story.

A sentence that leans on the one before it (it opens with a pronoun or a
connective such as "However") is chosen only together with that sentence,
and "Mr Fox" only once Fox has been named in the summary: a summary never
says "He" about someone it left out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

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
# Characters that end the sentence before them when pysbd starts the next
# unit with them ('one." "Two."' comes back as 'one.', '" "Two.', '"').
_TRAILING_CLOSERS = "”»’)]}.!?…"
# Chosen on the Wikinews articles at odd positions only; the even ones are
# the held-out half (docs/site.md, bench/summaries.py).
LEAD_WEIGHT = 0.2
CENTRALITY_WEIGHT = 1.0


@dataclass(frozen=True)
class Openers:
    """How sentences of one language point back: words and phrases that open them, and titles."""

    words: frozenset[str]  # lower-case pronouns, determiners and connectives, some of several words
    titles: frozenset[str] = frozenset()  # lower-case honorifics written before a surname
    longest: int = 1  # words in the longest entry of `words`

    @classmethod
    def of(cls, words: str, titles: str = "") -> Openers:
        """Build the openers of a language from `|`-separated lists."""
        entries = frozenset(w.strip() for w in words.split("|") if w.strip())
        return cls(
            entries,
            frozenset(t.strip() for t in titles.split("|") if t.strip()),
            max(len(entry.split()) for entry in entries),
        )


# Per language: what a sentence opens with when it cannot stand alone. Only
# words that point back belong here: each one ties sentences to their
# neighbour (fewer choices under the cap). A language without a list treats
# every sentence as whole, as before.
OPENERS: dict[str, Openers] = {
    "en": Openers.of(
        "he|she|it|they|we|this|these|those|that|such|his|her|its|their|him|them|"
        "however|but|yet|and|or|so|also|too|meanwhile|therefore|thus|hence|"
        "consequently|as a result|in addition|additionally|moreover|furthermore|besides|"
        "nevertheless|nonetheless|still|instead|otherwise|similarly|likewise|in turn|"
        "in contrast|by contrast|on the other hand|even so|despite this|because of this|"
        "for example|for instance|later|afterwards|subsequently|then|at the same time|"
        "the latter|the former|both|neither|another|others|the same|after that|before that",
        "mr|mrs|ms|miss|dr|prof|sir|dame|lord|lady",
    ),
    "tr": Openers.of(
        "o|onu|onun|ona|onda|ondan|onlar|onları|onların|onlara|bu|bunu|bunun|buna|bunda|"
        "bundan|bunlar|bunları|bunların|bunlara|şu|şunu|şunlar|söz konusu|ancak|fakat|ama|"
        "ayrıca|ise|üstelik|hatta|oysa|yine|dolayısıyla|böylece|bu nedenle|bu yüzden|"
        "buna göre|bununla birlikte|bunun yanı sıra|öte yandan|diğer yandan|sonuç olarak|"
        "aynı zamanda|bunun üzerine|ardından|daha sonra",
    ),
    "de": Openers.of(
        "er|es|sie|dies|diese|dieser|dieses|diesen|dessen|deren|sein|seine|ihr|ihre|"
        "aber|jedoch|doch|allerdings|außerdem|zudem|ebenfalls|auch|deshalb|daher|darum|"
        "trotzdem|dennoch|dabei|danach|damit|dazu|somit|stattdessen|zugleich",
        "herr|frau|dr|prof",
    ),
    "fr": Openers.of(
        "il|elle|ils|elles|ce|cet|cette|ces|cela|ceci|celui|celle|ceux|son|sa|ses|leur|"
        "leurs|lui|mais|cependant|toutefois|pourtant|néanmoins|ainsi|donc|aussi|enfin|"
        "par ailleurs|en outre|de plus|en revanche|par conséquent|en effet|de son côté",
        "m|mme|mlle|dr|pr",
    ),
    "es": Openers.of(
        "él|ella|ellos|ellas|esto|este|esta|estos|estas|ese|esa|eso|esos|esas|su|sus|"
        "pero|sin embargo|además|también|así|por lo tanto|por eso|no obstante|asimismo|"
        "por otra parte|por su parte|en cambio|luego|después",
        "sr|sra|srta|dr|dra",
    ),
}
_NO_OPENERS = Openers(frozenset())
_TITLE_GAP = re.compile(r"\.?\s+")


@dataclass(frozen=True)
class Dependency:
    """What a sentence needs before it in a summary to be understood."""

    previous: bool  # the sentence just before it in the story
    surnames: tuple[str, ...]  # names it gives with a title only, to be named earlier


def _base_language(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower()


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    base = _base_language(language)
    return pysbd.Segmenter(language=base if base in _PYSBD_LANGUAGES else "en", clean=False)


# Paragraphs already split are remembered: an update or a correction files most of a
# story's paragraphs again, and pysbd spends milliseconds on each.
@lru_cache(maxsize=4096)
def sentence_pieces(language: str, paragraph: str) -> tuple[str, ...]:
    """Return pysbd's pieces of a paragraph, exactly as `Segmenter.segment` gives them.

    segment() finds each piece back in the paragraph with a regular expression made
    from it, one compile per piece and a third of its time; `str.find` makes the same
    search. As in segment(), the match runs on over trailing white space, must end
    past the piece before, and a piece pysbd altered (so it is not in the text) is
    dropped. Nothing here touches the shared segmenter's state, unlike segment().
    """
    pieces: list[str] = []
    end = 0
    for piece in _segmenter(language).processor(paragraph).process() if paragraph else ():
        for start, stop in _occurrences(paragraph, piece):
            if stop > end:
                pieces.append(paragraph[start:stop])
                end = stop
                break
    return tuple(pieces)


def _occurrences(text: str, piece: str) -> Iterator[tuple[int, int]]:
    """Yield the non-overlapping matches of `piece` then any white space, left to right."""
    if not piece:  # an empty piece matches white space anywhere: leave that to re
        yield from (m.span() for m in re.finditer(r"\s*", text))
        return
    start = 0
    while (at := text.find(piece, start)) >= 0:
        stop = at + len(piece)
        while stop < len(text) and text[stop].isspace():
            stop += 1
        yield at, stop
        start = stop


def _quote_depth(text: str) -> int:
    straight = text.count('"') % 2
    curly = sum(text.count(c) for c in _OPENING_QUOTES) - sum(
        text.count(c) for c in _CLOSING_QUOTES
    )
    return straight + max(curly, 0)


def _spans(paragraph: str, pieces: Sequence[str]) -> tuple[str, list[list[int]]]:
    """Locate pysbd's pieces in the paragraph, as [start, end] offsets into the returned text."""
    texts = [piece.strip() for piece in pieces if piece.strip()]
    spans: list[list[int]] = []
    cursor = 0
    for text in texts:
        start = paragraph.find(text, cursor)
        if start < 0:  # pysbd altered the text: work on its own pieces, joined by spaces
            joined = " ".join(texts)
            offsets = [0]
            for text in texts:
                offsets.append(offsets[-1] + len(text) + 1)
            return joined, [[a, a + len(text)] for a, text in zip(offsets, texts, strict=False)]
        spans.append([start, start + len(text)])
        cursor = start + len(text)
    return paragraph, spans


def _closes(paragraph: str, unit_start: int, at: int) -> bool:
    """Tell whether the character at `at` closes the unit that starts at `unit_start`."""
    char = paragraph[at]
    if char == '"':  # a straight quote closes only a quotation left open
        return paragraph.count('"', unit_start, at) % 2 == 1
    return char in _TRAILING_CLOSERS


def _units(paragraph: str, spans: list[list[int]]) -> list[list[int]]:
    """Give each piece's leading closing marks to the piece before; fold wordless pieces in."""
    units: list[list[int]] = []
    prefix: int | None = None  # start of wordless pieces that open the paragraph
    for start, end in spans:
        if units:
            cut = start
            while cut < end and _closes(paragraph, units[-1][0], cut):
                cut += 1
            if cut > start and (cut == end or paragraph[cut].isspace()):
                units[-1][1] = cut
                start = cut
                while start < end and paragraph[start].isspace():
                    start += 1
            if start >= end:
                continue
        if not _WORD.search(paragraph, start, end):
            if units:
                units[-1][1] = end
            elif prefix is None:
                prefix = start
            continue
        units.append([start if prefix is None else prefix, end])
        prefix = None
    return units


def split_sentences(paragraphs: list[str], language: str = "en") -> list[str]:
    """Split paragraphs into sentences: quotations whole, no unit without a word.

    Every sentence is a verbatim stretch of its paragraph, so a closing quote
    is never re-attached with a space before it.
    """
    sentences: list[str] = []
    for paragraph in paragraphs:
        text, spans = _spans(paragraph, sentence_pieces(language, paragraph))
        opened: int | None = None  # start of a quotation that spans units
        last = 0
        for start, end in _units(text, spans):
            opened = start if opened is None else opened
            last = end
            if _quote_depth(text[opened:end]) == 0:
                sentences.append(text[opened:end])
                opened = None
        if opened is not None:
            sentences.append(text[opened:last])
    return sentences


def word_count(text: str) -> int:
    """Count the words of a text as the cap counts them."""
    return len(_WORD.findall(text))


def openers_for(language: str) -> Openers:
    """Return the sentence openers of a language (none for a language without a list)."""
    return OPENERS.get(_base_language(language), _NO_OPENERS)


def dependency(sentence: str, openers: Openers) -> Dependency:
    """Tell what a sentence leans on: the sentence before it, and names it does not introduce."""
    words = list(_WORD.finditer(sentence))
    head = [word.group().lower() for word in words[: openers.longest]]
    previous = any(" ".join(head[:n]) in openers.words for n in range(1, len(head) + 1))
    surnames: list[str] = []
    for k in range(len(words) - 1) if openers.titles else ():
        title, name = words[k].group(), words[k + 1].group()
        if not (
            title == title.capitalize()  # "Ms", not the initials "MS"
            and title.lower() in openers.titles
            and name[0].isupper()
            and _TITLE_GAP.fullmatch(sentence, words[k].end(), words[k + 1].start())
        ):
            continue
        after = words[k + 2] if k + 2 < len(words) else None
        if after and after.group()[0].isupper() and sentence[words[k + 1].end()] == " ":
            continue  # "Dr Jane Smith": a second name introduces the person
        if not _names(sentence[: words[k].start()], name):  # "Liam Fox ... Mr Fox" is fine
            surnames.append(name)
    return Dependency(previous, tuple(surnames))


def _names(sentence: str, surname: str) -> bool:
    return re.search(rf"\b{re.escape(surname)}\b", sentence) is not None


def _closure(
    index: int, chosen: set[int], sentences: list[str], needs: list[Dependency]
) -> set[int] | None:
    """Return the sentences to add so that `index` reads right, or None when it never can."""
    adding: set[int] = set()
    todo = [index]
    while todo:
        current = todo.pop()
        if current in chosen or current in adding:
            continue
        adding.add(current)
        need = needs[current]
        if need.previous and current > 0:
            todo.append(current - 1)
        for surname in need.surnames:
            earlier = [j for j in range(current) if _names(sentences[j], surname)]
            if not earlier:
                if current == 0:
                    continue  # the story's own opening: the reader sees it as written
                return None
            if not any(j in chosen or j in adding for j in earlier):
                todo.append(earlier[0])
    return adding


def _tfidf(sentences: list[str]) -> list[dict[str, float]]:
    bags = [Counter(word.lower() for word in _WORD.findall(s)) for s in sentences]
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(bag.keys())
    count = len(sentences)
    idf = {word: math.log((1 + count) / df) for word, df in frequency.items()}
    return [{word: tf * idf[word] for word, tf in bag.items()} for bag in bags]


def _centrality(sentences: list[str]) -> list[float]:
    """Score each sentence by its cosine with the TF-IDF centroid of the other sentences.

    Leaving the sentence out of the centroid matters: with it in, a long
    sentence of rare words is "central" by matching itself.
    """
    vectors = _tfidf(sentences)
    centroid: Counter[str] = Counter()
    for vector in vectors:
        centroid.update(vector)
    centroid_square = sum(v * v for v in centroid.values())
    scores = []
    for vector in vectors:
        square = sum(v * v for v in vector.values())
        dot = sum(weight * centroid[word] for word, weight in vector.items())
        others_square = centroid_square - 2 * dot + square
        norms = math.sqrt(square * others_square) if square > 0 and others_square > 1e-12 else 0.0
        scores.append((dot - square) / norms if norms else 0.0)
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


def select_sentences(sentences: list[str], max_words: int, language: str = "en") -> list[int]:
    """Return the indexes of the sentences a summary keeps, in story order.

    The lead sentence always opens the summary, as in a news lead; then the
    best-ranked sentences are added while they fit under the cap, each with
    the sentences it leans on (all of them fit, or none is added). When the
    lead alone is longer than the cap it stands alone, whole: a summary is
    never a cut-off sentence.
    """
    if not sentences:
        return []
    openers = openers_for(language)
    needs = [dependency(sentence, openers) for sentence in sentences]
    words = [word_count(sentence) for sentence in sentences]
    chosen = {0}
    used = words[0]
    for index in rank_sentences(sentences):
        adding = _closure(index, chosen, sentences, needs)
        if adding is None:
            continue
        cost = sum(words[i] for i in adding)
        if used + cost <= max_words:
            chosen |= adding
            used += cost
    return sorted(chosen)


def extractive_summary(paragraphs: list[str], max_words: int, language: str = "en") -> str:
    """Pick whole sentences (the lead, then the best that fit the cap); join them in story order."""
    sentences = split_sentences(paragraphs, language)
    return " ".join(sentences[i] for i in select_sentences(sentences, max_words, language))


def lead_summary(paragraphs: list[str], sentences: int = 3, language: str = "en") -> str:
    """Return the first sentences of a story: the Lead-N baseline for the evaluation."""
    return " ".join(split_sentences(paragraphs, language)[:sentences])


def public_summary(summary_line: str, paragraphs: list[str], max_words: int, language: str) -> str:
    """Return what the public site shows: the editor's summary line, else an extractive summary."""
    if summary_line.strip():
        return summary_line.strip()
    return extractive_summary(paragraphs, max_words, language)
