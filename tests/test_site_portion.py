"""The public portion: the editor's choice plus the site rules (sections, delay, urgencies)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx
import pytest

from newswire.models.public import PublicStory
from newswire.models.stories import PubStatus, StoryVersion
from newswire.settings import Settings
from newswire.site.portion import is_public, public_projection
from tests.conftest import file_story
from tests.story_factory import EMBARGO, FIRST, full_story

RULES = Settings.load(environ={})


def story(**overrides: object) -> StoryVersion:
    """Return a public, unembargoed routine story in Politics, with fields overridden."""
    fields: dict[str, object] = {
        "public": True,
        "embargoed_until": None,
        "urgency": 4,
        "categories": ("Politics",),
    }
    fields.update(overrides)
    return full_story(**fields)


def test_the_editors_choice_decides_without_site_rules() -> None:
    assert is_public(story(public=True), RULES)
    assert not is_public(story(public=False), RULES)


def test_always_public_sections_match_any_breadcrumb_level_ignoring_case() -> None:
    rules = RULES.replace(public_sections=("sport",))
    assert is_public(story(public=False, categories=("Sport", "Football")), rules)
    assert is_public(story(public=False, categories=("News", "SPORT")), rules)
    assert not is_public(story(public=False, categories=("Sports",)), rules)


def test_hidden_urgencies_override_both_the_editor_and_the_sections() -> None:
    rules = RULES.replace(public_sections=("Sport",), public_hidden_urgencies=(1, 2))
    assert not is_public(story(urgency=1), rules)
    assert not is_public(story(public=False, urgency=2, categories=("Sport",)), rules)
    assert is_public(story(urgency=3), rules)


def test_the_delay_and_the_embargo_set_when_a_story_becomes_visible() -> None:
    rules = RULES.replace(public_delay_seconds=3600)
    projection = public_projection(story(), rules)
    assert projection is not None
    assert projection.visible_from == FIRST + timedelta(hours=1)
    embargoed = public_projection(story(embargoed_until=EMBARGO), rules)
    assert embargoed is not None and embargoed.visible_from == EMBARGO
    early_embargo = FIRST + timedelta(minutes=5)
    assert public_projection(story(embargoed_until=early_embargo), rules).visible_from == (  # type: ignore[union-attr]
        FIRST + timedelta(hours=1)
    )


def test_the_projection_has_no_body_and_a_kill_leaves_a_tombstone() -> None:
    projection = public_projection(story(public_summary="Short summary."), RULES)
    assert projection is not None and projection.summary == "Short summary."
    assert "body" not in {field.name for field in dataclasses.fields(PublicStory)}
    tomb = public_projection(story(pubstatus=PubStatus.CANCELED), RULES)
    assert tomb is not None and tomb.is_killed


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(
        public_sections=("Sport",), public_hidden_urgencies=(1,), public_delay_seconds=0
    )


@pytest.mark.anyio
async def test_site_rules_apply_to_filed_stories(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await file_story(client, editor, headline="Chosen by the editor", public=True)
    await file_story(client, editor, headline="Always public sport", categories=["Sport"])
    await file_story(client, editor, headline="Flash never public", public=True, urgency=1)
    await file_story(client, editor, headline="Not chosen", public=False)
    home = (await client.get("/en/")).text
    assert "Chosen by the editor" in home and "Always public sport" in home
    assert "Flash never public" not in home and "Not chosen" not in home


@pytest.mark.anyio
async def test_a_delayed_story_is_hidden_everywhere_until_its_time(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    runtime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    runtime.newsroom.settings = runtime.settings.replace(public_delay_seconds=3600)
    delayed = await file_story(client, editor, headline="Delayed story", public=True)
    for path in ("/en/", "/en/atom.xml", "/sitemaps/news.xml", "/en/search?q=Delayed"):
        assert "Delayed story" not in (await client.get(path)).text, path
    assert (await client.get(f"/en/stories/{delayed['slug']}")).status_code == 404
    assert (await client.get(f"/stories/{delayed['id']}")).status_code == 404
