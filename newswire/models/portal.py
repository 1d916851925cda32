"""The portal's nouns: a person's alert on a topic, the notifications it made, what was taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AlertMode(StrEnum):
    """When a person hears of a story on a topic they follow."""

    IMMEDIATE = "immediate"  # one e-mail per story, as soon as it is filed
    DIGEST = "digest"  # one e-mail listing the stories, on the digest schedule


@dataclass(frozen=True)
class Alert:
    """A person's wish to hear of new stories on one of their company's topics."""

    id: str
    person_id: str
    principal_id: str
    topic_id: str  # a saved search of the company
    mode: AlertMode
    created_at: datetime


@dataclass(frozen=True)
class Notification:
    """A story a person heard of through an alert: in the portal's list, and by e-mail."""

    id: str
    person_id: str
    alert_id: str
    topic_id: str
    story_id: str
    version: int
    headline: str
    created_at: datetime
    digest_pending: bool = False  # waits for the person's next digest mail
    read_at: datetime | None = None


class ActivityKind(StrEnum):
    """What a company user did with a story in the portal."""

    VIEWED = "viewed"
    DOWNLOADED = "downloaded"


@dataclass(frozen=True)
class Activity:
    """One story a company user viewed or downloaded: who, what, when, in which format."""

    principal_id: str
    person_id: str
    person_name: str
    kind: ActivityKind
    story_id: str
    version: int
    headline: str
    format: str
    at: datetime
