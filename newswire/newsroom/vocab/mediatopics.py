"""IPTC Media Topics: look up a subject code, its English name, and whether it is retired.

Codes are accepted as `medtop:20000002`, `20000002` or the full concept URI;
the canonical form stored on a story is `medtop:20000002`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

SCHEME_URI = "http://cv.iptc.org/newscodes/mediatopic/"
QCODE_PREFIX = "medtop:"


@dataclass(frozen=True)
class MediaTopic:
    """One Media Topic concept."""

    code: str
    name: str
    broader: str
    retired: bool

    @property
    def qcode(self) -> str:
        """Return the NewsML-G2 qcode, e.g. medtop:11000000."""
        return QCODE_PREFIX + self.code

    @property
    def uri(self) -> str:
        """Return the concept URI used by ninjs."""
        return SCHEME_URI + self.code


class UnknownSubject(ValueError):
    """Raised for a subject code that is not an active IPTC Media Topic."""


@cache
def _topics() -> dict[str, MediaTopic]:
    text = resources.files("newswire.newsroom.vocab").joinpath("mediatopics.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        row["code"]: MediaTopic(row["code"], row["name"], row["broader"], bool(row["retired"]))
        for row in rows
    }


def bare_code(code: str) -> str:
    """Strip the medtop: prefix or the scheme URI from a subject code."""
    code = code.strip()
    if code.startswith(SCHEME_URI):
        return code[len(SCHEME_URI) :]
    return code.removeprefix(QCODE_PREFIX)


def lookup(code: str) -> MediaTopic | None:
    """Return the Media Topic for a code in any accepted form, or None when unknown."""
    return _topics().get(bare_code(code))


def canonical_subject(code: str) -> str:
    """Return `medtop:NNNNNNNN` for an active topic; raise UnknownSubject otherwise."""
    topic = lookup(code)
    if topic is None:
        raise UnknownSubject(f"{code!r} is not an IPTC Media Topic code")
    if topic.retired:
        raise UnknownSubject(f"{code!r} ({topic.name}) is a retired IPTC Media Topic")
    return topic.qcode


def name_of(code: str) -> str:
    """Return the English name of a topic, or the code itself when unknown."""
    topic = lookup(code)
    return topic.name if topic else code


@cache
def _narrower() -> dict[str, tuple[str, ...]]:
    children: dict[str, list[str]] = {}
    for topic in _topics().values():
        if topic.broader:
            children.setdefault(topic.broader, []).append(topic.code)
    return {code: tuple(sorted(codes)) for code, codes in children.items()}


def with_narrower(code: str) -> set[str]:
    """Return the qcodes of a topic and of every topic under it, at any depth.

    A search for "politics" finds stories filed under "election" too. Retired
    narrower topics are included: older stories may still carry them.
    """
    topic = lookup(code)
    if topic is None:
        raise UnknownSubject(f"{code!r} is not an IPTC Media Topic code")
    found, pending = set(), [topic.code]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(_narrower().get(current, ()))
    return {QCODE_PREFIX + each for each in found}


def active_topics() -> list[MediaTopic]:
    """Return every topic that is not retired (what an editor may choose), in code order."""
    return [topic for topic in _topics().values() if not topic.retired]


def narrower_of(code: str) -> tuple[str, ...]:
    """Return the codes of the topics directly under one (retired ones included)."""
    return _narrower().get(bare_code(code), ())
