"""Public summaries: the editor's line wins; otherwise whole sentences, lead first, under a cap."""

from __future__ import annotations

from newswire.newsroom.bodies import split_paragraphs
from newswire.newsroom.summaries import (
    extractive_summary,
    lead_summary,
    public_summary,
    rank_sentences,
    select_sentences,
    split_sentences,
    word_count,
)
from tests.conftest import WIKINEWS, needs_shared, wikinews_articles

STORY = [
    "The parliament approved the budget on Tuesday after a debate of three days. "
    "The vote was 301 to 250.",
    "The budget raises spending on schools and hospitals. "
    "Opposition parties said the budget spends too much on roads.",
    "Weather in the capital was mild.",
]


def test_the_editors_summary_line_wins_over_the_body() -> None:
    assert public_summary("  Editor's line.  ", STORY, 60, "en") == "Editor's line."
    assert public_summary("", STORY, 60, "en") == extractive_summary(STORY, 60, "en")


def test_sentences_are_whole_in_story_order_and_under_the_cap() -> None:
    sentences = split_sentences(STORY)
    for cap in (15, 25, 40, 60):
        summary = extractive_summary(STORY, cap)
        chosen = split_sentences([summary])
        assert all(sentence in sentences for sentence in chosen), summary
        positions = [sentences.index(sentence) for sentence in chosen]
        assert positions == sorted(positions), "story order is kept"
        assert word_count(summary) <= cap


def test_the_lead_sentence_comes_first_and_filler_is_left_out() -> None:
    summary = extractive_summary(STORY, 30)
    assert summary.startswith("The parliament approved the budget on Tuesday")
    assert "Weather" not in summary
    assert rank_sentences(split_sentences(STORY))[0] == 0


def test_a_first_sentence_longer_than_the_cap_is_kept_whole_not_cut() -> None:
    long = ["One two three four five six seven eight nine ten eleven twelve. Short one."]
    assert extractive_summary(long, 5) == (
        "One two three four five six seven eight nine ten eleven twelve."
    )


def test_a_quotation_spanning_sentences_stays_whole() -> None:
    paragraphs = [
        "“We will rebuild. We always have. Nobody will stop us,” the mayor said on Monday. "
        "Crews cleared the roads.",
        'He added: "It will take years. But we start today." The council met later.',
    ]
    sentences = split_sentences(paragraphs)
    assert sentences[0] == (
        "“We will rebuild. We always have. Nobody will stop us,” the mayor said on Monday."
    )
    assert 'He added: "It will take years. But we start today."' in sentences
    summary = extractive_summary(paragraphs, 20)
    assert summary.count("“") == summary.count("”")
    assert summary.count('"') % 2 == 0


def test_empty_bodies_and_other_languages() -> None:
    assert extractive_summary([], 60) == ""
    assert public_summary("", [], 60, "en") == ""
    turkish = ["Meclis bütçeyi salı günü kabul etti. Oylama 301'e 250 oldu.", "Hava güzeldi."]
    assert extractive_summary(turkish, 7, "tr") == "Meclis bütçeyi salı günü kabul etti."
    assert extractive_summary(turkish, 8, "tr").endswith("Hava güzeldi.")
    assert split_sentences(["Dr. Smith arrived. He spoke."]) == ["Dr. Smith arrived.", "He spoke."]


def test_lead_baseline_takes_the_first_sentences() -> None:
    assert lead_summary(STORY, 2) == (
        "The parliament approved the budget on Tuesday after a debate of three days. "
        "The vote was 301 to 250."
    )


@needs_shared(WIKINEWS)
def test_wikinews_summaries_are_whole_sentences_of_their_bodies_under_the_cap() -> None:
    cap = 45
    for article in wikinews_articles(120):
        paragraphs = split_paragraphs(article["text"])
        sentences = split_sentences(paragraphs)
        chosen = select_sentences(sentences, cap)
        summary = extractive_summary(paragraphs, cap)
        assert summary == " ".join(sentences[i] for i in chosen), article["title"]
        assert chosen[0] == 0 and chosen == sorted(set(chosen)), article["title"]
        words = sum(word_count(sentences[i]) for i in chosen)
        assert words <= cap or chosen == [0], article["title"]
        left = [i for i in range(len(sentences)) if i not in chosen]
        if words <= cap:
            smallest = min((word_count(sentences[i]) for i in left), default=cap + 1)
            assert words + smallest > cap, "a sentence that still fits is not left out"
