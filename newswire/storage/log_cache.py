"""Log entries kept in memory: the log never changes once written, so what was read stays true.

An event and the story version it points to are immutable, and so is the
history of a story *before* a given sequence number. Many readers ask for
the same stretches (subscribers pulling the same recent pages, every stream
waking for the same event), so each process keeps the most recent entries by
`seq` and the histories it looked up, and answers repeated reads without the
database. Only what was read from the database is kept (committed, so the
same on every node), a stretch is served from memory only when every `seq`
in it is present, and the head of the log (a short page) always goes to the
database, so nothing new is ever missed. Both parts are bounded and forget
their oldest entries first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

from newswire.models.stories import LogEntry

# About 5 KB per entry with its story version: a few tens of MB at most.
MAX_ENTRIES = 4_000
MAX_HISTORIES = 8_000


class LogCache:
    """Recent log entries by seq, and story histories before a seq."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_histories: int = MAX_HISTORIES) -> None:
        self.max_entries = max_entries
        self.max_histories = max_histories
        self._entries: OrderedDict[int, LogEntry] = OrderedDict()
        self._histories: OrderedDict[tuple[str, int], list[LogEntry]] = OrderedDict()
        # The highest seq read from the database: everything up to it is committed.
        self.highest = 0

    def stretch(self, after: int, limit: int) -> list[LogEntry]:
        """Return the entries after `after` that are here without a gap, up to `limit`.

        The caller reads the rest (if any) from the database: at the head of the
        log that is a short read that sees whatever was committed since.
        """
        found = []
        for seq in range(after + 1, after + limit + 1):
            entry = self._entries.get(seq)
            if entry is None:
                break
            found.append(entry)
        return found

    def keep(self, entries: Iterable[LogEntry]) -> None:
        """Remember entries read from the database."""
        for entry in entries:
            self._entries[entry.event.seq] = entry
            self.highest = max(self.highest, entry.event.seq)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def history(self, story_id: str, before_seq: int) -> list[LogEntry] | None:
        """Return a story's entries before a seq if they were looked up before, else None."""
        return self._histories.get((story_id, before_seq))

    def keep_histories(
        self, story_ids: Sequence[str], before_seq: int, entries: Iterable[LogEntry]
    ) -> None:
        """Remember the histories of these stories before a seq (entries: all of theirs).

        Only a history that ends inside the committed log is final: "every
        version so far" (a `before_seq` past the head) can still grow, so it is
        not kept.
        """
        if before_seq > self.highest + 1:
            return
        found: dict[str, list[LogEntry]] = {story_id: [] for story_id in story_ids}
        for entry in entries:
            found[entry.story.story_id].append(entry)
        for story_id, history in found.items():
            self._histories[(story_id, before_seq)] = history
        while len(self._histories) > self.max_histories:
            self._histories.popitem(last=False)
