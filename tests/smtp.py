"""A real SMTP server for the mail tests: aiosmtpd on a local port, recording what it accepts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from newswire.settings import Settings
from tests.people import cheap
from tests.processes import free_port


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every message it accepts and refuses some recipients."""

    refuse: set[str] = field(default_factory=set)  # addresses answered "550 no such user"
    messages: list[tuple[list[str], Message]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            self.messages.append(
                (
                    list(envelope.rcpt_tos),
                    message_from_bytes(envelope.content, policy=policy.default),
                )
            )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        """Return the messages delivered to an address."""
        with self._lock:
            return [message for rcpt, message in self.messages if address in rcpt]


class SmtpServer:
    """aiosmtpd on 127.0.0.1:port, started and stopped by the test (SMTP up, SMTP down)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.recorder = Recorder()
        self._controller: Controller | None = None

    def start(self) -> None:
        """Start accepting mail."""
        self._controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop accepting mail (the port refuses connections again)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A local SMTP server on a free port, not yet started (a test may start it late)."""
    server = SmtpServer(free_port())
    yield server
    server.stop()


def mailing_through(settings: Settings, smtp: SmtpServer, sender: str) -> Settings:
    """Return settings that send mail from `sender` through the local server, plainly."""
    return cheap(
        settings,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_tls="none",
        smtp_timeout=5.0,
        smtp_from=sender,
        base_url="https://wire.example",
    )
