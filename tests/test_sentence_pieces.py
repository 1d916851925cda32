"""`sentence_pieces` is pysbd's own `Segmenter.segment`, found back in the text without regexes.

The summaries' sentence split skips the step of pysbd that compiles a regular
expression per sentence; it must give the very pieces pysbd gives, altered
sentences dropped included, or the summaries would change.
"""

from __future__ import annotations

import pysbd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newswire.newsroom.summaries import sentence_pieces
from tests.conftest import SAMPLE_STORY, WIKINEWS, needs_shared, wikinews_articles

# Text made of what moves pysbd: ends of sentences, abbreviations, quotes, brackets,
# numbers, odd spaces, and a symbol pysbd rewrites (so that its sentence is dropped).
PIECES = st.sampled_from(
    ["He said", '"no."', "Then", "left.", "Dr.", "U.S.", "4.2", "M☉", "(Solar)", "Yes!!",
     "...", "?", "«Oui»", "“Two.”", "\u00a0", "  ", "\n", "i.e.", "No. 5", "a", "B."]
)  # fmt: skip


def _pysbd(language: str, paragraph: str) -> tuple[str, ...]:
    return tuple(pysbd.Segmenter(language=language, clean=False).segment(paragraph))


@given(st.lists(PIECES, max_size=25).map(" ".join), st.sampled_from(["en", "de", "fr"]))
@settings(max_examples=300, deadline=None)
def test_the_pieces_are_pysbds_for_any_text(paragraph: str, language: str) -> None:
    assert sentence_pieces(language, paragraph) == _pysbd(language, paragraph)


@needs_shared(WIKINEWS)
@needs_shared(SAMPLE_STORY)
@pytest.mark.no_cover  # a corpus run: tracing 3,700 paragraphs through pysbd would double it
def test_the_pieces_are_pysbds_for_every_sample_paragraph() -> None:
    paragraphs = SAMPLE_STORY.read_text("utf-8").split("\n")
    for article in wikinews_articles():
        paragraphs += article["text"].split("\n")
    assert len(paragraphs) > 3000
    different = [p for p in paragraphs if sentence_pieces("en", p) != _pysbd("en", p)]
    assert different == []


@pytest.mark.parametrize(
    "paragraph", ["", " ", "One.  Two.", "x\u00a0. y.", "4.2 M☉ (Solar). Next."]
)
def test_edge_paragraphs_split_as_pysbd_splits_them(paragraph: str) -> None:
    assert sentence_pieces("en", paragraph) == _pysbd("en", paragraph)
