"""Entitlement: the one place that decides what a subscriber receives from the log.

Every read path (feed, by-id, SSE, WebSocket, webhooks, Atom) asks the same
two questions here:

* `matches(entitlements, story)`: does a story version fall inside what the
  subscriber pays for (media type, sections, languages, subjects, urgency)?
  Pictures and video are log items too (`LogEntry.media`): they match when the
  subscriber buys their media type (`Entitlements.media`: text, pictures,
  video) and the rest matches their header; a media item without sections
  matches any sections.
* `Visibility.delivered_type(entry)`: should this log event reach this
  subscriber, and as what? The rules, in order:

  1. Once a subscriber has received a story, it receives every later event of
     that story (updates, corrections, kills), even if the story no longer
     matches: its copy must end up equal to the agency's.
  2. A kill never reaches a subscriber who never received the story.
  3. While a story is under embargo, only subscribers with embargo access
     (and a match) receive it, marked withheld.
  4. Otherwise a matching event is delivered. The first event a subscriber
     receives for a story is always presented as `story.published`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Sequence

from newswire.models.media import Attached, MediaVersion
from newswire.models.principals import Entitlements, Principal, Role
from newswire.models.stories import EventType, LogEntry, StoryVersion, media_log_header

History = Callable[[str, int], Awaitable[list[LogEntry]]]
# Beyond every sequence number: an item's whole history in the log.
WHOLE_HISTORY = 2**62
Histories = Callable[[Sequence[str], int], Awaitable[list[LogEntry]]]


def _folded(values: list[str]) -> set[str]:
    return {value.casefold() for value in values}


def buys(entitlements: Entitlements, media_type: str) -> bool:
    """Tell whether a subscriber buys a media type: text, pictures or video."""
    return not entitlements.media or media_type in entitlements.media


def shown_attachments(
    entitlements: Entitlements, attached: Sequence[Attached]
) -> tuple[Attached, ...]:
    """Return the pictures and video of a story a subscriber receives with it: those it buys."""
    return tuple(item for item in attached if buys(entitlements, item.media.kind.media_type))


def matches_media(entitlements: Entitlements, media: MediaVersion) -> bool:
    """Tell whether a media version is inside a subscriber's entitlements."""
    if not buys(entitlements, media.kind.media_type):
        return False
    return matches(entitlements, media_log_header(media), media_type=media.kind.media_type)


def matches(entitlements: Entitlements, story: StoryVersion, media_type: str = "text") -> bool:
    """Tell whether a story version (or a media item's header) is inside the entitlements.

    A picture or video filed without sections or subjects (one that goes out
    with stories) is not narrowed by them: its stories are.
    """
    if not buys(entitlements, media_type) or story.urgency > entitlements.max_urgency:
        return False
    media = media_type != "text"
    if (
        entitlements.categories
        and not (media and not story.categories)
        and not (_folded(entitlements.categories) & _folded(list(story.categories)))
    ):
        return False
    if not _language_matches(entitlements, story):
        return False
    if (
        entitlements.subjects
        and not (media and not story.subjects)
        and not (set(entitlements.subjects) & set(story.subjects))
    ):
        return False
    return True


def _language_matches(entitlements: Entitlements, story: StoryVersion) -> bool:
    if not entitlements.languages:
        return True
    language = story.language.casefold()
    wanted = _folded(entitlements.languages)
    return language in wanted or language.split("-")[0] in wanted


def under_embargo(entry: LogEntry) -> bool:
    """Tell whether the story was under embargo when the event was logged."""
    return (
        entry.story.embargoed_at(entry.event.created_at)
        and entry.event.type is not EventType.RELEASED
    )


def _decide(entitlements: Entitlements, entry: LogEntry, received: bool) -> EventType | None:
    event_type = entry.event.type
    if received:
        return event_type
    if event_type.is_kill:
        return None
    media_type = entry.media.kind.media_type if entry.media else "text"
    if not matches(entitlements, entry.story, media_type):
        return None
    if under_embargo(entry) and not entitlements.embargoed:
        return None
    return entry.media.kind.event("published") if entry.media else EventType.PUBLISHED


class Visibility:
    """What one principal may see of the log; remembers which stories it has received."""

    def __init__(
        self, principal: Principal, history: History, histories: Histories | None = None
    ) -> None:
        self.principal = principal
        self._history = history
        self._histories = histories
        self._received: dict[str, bool] = {}

    async def learn(self, entries: Sequence[LogEntry]) -> None:
        """Look up at once what was received of every story met for the first time in `entries`.

        `entries` must be consecutive log entries (as `LogStore.entries_after` returns
        them): the history of a story before its first entry here is then its
        entries before the first one of the stretch, fetched for all such stories
        in one query instead of one query per story. Deciding without this gives
        the same answers, one history query at a time.
        """
        if self.principal.role is not Role.SUBSCRIBER or self._histories is None or not entries:
            return
        new = {entry.story.story_id for entry in entries} - self._received.keys()
        if not new:
            return
        earlier: dict[str, list[LogEntry]] = {story_id: [] for story_id in new}
        for entry in await self._histories(sorted(new), entries[0].event.seq):
            earlier[entry.story.story_id].append(entry)
        for story_id, history in earlier.items():
            self._received[story_id] = self._received_in(history)

    def _received_in(self, history: list[LogEntry]) -> bool:
        received = False
        for earlier in history:
            if _decide(self.principal.entitlements, earlier, received) is not None:
                return True
        return received

    async def _received_before(self, entry: LogEntry) -> bool:
        story_id = entry.story.story_id
        if story_id not in self._received:
            history = await self._history(story_id, entry.event.seq)
            self._received[story_id] = self._received_in(history)
        return self._received[story_id]

    async def delivered_type(self, entry: LogEntry) -> EventType | None:
        """Return the event type this principal receives for a log entry, or None."""
        if self.principal.role is not Role.SUBSCRIBER:
            return entry.event.type
        received = await self._received_before(entry)
        decided = _decide(self.principal.entitlements, entry, received)
        if decided is not None:
            self._received[entry.story.story_id] = True
        return decided

    def shown(self, entry: LogEntry) -> LogEntry:
        """Return the entry as this principal receives it: without media types it does not buy."""
        if self.principal.role is not Role.SUBSCRIBER or not entry.attached:
            return entry
        attached = shown_attachments(self.principal.entitlements, entry.attached)
        return (
            entry if attached == entry.attached else dataclasses.replace(entry, attached=attached)
        )

    async def may_read_story(self, versions: list[LogEntry]) -> bool:
        """Tell whether any of a story's log entries reached this principal."""
        for entry in versions:
            if await self.delivered_type(entry) is not None:
                return True
        return False


async def reached(
    principal: Principal, history: History, item_id: str, upto_version: int | None = None
) -> bool:
    """Tell whether a story or media item (up to a version) reached a subscriber in the log."""
    entries = await history(item_id, WHOLE_HISTORY)
    if upto_version is not None:
        entries = [entry for entry in entries if entry.event.version <= upto_version]
    return await Visibility(principal, history).may_read_story(entries)
