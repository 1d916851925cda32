"""One schema change, as the migration runner applies it (`storage/migrations.py`).

Its own module so that each area's list of migrations (`migrations_<area>.py`)
can be written without importing the runner, which imports every list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.storage.text_index import TextIndex

# A step that changes data, not shape: it runs after its migration's statements,
# in the same transaction, and must use only the columns that exist at its version.
DataStep = Callable[[AsyncConnection, TextIndex], Awaitable[object]]


@dataclass(frozen=True)
class Migration:
    """One schema change: a version number, a name, and its statements per dialect."""

    version: int
    name: str
    statements: tuple[str, ...]
    only_on: dict[str, tuple[str, ...]] = field(default_factory=dict)
    data: DataStep | None = None

    def statements_for(self, dialect: str) -> tuple[str, ...]:
        """Return the statements to run on a dialect ("sqlite" or "postgresql")."""
        return self.statements + self.only_on.get(dialect, ())
