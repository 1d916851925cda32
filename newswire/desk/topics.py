"""The editor's Media Topics picker: search the shipped IPTC vocabulary by name or code."""

from __future__ import annotations

from dataclasses import dataclass

from newswire.newsroom.vocab.mediatopics import active_topics, lookup, narrower_of
from newswire.search.folding import fold

MAX_NARROWER = 6


@dataclass(frozen=True)
class TopicChoice:
    """One topic as the picker offers it, with its broader topic and a few narrower ones."""

    qcode: str
    name: str
    broader_name: str
    narrower: tuple[TopicChoice, ...] = ()


def _choice(code: str, with_narrower: bool) -> TopicChoice | None:
    topic = lookup(code)
    if topic is None or topic.retired:
        return None
    broader = lookup(topic.broader) if topic.broader else None
    narrower: tuple[TopicChoice, ...] = ()
    if with_narrower:
        found = [_choice(child, False) for child in narrower_of(topic.code)]
        narrower = tuple(choice for choice in found if choice is not None)[:MAX_NARROWER]
    return TopicChoice(topic.qcode, topic.name, broader.name if broader else "", narrower)


def search_topics(query: str, limit: int = 12) -> list[TopicChoice]:
    """Return active topics whose name (or code) matches, names starting with it first."""
    wanted = fold(query.strip())
    if len(wanted) < 2:
        return []
    starts, contains = [], []
    for topic in active_topics():
        name = fold(topic.name)
        if name.startswith(wanted) or topic.code.startswith(wanted):
            starts.append(topic.code)
        elif wanted in name:
            contains.append(topic.code)
    choices = [_choice(code, True) for code in (starts + contains)[:limit]]
    return [choice for choice in choices if choice is not None]


def topic_name(code: str) -> str:
    """Return a chosen topic's name, or its code when unknown."""
    topic = lookup(code)
    return topic.name if topic else code
