"""Plain text for teleprinter-era clients, and Atom 1.0 feeds read back with feedparser."""

from __future__ import annotations

import dataclasses

import feedparser
import pytest

from newswire.delivery.formats import Agency, render
from newswire.delivery.formats.atom import atom_feed
from tests.story_factory import STORY_SHAPES, arabic_story, full_story, killed, sample_story

AGENCY = Agency()
STORIES = STORY_SHAPES


def text_of(story) -> str:
    return render(story, "text", AGENCY).decode("utf-8")


@pytest.mark.parametrize("story_name", STORIES)
def test_text_lines_fit_in_72_columns(story_name: str):
    lines = text_of(STORIES[story_name]()).splitlines()
    assert max(len(line) for line in lines) <= 72
    assert lines[-1] == "END"


def test_text_puts_headline_dateline_body_and_byline_in_order():
    story = sample_story()
    text = text_of(story)
    lines = text.splitlines()
    assert lines[0] == story.headline
    assert lines[2].startswith("LONDON - NATO Secretary General Mark Rutte")
    assert text.index("LONDON - ") < text.index("By Aysu Bicer") < text.index("END")
    assert "<p>" not in text


def test_text_says_kill_embargo_and_urgency_first_and_keeps_markup_characters_raw():
    text = text_of(killed(full_story()))
    lines = text.splitlines()
    assert lines[:3] == [
        "KILL KILL KILL - DO NOT USE",
        "EMBARGOED UNTIL 2024-11-15T06:00:00Z",
        "URGENT",
    ]
    assert 'Rates "on hold" <for now> & markets rally' in text
    assert "&amp;" not in text and "&lt;" not in text
    assert "* Stocks rose" in lines and "* Bonds fell" in lines
    assert "Editor's note: Legal reasons" in text


def test_text_breaks_a_word_longer_than_the_line():
    story = dataclasses.replace(sample_story(), body_html="<p>" + "x" * 100 + "</p>")
    assert max(len(line) for line in text_of(story).splitlines()) <= 72


def test_text_keeps_right_to_left_text():
    story = arabic_story()
    assert text_of(story).splitlines()[0] == story.headline


def feed(entries, **kwargs):
    data = atom_feed(
        entries,
        title="Newswire: World",
        feed_id="urn:newswire:feed:world",
        self_url="https://newswire.example/feeds/world.atom",
        agency=AGENCY,
        **kwargs,
    )
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return data, parsed


def test_atom_feed_carries_every_entry_with_full_content():
    sample, every, arabic = sample_story(), full_story(), arabic_story()
    data, parsed = feed([(7, sample), (8, every), (9, arabic)])
    assert data.startswith(b"<?xml")
    assert parsed.feed.id == "urn:newswire:feed:world"
    assert parsed.feed.title == "Newswire: World"
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [
        "https://newswire.example/feeds/world.atom"
    ]
    assert [entry.id for entry in parsed.entries] == [s.guid for s in (sample, every, arabic)]
    first = parsed.entries[0]
    assert first.title == sample.headline
    assert first.content[0].type == "text/html"
    assert "NATO Secretary General Mark Rutte" in first.content[0].value
    assert first.author == "Aysu Bicer"
    assert first.updated_parsed[:6] == (2024, 11, 14, 11, 5, 7)
    assert first.published_parsed[:3] == (2024, 11, 14)
    assert [tag.term for tag in first.tags] == ["World", "World/Europe"]


def test_atom_entries_carry_subjects_escaping_and_status():
    every = full_story()
    _, parsed = feed([(1, every), (2, killed(every))])
    entry, kill = parsed.entries
    assert entry.title == "EMBARGOED until 2024-11-15T06:00:00Z: " + every.headline
    assert entry.summary == every.summary
    assert "<strong>wait</strong>" in entry.content[0].value
    assert "<em>Editor's note: Corrects the rate" in entry.content[0].value
    topics = [tag for tag in entry.tags if tag.scheme.startswith("http://cv.iptc.org")]
    assert [(tag.term, tag.label) for tag in topics][1] == ("medtop:20000350", "central bank")
    assert kill.title.startswith("KILLED: ")


def test_atom_feed_without_entries_is_still_a_feed():
    _, parsed = feed([])
    assert parsed.entries == []
    assert parsed.feed.title == "Newswire: World"


def test_atom_feed_keeps_right_to_left_titles():
    story = arabic_story()
    _, parsed = feed([(1, story)])
    assert parsed.entries[0].title == story.headline


def test_atom_entries_carry_the_copyright_notice_of_whose_story_it_is():
    own, taken = sample_story(), full_story(copyright_notice="Copyright 2024 Example Press")
    _, parsed = feed([(1, own), (2, taken)])
    assert parsed.entries[0].rights == "Copyright 2024 Newswire. All rights reserved."
    assert parsed.entries[1].rights == "Copyright 2024 Example Press"
