"""Kill means gone for subscribers: an earlier version of a killed story is its kill notice.

After a kill, no subscriber-facing read returns the withdrawn text: a replay
of the feed (or a webhook restarted from an old cursor) carries, for each
earlier event of the story, the kill version in its place (pubstatus canceled,
the notice as body, the reason as ednote) under the earlier version's number;
`/versions/{n}` of an earlier version answers 410 with the notice; search and
the Atom feed only ever hold the current (kill) version. Editors and admins
keep every version: the legal record.
"""

from __future__ import annotations

import dataclasses

from newswire.models.errors import DomainError
from newswire.models.stories import StoryVersion


class Withdrawn(DomainError):
    """The version asked for belongs to a killed story; `notice` is the kill version."""

    def __init__(self, kill: StoryVersion, number: int) -> None:
        super().__init__(
            f"version {number} of story {kill.story_id} was withdrawn: {kill.ednote}", "version"
        )
        self.kill = kill


def withdrawn(earlier: StoryVersion, kill: StoryVersion) -> StoryVersion:
    """Return what a subscriber gets of an earlier version of a killed story: the kill notice."""
    if earlier.version >= kill.version:
        return earlier
    return dataclasses.replace(kill, version=earlier.version, change=earlier.change)
