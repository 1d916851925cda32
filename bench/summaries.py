"""ROUGE of the public extractive summary against Lead, TextRank and a centroid, at equal length.

No summarization dataset can be fetched here, so the reference is built from
the articles themselves, and kept out of the input: the journalist's opening
paragraph (the lede, which Wikinews style asks to answer who, what, when,
where) is the reference summary, and every system summarizes the rest of the
article. A second, weaker reference, the headline, is scored on the whole
article. The articles are the Wikinews sample (CC BY 2.5).

Equal length: every system picks whole sentences of the same splitter under
the same word cap (bench/baselines.py says how each fills it); Lead-3 is
trimmed to the cap. The public summary's two weights were tuned on the
odd-numbered articles only, so the even-numbered ones are held out: the
table reports both halves and all articles, a paired bootstrap interval of
the ROUGE-1 difference, the defects a reader sees (bench/summary_defects.py)
and the time per summary.

Run: `python -m bench.summaries` (reads ../shared/samples/wikinews-en.jsonl).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rouge_score import rouge_scorer

from bench import baselines
from bench.summary_defects import stray_units, unresolved_openers
from newswire.newsroom.bodies import split_paragraphs
from newswire.newsroom.summaries import (
    public_summary,
    select_sentences,
    split_sentences,
    word_count,
)

WIKINEWS = Path(__file__).resolve().parents[2] / "shared" / "samples" / "wikinews-en.jsonl"
MAX_WORDS = 60
METRICS = ("rouge1", "rouge2", "rougeL")
OURS = "public extractive"

# A system gets the sentences and their word counts and returns the chosen indexes.
System = Callable[[Sequence[str], Sequence[int]], list[int]]


SYSTEMS: dict[str, System] = {
    OURS: lambda sentences, words: select_sentences(list(sentences), MAX_WORDS),
    "Lead (capped)": lambda sentences, words: baselines.lead(words, MAX_WORDS),
    "Lead-3 (capped)": lambda sentences, words: baselines.lead(words, MAX_WORDS, 3),
    "TextRank": lambda sentences, words: baselines.fill(
        baselines.by_score(baselines.textrank_scores(sentences)), words, MAX_WORDS
    ),
    "TextRank, raw words": lambda sentences, words: baselines.fill(
        baselines.by_score(baselines.textrank_scores(sentences, analyzer=baselines.raw_terms)),
        words,
        MAX_WORDS,
    ),
    "TF-IDF centroid": lambda sentences, words: baselines.fill(
        baselines.by_score(baselines.centroid_scores(sentences)), words, MAX_WORDS
    ),
}


@dataclass(frozen=True)
class Case:
    """One summarization task: a reference, the input paragraphs and their sentences."""

    reference: str
    paragraphs: list[str]
    sentences: list[str]
    words: list[int]

    @classmethod
    def of(cls, reference: str, paragraphs: list[str]) -> Case:
        """Split the input once for every system."""
        sentences = split_sentences(paragraphs)
        return cls(reference, paragraphs, sentences, [word_count(s) for s in sentences])


@dataclass
class Row:
    """Per-article scores of one system on one set of cases."""

    scores: dict[str, list[float]]
    words: list[int]
    stray: list[bool]
    dangling: list[bool]

    def part(self, half: slice) -> Row:
        """Return the rows of some of the articles (0-based positions)."""
        return Row(
            {metric: values[half] for metric, values in self.scores.items()},
            self.words[half],
            self.stray[half],
            self.dangling[half],
        )

    def mean(self, metric: str) -> float:
        """Return the mean F1 x 100 of a metric."""
        return 100 * statistics.fmean(self.scores[metric])


def articles() -> list[tuple[str, list[str]]]:
    """Return (title, paragraphs) of every sample article with a lede and at least two more."""
    found = []
    with WIKINEWS.open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            paragraphs = split_paragraphs(article["text"])
            if len(paragraphs) >= 3 and len(split_sentences(paragraphs[1:])) >= 3:
                found.append((article["title"], paragraphs))
    return found


def evaluate(cases: Sequence[Case], scorer: rouge_scorer.RougeScorer) -> dict[str, Row]:
    """Score every system on the cases: ROUGE F1, length and defects per article."""
    rows: dict[str, Row] = {}
    for name, system in SYSTEMS.items():
        row = Row({metric: [] for metric in METRICS}, [], [], [])
        for case in cases:
            chosen = system(case.sentences, case.words)
            units = [case.sentences[i] for i in chosen]
            summary = " ".join(units)
            row.words.append(word_count(summary))
            row.stray.append(bool(stray_units(units, case.paragraphs)))
            row.dangling.append(bool(unresolved_openers(chosen, case.sentences)))
            for metric, score in scorer.score(case.reference, summary).items():
                row.scores[metric].append(score.fmeasure)
        rows[name] = row
    return rows


def bootstrap(
    ours: Sequence[float], other: Sequence[float], rounds: int = 2000
) -> tuple[float, float, float]:
    """Return the mean paired difference x 100 and its 95% bootstrap interval."""
    differences = [100 * (a - b) for a, b in zip(ours, other, strict=True)]
    draw = random.Random(16)  # fixed seed: the same interval on every run
    means = sorted(
        statistics.fmean(draw.choices(differences, k=len(differences))) for _ in range(rounds)
    )
    return statistics.fmean(differences), means[int(0.025 * rounds)], means[int(0.975 * rounds)]


def report(title: str, rows: dict[str, Row]) -> None:
    """Print one results table, with the ROUGE-1 difference of ours against each system."""
    count = len(rows[OURS].words)
    print(f"\n{title} ({count} articles), mean F1 x 100, cap {MAX_WORDS} words")
    print(
        f"  {'system':<22}{'R-1':>6}{'R-2':>6}{'R-L':>6}{'words':>7}"
        f"{'stray':>7}{'dangling':>9}   ours - system, R-1 [95% CI]"
    )
    for name, row in rows.items():
        difference = ""
        if name != OURS:
            mean, low, high = bootstrap(rows[OURS].scores["rouge1"], row.scores["rouge1"])
            difference = f"{mean:+.2f} [{low:+.2f}, {high:+.2f}]"
        print(
            f"  {name:<22}{row.mean('rouge1'):>6.1f}{row.mean('rouge2'):>6.1f}"
            f"{row.mean('rougeL'):>6.1f}{statistics.fmean(row.words):>7.1f}"
            f"{sum(row.stray):>7}{sum(row.dangling):>9}   {difference}"
        )


def time_per_summary(bodies: Sequence[list[str]], repeats: int = 3) -> tuple[float, float]:
    """Return the best time per public summary and per sentence split alone, in milliseconds."""
    best_summary = best_split = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for paragraphs in bodies:
            split_sentences(paragraphs)
        middle = time.perf_counter()
        for paragraphs in bodies:
            public_summary("", paragraphs, MAX_WORDS, "en")
        end = time.perf_counter()
        best_split = min(best_split, (middle - start) / len(bodies))
        best_summary = min(best_summary, (end - middle) / len(bodies))
    return 1000 * best_summary, 1000 * best_split


def main() -> int:
    """Run the evaluation and print ROUGE-1/2/L F1, defects and speed of each system."""
    if not WIKINEWS.exists():
        print(f"skipped: {WIKINEWS} not found (../shared is not beside the checkout)")
        return 0
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    sample = articles()
    lede = [Case.of(paragraphs[0], paragraphs[1:]) for _title, paragraphs in sample]
    rows = evaluate(lede, scorer)
    for title, half in (
        ("Held-out lede, odd positions (the tuning half)", slice(1, None, 2)),
        ("Held-out lede, even positions (held out from tuning)", slice(0, None, 2)),
        ("Held-out lede, all articles", slice(None)),
    ):
        report(title, {name: row.part(half) for name, row in rows.items()})
    headline = [Case.of(title, paragraphs) for title, paragraphs in sample]
    report("Headline against the whole article (weak reference)", evaluate(headline, scorer))
    with WIKINEWS.open(encoding="utf-8") as lines:
        bodies = [split_paragraphs(json.loads(line)["text"]) for line in lines]
    summary_ms, split_ms = time_per_summary(bodies)
    print(
        f"\nTime per public summary over {len(bodies)} whole articles: {summary_ms:.1f} ms "
        f"(sentence splitting alone {split_ms:.1f} ms, ratio {summary_ms / split_ms:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
