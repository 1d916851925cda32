"""The agency's desks (issue 17): News, and any a chief adds (World, Sport), each with its stages.

A draft belongs to one desk; submitting it puts it at its desk's first stage,
and the monitoring view shows one desk at a time. The default desk, News, is
the desk every draft made before desks existed belongs to; its stages are the
ones a chief set on the one-desk setup page, else `NEWSWIRE_DESK_STAGES`.
A new desk starts with the stages its chief gives it.
"""

from __future__ import annotations

from collections.abc import Iterable

from newswire.desk.live import DeskCue
from newswire.models.clock import Clock
from newswire.models.drafts import Staff
from newswire.models.errors import Forbidden, Invalid
from newswire.storage.desk_interfaces import DeskConfigStore

DESK = "News"  # the default desk, which existing drafts belong to
MAX_DESKS = 20
MAX_NAME = 40
MAX_STAGES = 12


def _clean(names: Iterable[str]) -> list[str]:
    """Return the names with spacing put right, blank and repeated ones (any case) dropped."""
    kept: list[str] = []
    for name in names:
        cleaned = " ".join(name.split())
        if cleaned and cleaned.casefold() not in {known.casefold() for known in kept}:
            kept.append(cleaned)
    return kept


class DeskBook:
    """Which desks there are and the stages of each, as chiefs set them."""

    def __init__(
        self, config: DeskConfigStore, default_stages: tuple[str, ...], clock: Clock, cue: DeskCue
    ) -> None:
        self._config = config
        self.default_stages = default_stages
        self._clock = clock
        self._cue = cue

    async def names(self) -> tuple[str, ...]:
        """Return the desks, the default one first."""
        return (DESK, *(await self._config.desks() or ()))

    async def named(self, name: str) -> str:
        """Return a desk's name as it is spelled (any case given); raise Invalid if none."""
        names = await self.names()
        for known in names:
            if known.casefold() == " ".join(name.split()).casefold():
                return known
        raise Invalid(f"no desk {name!r}; desks: {', '.join(names)}", "desk")

    async def stages(self, desk: str = DESK) -> tuple[str, ...]:
        """Return a desk's stages, in order."""
        return await self._config.stages(store_key(desk)) or self.default_stages

    async def set_stages(
        self, stages: list[str], staff: Staff, desk: str = DESK
    ) -> tuple[str, ...]:
        """Set a desk's stages (a chief); drafts at a stage no longer listed stay visible."""
        if not staff.is_chief:
            raise Forbidden("only a chief may change the desk's stages", "stages")
        desk = await self.named(desk)
        cleaned = _checked_stages(stages)
        await self._config.set_stages(store_key(desk), cleaned, staff.name, self._clock())
        self._cue.ring()
        return cleaned

    async def add(self, name: str, stages: list[str], staff: Staff) -> str:
        """Add a desk with its stages (a chief); return its name."""
        if not staff.is_chief:
            raise Forbidden("only a chief may add a desk", "desk")
        cleaned = " ".join(name.split())
        names = await self.names()
        if not cleaned or len(cleaned) > MAX_NAME:
            raise Invalid(f"a desk's name has 1 to {MAX_NAME} characters", "desk")
        if cleaned.casefold() in {known.casefold() for known in names}:
            raise Invalid(f"there is a desk {cleaned!r} already", "desk")
        if len(names) >= MAX_DESKS:
            raise Invalid(f"there are {MAX_DESKS} desks already", "desk")
        desk_stages = _checked_stages(stages)
        now = self._clock()
        await self._config.set_stages(store_key(cleaned), desk_stages, staff.name, now)
        await self._config.set_desks((*names[1:], cleaned), staff.name, now)
        self._cue.ring()
        return cleaned


def store_key(desk: str) -> str:
    """Return the name a desk's settings are stored under."""
    # The default desk keeps the stages stored before there were several desks.
    return "" if desk == DESK else desk


def _checked_stages(stages: list[str]) -> tuple[str, ...]:
    cleaned = _clean(stages)
    if not cleaned or len(cleaned) > MAX_STAGES or any(len(name) > MAX_NAME for name in cleaned):
        raise Invalid(
            f"give 1 to {MAX_STAGES} stages, each at most {MAX_NAME} characters", "stages"
        )
    return tuple(cleaned)
