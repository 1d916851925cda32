"""Cursors: a position in the log as clients send it back, read strictly.

A cursor is the decimal text of a sequence number. Only ASCII digits are
digits here (`"²".isdigit()` is true in Python), and the number must fit the
log's 63-bit sequence column, so nothing a client sends as a cursor can reach
the database as something it cannot store.
"""

from __future__ import annotations

import re

from newswire.models.errors import Malformed

# The largest sequence number the log's BIGINT column holds.
MAX_SEQ = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_cursor(text: str | None, field: str = "after") -> int:
    """Return the sequence number a cursor stands for (empty or missing: the start of the log)."""
    if text is None or text == "":
        return 0
    if not _DIGITS.fullmatch(text) or int(text) > MAX_SEQ:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise Malformed(f"invalid cursor {shown!r}: use the `next` of a previous page", field)
    return int(text)
