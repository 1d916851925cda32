"""What to do after a delivery attempt: done, retry after a delay, or pause the endpoint.

The rules, for the attempt that just failed (`attempts` counts it):

* 410 Gone disables the endpoint.
* Any other 4xx except 408 and 429 pauses it at once (marked failing): the
  receiver says the request itself is wrong, and retrying will not fix it.
  Nothing is skipped; after the subscriber re-enables it, the same event goes.
* Network errors, timeouts, 408, 429, 3xx (redirects are not followed) and 5xx
  are retried on the schedule: attempt k+1 waits `schedule[k]` seconds, or as
  long as `Retry-After` asks if that is longer (up to a day). When the
  schedule is used up, the endpoint is paused, marked failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from newswire.delivery.http_dates import parse_http_date
from newswire.models.webhooks import EndpointStatus

MAX_RETRY_AFTER_SECONDS = 86_400.0


class Action(StrEnum):
    """The next step for an endpoint after an attempt."""

    DONE = "done"
    RETRY = "retry"
    PAUSE = "pause"


@dataclass(frozen=True)
class Outcome:
    """How one attempt went: the HTTP status (None: no answer), an error text, Retry-After."""

    status_code: int | None
    error: str = ""
    retry_after: float | None = None
    refused: bool = False  # we would not send it (the URL is unsafe now)

    @property
    def succeeded(self) -> bool:
        """Tell whether the receiver answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def label(self) -> str:
        """Name the outcome for metrics: delivered, refused, no_answer or http_<class>xx."""
        if self.refused:
            return "refused"
        if self.status_code is None:
            return "no_answer"
        return "delivered" if self.succeeded else f"http_{self.status_code // 100}xx"


@dataclass(frozen=True)
class Step:
    """What to do next: the action, the delay before a retry, the status to pause with."""

    action: Action
    delay: float = 0.0
    status: EndpointStatus | None = None
    reason: str = ""


def next_step(outcome: Outcome, attempts: int, schedule: tuple[float, ...]) -> Step:
    """Decide what follows an attempt; `attempts` counts the attempts at this event so far."""
    code = outcome.status_code
    if outcome.succeeded:
        return Step(Action.DONE)
    if outcome.refused:
        return Step(Action.PAUSE, status=EndpointStatus.FAILING, reason=outcome.error)
    if code == 410:
        return Step(
            Action.PAUSE, status=EndpointStatus.DISABLED, reason="the receiver said 410 Gone"
        )
    if code is not None and 400 <= code < 500 and code not in (408, 429):
        reason = f"the receiver refused the delivery with HTTP {code}; fix it, then re-enable"
        return Step(Action.PAUSE, status=EndpointStatus.FAILING, reason=reason)
    if attempts >= len(schedule):
        reason = f"no success after {attempts} attempts (last: {outcome.error or code})"
        return Step(Action.PAUSE, status=EndpointStatus.FAILING, reason=reason)
    delay = schedule[attempts]
    if outcome.retry_after is not None:
        delay = max(delay, min(outcome.retry_after, MAX_RETRY_AFTER_SECONDS))
    return Step(Action.RETRY, delay=delay)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Return the seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = parse_http_date(value)
    if when is None:
        return None
    return max(0.0, (when - now).total_seconds())
