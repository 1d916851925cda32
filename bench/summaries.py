"""ROUGE of the public extractive summary against Lead-3, on Wikinews articles (CC BY 2.5).

No summarization dataset can be fetched here, so the reference is built from
the articles themselves, and kept out of the input: the journalist's opening
paragraph (the lede, which Wikinews style asks to answer who, what, when,
where) is the reference summary, and both systems summarize the rest of the
article. The lede is human-written and independent of the text the systems
see; its limits are in docs/site.md. A second, weaker reference, the
headline, is scored on the whole article.

Run: `python -m bench.summaries` (reads ../shared/samples/wikinews-en.jsonl).
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from rouge_score import rouge_scorer

from newswire.newsroom.bodies import split_paragraphs
from newswire.newsroom.summaries import (
    extractive_summary,
    lead_summary,
    split_sentences,
    word_count,
)

WIKINEWS = Path(__file__).resolve().parents[2] / "shared" / "samples" / "wikinews-en.jsonl"
MAX_WORDS = 60
METRICS = ("rouge1", "rouge2", "rougeL")


def _lead_under_cap(paragraphs: list[str], max_words: int) -> str:
    """Return the first sentences while they fit the cap (at least one): lead at equal length."""
    kept: list[str] = []
    for sentence in split_sentences(paragraphs):
        if kept and word_count(" ".join([*kept, sentence])) > max_words:
            break
        kept.append(sentence)
    return " ".join(kept)


System = Callable[[list[str]], str]


SYSTEMS: dict[str, System] = {
    f"extractive (cap {MAX_WORDS} words)": lambda p: extractive_summary(p, MAX_WORDS),
    "Lead-3": lambda p: lead_summary(p, 3),
    f"Lead (cap {MAX_WORDS} words)": lambda p: _lead_under_cap(p, MAX_WORDS),
}


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


def evaluate(
    pairs: list[tuple[str, list[str]]], scorer: rouge_scorer.RougeScorer
) -> dict[str, dict[str, float]]:
    """Score every system on (reference, input paragraphs) pairs; return mean F1 and length."""
    results: dict[str, dict[str, float]] = {}
    for name, system in SYSTEMS.items():
        scores: dict[str, list[float]] = {metric: [] for metric in METRICS}
        lengths = []
        for reference, paragraphs in pairs:
            summary = system(paragraphs)
            lengths.append(word_count(summary))
            for metric, score in scorer.score(reference, summary).items():
                scores[metric].append(score.fmeasure)
        results[name] = {m: 100 * statistics.fmean(v) for m, v in scores.items()}
        results[name]["words"] = statistics.fmean(lengths)
    return results


def report(title: str, results: dict[str, dict[str, float]], count: int) -> None:
    """Print one results table."""
    print(f"\n{title} ({count} articles), mean F1 x 100")
    print(f"  {'system':<28}{'R-1':>7}{'R-2':>7}{'R-L':>7}{'words':>8}")
    for name, row in results.items():
        print(
            f"  {name:<28}{row['rouge1']:>7.1f}{row['rouge2']:>7.1f}"
            f"{row['rougeL']:>7.1f}{row['words']:>8.1f}"
        )


def main() -> None:
    """Run the evaluation and print ROUGE-1/2/L F1 of each system, with Lead-3 alongside."""
    if not WIKINEWS.exists():
        print(f"skipped: {WIKINEWS} not found (../shared is not beside the checkout)")
        return
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    sample = articles()
    lede = [(paragraphs[0], paragraphs[1:]) for _title, paragraphs in sample]
    report(
        "Reference: the held-out lede; input: the rest of the article",
        evaluate(lede, scorer),
        len(lede),
    )
    titles = [(title, paragraphs) for title, paragraphs in sample]
    report(
        "Reference: the headline; input: the whole article (weak)",
        evaluate(titles, scorer),
        len(titles),
    )


if __name__ == "__main__":
    sys.exit(main())
