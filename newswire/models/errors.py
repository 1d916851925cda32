"""What the domain refuses, and why: errors that name the input at fault, whatever the channel.

Domain operations raise these; each way in turns them into its own answer
(the API into `{"error": {status, message, field}}`, the desk and portal
into a message beside the field). None of them knows about HTTP: the status
an API gives each kind is decided in `api/errors.py`.
"""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """A request the domain refuses: a message for people, and the field at fault if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """There is no such thing, or the caller may not know that there is (never "forbidden")."""


class Conflict(DomainError):
    """The request contradicts the current state (killed, already revoked, too many)."""


class Invalid(DomainError):
    """A value is well-formed but not acceptable (an unsafe URL, a date range backwards)."""


class Malformed(DomainError):
    """A value cannot be read at all (a cursor that is not one, a query that does not parse)."""


class Unsupported(DomainError):
    """A kind of input this system does not take (a content type, a file type)."""


class TooLarge(DomainError):
    """An input over a size limit (an upload's bytes, a picture's pixels)."""


class Unauthorized(DomainError):
    """The caller's credentials do not work (any more): unknown, revoked, suspended, expired."""


class Forbidden(DomainError):
    """The caller is known but may not do this (a member managing users, a reporter publishing)."""


class TooManyAttempts(DomainError):
    """Too many failed attempts (signing in); try again in `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field)
        self.retry_after = max(1, retry_after)


class QuotaExhausted(DomainError):
    """The subscriber's daily download quota is used up until `resets_at`."""

    def __init__(self, limit: int | None, resets_at: datetime, now: datetime) -> None:
        self.limit = limit
        self.resets_at = resets_at
        self.retry_after = max(1, int((resets_at - now).total_seconds() + 0.999))
        super().__init__(
            f"daily download quota of {limit} story versions used up; it resets at "
            f"{resets_at.isoformat().replace('+00:00', 'Z')} (00:00 UTC), in {self.retry_after} s"
        )
