"""The query language: parsing, folding, marks; both engines agree with the Python matcher."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from newswire.models.clock import utcnow
from newswire.models.public import PublicQuery, PublicStory
from newswire.models.stories import EventType, StoryVersion
from newswire.runtime import Runtime
from newswire.search.folding import fold, words
from newswire.search.highlight import SNIPPET_CHARS, highlight, snippet
from newswire.search.matching import SearchDocument, matches_query
from newswire.search.query import And, Not, Or, QuerySyntaxError, Term, parse_query
from newswire.search.request import (
    Cursor,
    InvalidCursor,
    SearchFilters,
    SearchOrder,
    SearchRequest,
    decode_cursor,
    encode_cursor,
)
from newswire.settings import Settings
from newswire.site.portion import public_projection
from newswire.storage import open_storage
from tests.story_factory import full_story


def test_folding_removes_diacritics_case_and_unifies_turkish_i() -> None:
    assert fold("Rinkēvičs") == "rinkevics"
    assert words("İstanbul ıstanbul ISTANBUL") == ["istanbul"] * 3
    assert words("Straße, Øresund; Łódź") == ["strasse", "oresund", "lodz"]
    assert words("F-35s don't fly_here") == ["f", "35s", "don", "t", "fly", "here"]
    # A decomposed é (e + combining accent) is one word, like the composed one.
    assert words("Pe\u0301rez") == words("Pérez") == ["perez"]


def test_the_grammar_builds_the_expected_tree() -> None:
    nato, otan, russia = Term(("nato",)), Term(("otan",)), Term(("russia",))
    assert parse_query("nato") == nato
    assert parse_query("NATO otan") == And((nato, otan))
    assert parse_query("nato AND otan") == And((nato, otan))
    assert parse_query("nato OR otan") == Or((nato, otan))
    assert parse_query("nato -russia") == And((nato, Not(russia)))
    assert parse_query("nato NOT russia") == And((nato, Not(russia)))
    assert parse_query("nato and otan") == And((nato, Term(("and",)), otan))
    assert parse_query('"defence spending"') == Term(("defence", "spending"))
    assert parse_query("defen*") == Term(("defen",), prefix=True)
    assert parse_query("headline:NATO") == Term(("nato",), "headline")
    assert parse_query("located:Ankara") == Term(("ankara",), "dateline")
    assert parse_query("subject:(politics OR 11000000)") == Or(
        (Term(("politics",), "subject"), Term(("11000000",), "subject"))
    )
    assert parse_query("(nato OR otan) budget") == And((Or((nato, otan)), Term(("budget",))))
    assert parse_query("F-35") == Term(("f", "35"))
    assert parse_query("Update: Rutte") == And((Term(("update",)), Term(("rutte",))))
    assert parse_query("") is None and parse_query("  !!! ") is None


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("(nato", "'(' is never closed", 1),
        ("nato OR (otan", "'(' is never closed", 9),
        ("nato)", "unexpected ')'", 5),
        ('nato "defence', "never closed", 6),
        ("nato foo:bar", "unknown field 'foo'", 6),
        ("headline: nato", "needs a value", 1),
        ("-nato", "only exclude", 1),
        ("nato OR -russia", "choices of OR", 9),
        ("OR nato", "OR needs something", 1),
        ("nato AND", "AND needs something", 6),
        ("nato NOT", "NOT needs something", 6),
        ('nato ""', "empty phrase", 6),
    ],
)
def test_malformed_queries_say_what_and_where(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(query)
    assert message in str(raised.value)
    assert raised.value.position == position


def test_marks_keep_the_original_spelling_and_escape_html() -> None:
    terms = [Term(("rinkevics",)), Term(("def",), prefix=True)]
    assert highlight("<b>Rinkēvičs</b> on defence", terms) == (
        "&lt;b&gt;<mark>Rinkēvičs</mark>&lt;/b&gt; on <mark>defence</mark>"
    )
    long_text = " ".join(["filler"] * 100) + " Rinkēvičs spoke " + " ".join(["tail"] * 100)
    cut = snippet(long_text, terms)
    assert cut.startswith("… ") and cut.endswith(" …") and "<mark>Rinkēvičs</mark>" in cut
    assert len(cut) < SNIPPET_CHARS + 40  # the window, its ellipses and the <mark> tags
    # Text whose folding changes its length (ß -> ss) is marked word by word.
    assert highlight("Die Straße nach Istanbul", [Term(("strasse",))]) == (
        "Die <mark>Straße</mark> nach Istanbul"
    )


def test_cursors_round_trip_and_refuse_other_searches() -> None:
    scores = tuple(float(n) / 4 for n in range(300))  # exact in half precision
    cursor = Cursor("abc", 1234, remaining=tuple(range(100_000, 100_300)), scores=scores)
    assert decode_cursor(encode_cursor(cursor), "abc") == cursor
    assert len(encode_cursor(cursor)) < 2500
    timed = Cursor("abc", 7, after_doc=42)
    assert decode_cursor(encode_cursor(timed), "abc") == timed
    with pytest.raises(InvalidCursor, match="different search"):
        decode_cursor(encode_cursor(timed), "xyz")
    with pytest.raises(InvalidCursor, match="damaged"):
        decode_cursor("not-a-cursor", "abc")


VOCABULARY = ["nato", "defence", "budget", "istanbul", "ankara", "spending", "vote", "rain"]


def _random_query(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth >= 2 or roll < 0.4:
        word = rng.choice(VOCABULARY)
        form = rng.random()
        if form < 0.15:
            return f'"{word} {rng.choice(VOCABULARY)}"'
        if form < 0.3:
            return f"headline:{word}"
        if form < 0.4:
            return word[:3] + "*"
        return word
    left, right = _random_query(rng, depth + 1), _random_query(rng, depth + 1)
    if roll < 0.6:
        return f"({left} OR {right})"
    if roll < 0.8:
        return f"{left} -{right}" if not right.startswith("-") else f"{left} {right}"
    return f"({left} AND {right})"


@pytest.mark.anyio
async def test_both_engines_find_exactly_what_the_python_matcher_finds(runtime: Runtime) -> None:
    """The feed's beat filter (Python) and the search engine must agree on every query."""
    rng = random.Random(20261127)
    stories = []
    for number in range(40):
        headline = " ".join(rng.choices(VOCABULARY, k=3)).capitalize()
        body = " ".join(rng.choices(VOCABULARY, k=8))
        story = full_story(
            version=1,
            embargoed_until=None,
            story_id=f"story{number}",
            guid=f"urn:test:{number}",
            slug=f"story-{number}",
            headline=headline,
            summary="",
            body_html=f"<p>{body}</p>",
            subjects=(),
        )
        await runtime.storage.stories.save_version(story, EventType.PUBLISHED, None)
        stories.append(story)
    documents = {story.story_id: SearchDocument.of(story) for story in stories}
    checked = 0
    for _ in range(150):
        text = _random_query(rng)
        try:
            query = parse_query(text)
        except QuerySyntaxError:
            continue  # e.g. an exclusion as one side of OR
        request = SearchRequest(
            text, query, SearchFilters(), SearchOrder.NEWEST, 100, utcnow(), None
        )
        page = await runtime.storage.archive.search(request)
        found = {hit.story_id for hit in page.hits}
        expected = {sid for sid, doc in documents.items() if matches_query(query, doc)}
        assert found == expected, text
        checked += 1
    assert checked > 100


