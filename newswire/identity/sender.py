"""The mail sender job: takes due messages from the outbox and hands them to the SMTP server.

Each round leases a few due messages (so two senders never hold the same
one), opens one connection (aiosmtplib), and sends them one by one. A message
the server accepts is marked sent at once, before anything else can fail; a
connection that cannot be made, a timeout or a 4xx answer puts the message
back with the next delay of the retry schedule (the last delay repeats, for
as long as it takes: nothing is dropped); a 5xx refusal of the recipient or
the content marks it failed, with the server's answer. Each message carries a
Message-ID made from its outbox id, the same on every attempt, so in the one
case no outbox can rule out (a crash between the server's "250 OK" and the
mark) the receiving side sees a duplicate it can recognize.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from newswire.identity.mailer import SmtpConfig
from newswire.models.clock import Clock
from newswire.models.mail import QueuedMail
from newswire.storage.identity_interfaces import OutboxStore

log = logging.getLogger("newswire.identity.sender")

BATCH = 20  # messages per round and connection


def build_message(queued: QueuedMail, sender: str, clock: Clock) -> EmailMessage:
    """Return the RFC 5322 message of a queued mail: plain text, with an HTML part if given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = queued.mail.to
    message["Subject"] = queued.mail.subject
    message["Date"] = format_datetime(clock())
    domain = sender.rpartition("@")[2] or "newswire.invalid"
    # The same on every attempt: a duplicate after a crash is recognizable as one.
    message["Message-ID"] = f"<{queued.id}@{domain}>"
    message.set_content(queued.mail.text)
    if queued.mail.html:
        message.add_alternative(queued.mail.html, subtype="html")
    return message


def is_permanent(error: Exception) -> bool:
    """Tell whether the server refused a message for good (a 5xx for its recipient or content).

    A refused sender or login is the agency's configuration, not the
    message's fault: those are retried until someone fixes the settings.
    """
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return all(refusal.code >= 500 for refusal in error.recipients)
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return error.code >= 500
    return False


@dataclass(eq=False)
class MailSender:
    """Sends due messages from the outbox through one SMTP server, with retries."""

    outbox: OutboxStore
    smtp: SmtpConfig
    clock: Clock
    retry_schedule: tuple[float, ...]
    wake: asyncio.Event
    poll_seconds: float = 5.0
    worker: str = field(default_factory=lambda: f"mail-{secrets.token_hex(4)}")

    def _retry_delay(self, attempts: int) -> timedelta:
        schedule = self.retry_schedule or (60.0,)
        return timedelta(seconds=schedule[min(attempts, len(schedule) - 1)])

    async def send_due(self) -> int:
        """Send what is due now, once; return how many messages the server accepted."""
        now = self.clock()
        lease = timedelta(seconds=self.smtp.timeout * (BATCH + 2))
        due = await self.outbox.lease_due(self.worker, now, now + lease, BATCH)
        if not due:
            return 0
        client = aiosmtplib.SMTP(
            hostname=self.smtp.host,
            port=self.smtp.port,
            username=self.smtp.username or None,
            password=self.smtp.password or None,
            use_tls=self.smtp.tls == "tls",
            start_tls=True if self.smtp.tls == "starttls" else False,
            timeout=self.smtp.timeout,
        )
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as error:
            for queued in due:
                await self._retry(
                    queued, f"cannot reach {self.smtp.host}:{self.smtp.port}: {error}"
                )
            return 0
        sent = 0
        try:
            for index, queued in enumerate(due):
                try:
                    await client.send_message(build_message(queued, self.smtp.sender, self.clock))
                except aiosmtplib.SMTPServerDisconnected as error:
                    for rest in due[index:]:
                        await self._retry(rest, f"the server disconnected: {error}")
                    break
                except (aiosmtplib.SMTPException, OSError) as error:
                    if is_permanent(error):
                        await self.outbox.mark_failed(queued.id, self.worker, str(error))
                        log.warning("mail %s to %s refused: %s", queued.id, queued.mail.to, error)
                    else:
                        await self._retry(queued, str(error))
                    continue
                # Accepted: recorded before anything else (even QUIT) can fail.
                await self.outbox.mark_sent(queued.id, self.worker, self.clock())
                sent += 1
        finally:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await client.quit()
        return sent

    async def _retry(self, queued: QueuedMail, error: str) -> None:
        at = self.clock() + self._retry_delay(queued.attempts)
        await self.outbox.schedule_retry(queued.id, self.worker, at, error)
        log.info(
            "mail %s to %s not sent (%s); next try at %s", queued.id, queued.mail.to, error, at
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Send due mail until stop is set, woken by new mail or every `poll_seconds`."""
        while not stop.is_set():
            self.wake.clear()  # before sending: mail queued meanwhile sets it again
            try:
                while await self.send_due():
                    pass  # a full batch went: there may be more
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database is down: try again next round
                log.warning("mail round failed: %r", error)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    waiter = asyncio.ensure_future(self.wake.wait())
                    stopper = asyncio.ensure_future(stop.wait())
                    try:
                        await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        waiter.cancel()
                        stopper.cancel()
