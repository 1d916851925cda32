"""The outbox's front door: queue a message once per address and key, wake the sender.

Every mail newswire sends (set-password links now, the portal's topic alerts
next) is queued here and leaves through one sender job (`sender.py`), which
retries while the SMTP server is down: a message is never lost, and because
the outbox holds one message per address and idempotency key, queueing it
twice (a retried request, a second node, an alert for a story seen twice)
sends it once. When no SMTP server is configured, nothing is queued and
`enqueue` says so: the caller shows the link instead.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from newswire.identity.emails import normalize_email
from newswire.models.clock import Clock
from newswire.models.errors import Invalid
from newswire.models.mail import MailStatus, OutgoingMail, QueuedMail
from newswire.storage.identity_interfaces import OutboxStore

MAX_SUBJECT_LENGTH = 300


@dataclass(frozen=True)
class SmtpConfig:
    """Where mail goes: the server, how to log in and secure the connection, the From address."""

    host: str = ""  # empty: no server, no mail
    port: int = 587
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = "newswire@localhost"
    tls: str = "starttls"  # starttls (required), tls (implicit, port 465), none
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        """Tell whether a server is set, so mail can go."""
        return bool(self.host)


@dataclass(eq=False)
class Mailer:
    """Queues messages in the outbox and wakes this node's sender."""

    outbox: OutboxStore
    clock: Clock
    enabled: bool
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    async def enqueue(self, mail: OutgoingMail) -> QueuedMail | None:
        """Queue a message (once per address and key); None when no SMTP server is configured."""
        if not self.enabled:
            return None
        if not mail.key.strip():
            raise Invalid("a message needs an idempotency key", "key")
        if not mail.subject.strip() or len(mail.subject) > MAX_SUBJECT_LENGTH:
            raise Invalid(f"a subject has 1 to {MAX_SUBJECT_LENGTH} characters", "subject")
        if "\n" in mail.subject or "\r" in mail.subject:
            raise Invalid("a subject is one line", "subject")
        address = normalize_email(mail.to, "to")
        queued, _new = await self.outbox.enqueue(
            OutgoingMail(address, mail.subject, mail.text, mail.key, mail.html), self.clock()
        )
        if queued.status is MailStatus.QUEUED:
            self.wake.set()
        return queued

    async def messages(
        self, status: MailStatus | None = None, limit: int = 100
    ) -> list[QueuedMail]:
        """Return the newest messages in the outbox (for operators and tests)."""
        return await self.outbox.messages(status, limit)
