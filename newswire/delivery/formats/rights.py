"""Whose a story is and on what terms: the one rule every format follows for its rights.

A story taken from another agency (it names a copyright holder or a source) keeps
the source's holder and notice, and claims nothing for the agency; the agency's own
stories carry the agency's holder and notice. Usage terms are the source's when it
gave some, else the agency's terms of distribution.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.delivery.formats.agency import Agency
from newswire.models.stories import StoryVersion


@dataclass(frozen=True)
class Rights:
    """The copyright holder (and its URI when it is the agency), notice and usage terms."""

    holder: str
    holder_uri: str
    notice: str
    usage_terms: str
    year: int


def is_foreign(story: StoryVersion) -> bool:
    """Tell whether a story belongs to someone else (it names a holder or a source)."""
    return bool(story.copyright_holder or story.source)


def rights_of(story: StoryVersion, agency: Agency) -> Rights:
    """Return the rights a story version is sent with."""
    year = story.first_created.year
    terms = story.usage_terms or agency.usage_terms
    if is_foreign(story):
        holder = story.copyright_holder or story.source
        return Rights(holder, "", story.copyright_notice, terms, year)
    notice = story.copyright_notice or agency.notice(year)
    return Rights(agency.holder, agency.uri, notice, terms, year)
