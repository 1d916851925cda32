"""What an item taken from another agency says about itself, beside its text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newswire.models.stories import PubStatus

CORRECTION_SIGNAL = "sig:correction"


@dataclass(frozen=True)
class SourceItem:
    """The source's version, publishing status, IPTC signals and version time of an item.

    These decide which operation filing the item is (a new version, a kill, a
    release, a correction); they are not fields of the story draft.
    """

    version: int = 1
    pubstatus: PubStatus = PubStatus.USABLE
    signals: tuple[str, ...] = ()  # qcodes, e.g. ("sig:update", "sig:correction")
    version_created: datetime | None = None

    @property
    def is_correction(self) -> bool:
        """Tell whether the source marks this version as a correction."""
        return CORRECTION_SIGNAL in self.signals
