"""The webhook nouns: an endpoint with its delivery state, and one delivery attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EndpointStatus(StrEnum):
    """Whether an endpoint receives deliveries."""

    ACTIVE = "active"
    # The retry schedule ran out, or the receiver refused with a 4xx: paused,
    # nothing skipped, until the subscriber re-enables it.
    FAILING = "failing"
    # The receiver answered 410 Gone.
    DISABLED = "disabled"


@dataclass(frozen=True)
class WebhookEndpoint:
    """A subscriber's URL, its signing secrets, and where its delivery stands."""

    id: str
    principal_id: str
    url: str
    description: str
    secret: str
    previous_secret: str | None
    previous_secret_until: datetime | None
    status: EndpointStatus
    status_reason: str
    cursor: int  # the last event delivered (or not for this subscriber)
    attempt: int  # failed attempts at the event after the cursor
    next_attempt_at: datetime
    created_at: datetime

    def secrets_at(self, now: datetime) -> list[str]:
        """Return the secrets that sign a delivery at `now`: the current one, then the old one."""
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_until and self.previous_secret_until > now:
            secrets.append(self.previous_secret)
        return secrets


@dataclass(frozen=True)
class DeliveryAttempt:
    """One HTTP request to an endpoint and how it went."""

    endpoint_id: str
    seq: int
    event_type: str
    webhook_id: str
    attempt: int
    status_code: int | None
    latency_ms: int
    error: str
    created_at: datetime

    @property
    def succeeded(self) -> bool:
        """Tell whether the receiver answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300
