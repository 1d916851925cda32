"""The public portion: which stories the public site shows, from when, and in what form.

This is the one place that decides it. A story is public when the editor
marked it so or when one of its sections is configured as always public,
unless its urgency is configured as never public. It becomes visible after
the configured delay, and never before its embargo lifts. What the site may
show is a `PublicStory`: a projection with the summary and no body at all.
"""

from __future__ import annotations

from datetime import timedelta

from newswire.models.public import PublicStory
from newswire.models.stories import PubStatus, StoryVersion
from newswire.settings import Settings


def is_public(story: StoryVersion, settings: Settings) -> bool:
    """Tell whether a story version belongs to the public portion under the site's rules."""
    if story.urgency in settings.public_hidden_urgencies:
        return False
    if story.public:
        return True
    always = {name.casefold() for name in settings.public_sections}
    return any(category.casefold() in always for category in story.categories)


def public_projection(story: StoryVersion, settings: Settings) -> PublicStory | None:
    """Return the public form of a story version, or None when it is not public.

    A killed story that was public keeps a tombstone (killed_at set) so its
    page can answer 410 Gone; listings never show tombstones.
    """
    if not is_public(story, settings):
        return None
    if story.pubstatus is PubStatus.WITHHELD and story.embargoed_until is None:
        return None  # withheld until its source releases it: no time to show it from
    visible_from = story.first_created + timedelta(seconds=settings.public_delay_seconds)
    if story.embargoed_until is not None and story.embargoed_until > visible_from:
        visible_from = story.embargoed_until
    return PublicStory(
        story_id=story.story_id,
        slug=story.slug,
        language=story.language,
        headline=story.headline,
        summary=story.public_summary,
        byline=story.byline,
        dateline=story.dateline,
        categories=story.categories,
        subjects=story.subjects,
        urgency=story.urgency,
        first_published=story.first_created,
        updated_at=story.version_created,
        visible_from=visible_from,
        killed_at=story.version_created if story.is_killed else None,
        featured_media=featured_media(story),
    )


def featured_media(story: StoryVersion) -> str:
    """Return the id of the picture a story features (its first featuremedia), or ""."""
    for ref in story.media:
        if ref.rel == "featuremedia":
            return ref.id
    return ""
