"""Mail: messages waiting in the outbox, and what became of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MailStatus(StrEnum):
    """Where a message stands: waiting (maybe retrying), delivered to the server, or refused."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # the server refused it for good (a 5xx answer); kept with the reason


@dataclass(frozen=True)
class OutgoingMail:
    """A message to send once to one address.

    `key` says which message this is (a set-password link, an alert for one
    story): the outbox holds one message per address and key, so queueing the
    same message twice sends it once.
    """

    to: str
    subject: str
    text: str
    key: str
    html: str | None = None


@dataclass(frozen=True)
class QueuedMail:
    """A message in the outbox, with its delivery state."""

    id: str
    mail: OutgoingMail
    status: MailStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None
    last_error: str = ""
