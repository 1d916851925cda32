"""What every value the wire stores must be, so that every reader can read it back.

One bad value filed once used to stop the wire for everyone (issue 15): a year
before 1000 was stored as text no reader could parse, a NUL made every XML
rendering fail. These rules are the gate's; `drafts.StoryDraft` applies them to
every field, whatever way the story came in (JSON, text layout, ninjs, G2, CLI).

- **Times** lie between 1000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z
  *in UTC*, carry a time zone, and have an offset that does not push them past
  either end. Inside that range the stored fixed-width text (four-digit year)
  parses back to the same instant, and every format writes a four-digit year.
- **Text** holds only characters XML 1.0 can carry: tab, newline and carriage
  return are the only C0 controls; U+FFFE, U+FFFF and lone surrogates are
  refused. We refuse (422 naming the field) rather than silently strip: the
  text is an agency's copy, and a wire that quietly changes copy is worse than
  one that tells the sender which field to fix.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator

EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
# What XML 1.0 cannot carry (its Char production), as found in a Python str.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def wire_time(value: datetime) -> datetime:
    """Return a zoned time inside the wire's range, or raise ValueError saying what is wrong."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("give a time zone, e.g. 2026-11-27T18:00:00Z")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise ValueError(
            f"{value.isoformat()} is outside the range the wire carries: years 1000 to 9999 in UTC"
        )
    return value


def wire_text(value: str) -> str:
    """Return text free of characters XML 1.0 cannot carry, or raise ValueError naming one."""
    found = _NOT_XML.search(value)
    if found is not None:
        raise ValueError(
            f"character U+{ord(found.group()):04X} at position {found.start()} is not allowed "
            "(control characters other than tab, newline and carriage return cannot be "
            "carried in XML)"
        )
    return value


# Field types for the gate's models: the rule runs after pydantic's own parsing.
WireTime = Annotated[datetime, AfterValidator(wire_time)]
WireText = Annotated[str, AfterValidator(wire_text)]