async def _filed_then_undone(
    path: Path, story: StoryVersion, public: PublicStory | None, undo: list[str], version: int
) -> None:
    """File a story into a migrated SQLite file, then undo migration `version` by hand."""
    storage = open_storage(f"sqlite:///{path}")
    await storage.migrate()
    await storage.stories.save_version(story, EventType.PUBLISHED, public)
    await storage.close()
    with sqlite3.connect(path) as db:
        for statement in undo:
            db.execute(statement)
        db.execute("DELETE FROM schema_migrations WHERE version = ?", (version,))


@pytest.mark.anyio
async def test_migrating_an_existing_archive_indexes_the_stories_already_filed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "archive.db"
    story = full_story(version=1, embargoed_until=None, headline="Harbour strike ends")
    # Make the database look as it did before the search index existed.
    tables = ("search_stories", "search_story_tags", "search_fts", "saved_searches")
    undo = [f"DROP TABLE {table}" for table in tables]
    await _filed_then_undone(path, story, None, undo, 6)
    storage = open_storage(f"sqlite:///{path}")
    try:
        assert 6 in await storage.migrate()
        request = SearchRequest(
            "harbour",
            parse_query("harbour"),
            SearchFilters(),
            SearchOrder.NEWEST,
            10,
            utcnow(),
            None,
        )
        page = await storage.archive.search(request)
        assert [hit.story_id for hit in page.hits] == [story.story_id]
    finally:
        await storage.close()


@pytest.mark.anyio
async def test_migrating_folds_the_words_of_public_stories_already_filed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "site.db"
    story = full_story(version=1, embargoed_until=None, headline="İstanbul harbour reopens")
    public = public_projection(story, Settings())
    assert public is not None
    undo = ["ALTER TABLE public_stories DROP COLUMN search_words"]  # as before migration 8
    await _filed_then_undone(path, story, public, undo, 8)
    storage = open_storage(f"sqlite:///{path}")
    try:
        assert 8 in await storage.migrate()
        found = await storage.public.stories(PublicQuery(now=utcnow(), text="istanbul"))
        assert [each.story_id for each in found] == [story.story_id]
    finally:
        await storage.close()
