"""The agency's sections: a configured vocabulary, never free text (issue 17).

A story's `categories` are a breadcrumb of section names, broadest first. With
a vocabulary in force, every name must be one of them; a typo ("Wrold") is
refused with the closest names, because a story filed under a section nobody
subscribes to silently misses every subscriber of the one it meant. Case and
spacing are forgiven and put right ("world" files as "World"). With an empty
vocabulary, any name is accepted, as before.

The vocabulary in force is the one a chief keeps on the desk's setup page,
else `NEWSWIRE_SECTIONS` (`SectionBook`). Every filing reads it afresh, so a
section a chief adds on one node is accepted by every node at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from newswire.models.errors import Invalid


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Sections:
    """The section names stories may be filed under (empty: any)."""

    names: tuple[str, ...] = ()
    _by_key: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {_key(name): name for name in self.names})

    @classmethod
    def of(cls, names: Iterable[str]) -> Sections:
        """Return the vocabulary of these names (blank ones dropped, first spelling kept)."""
        kept: dict[str, str] = {}
        for name in names:
            cleaned = " ".join(name.split())
            if cleaned:
                kept.setdefault(cleaned.casefold(), cleaned)
        return cls(tuple(kept.values()))

    @property
    def restricted(self) -> bool:
        """Tell whether stories must use these names."""
        return bool(self.names)

    def close_matches(self, name: str, count: int = 3) -> list[str]:
        """Return the vocabulary's names closest to a mistyped one, closest first."""
        keys = difflib.get_close_matches(_key(name), list(self._by_key), n=count, cutoff=0.5)
        return [self._by_key[key] for key in keys]

    def check(self, categories: Sequence[str]) -> list[str]:
        """Return the categories as the vocabulary spells them; raise Invalid for unknown ones."""
        if not self.restricted:
            return list(categories)
        checked: list[str] = []
        for name in categories:
            known = self._by_key.get(_key(name))
            if known is None:
                matches = self.close_matches(name)
                hint = f"; did you mean {', '.join(matches)}?" if matches else ""
                raise Invalid(f"{name!r} is not one of the agency's sections{hint}", "categories")
            checked.append(known)
        return checked


class SectionSource(Protocol):
    """Where a chief's vocabulary is kept (the desk's configuration store)."""

    async def sections(self) -> tuple[str, ...] | None:
        """Return the sections a chief set, or None when never set."""
        ...


class SectionBook:
    """The vocabulary in force: as a chief keeps it, else the settings' default."""

    def __init__(self, default: Sections | None = None, source: SectionSource | None = None):
        self.default = default or Sections()
        self._source = source

    async def current(self) -> Sections:
        """Return the vocabulary every filing is checked against now."""
        stored = await self._source.sections() if self._source else None
        return self.default if stored is None else Sections.of(stored)
