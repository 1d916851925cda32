"""Idempotency keys: a retried write gives the original answer instead of filing twice.

IETF httpapi-idempotency-key-header semantics: a client sends `Idempotency-Key`
on POST /v1/stories and the revision endpoints; the same key with the same
request gives back the original answer, the same key with a different request
is refused (422). The key is written in the same transaction as the version
it filed (storage/stories.py), so a request that died after its commit
(node killed, connection lost) is answered from the record on retry: there is
no window in which a retry files a second story.

`filing_under` marks the request being handled (a context variable, set by the
API's idempotency middleware) so the one transaction that files its version
records the key; nothing between the handler and storage has to pass it on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class IdempotencyKey:
    """One client's key for one request: who sent it, the key, and a digest of the request."""

    scope: str  # a digest of the caller's credentials: keys of different callers never meet
    key: str
    fingerprint: str  # a digest of method, path, query, content type and body


@dataclass(frozen=True)
class Remembered:
    """What a key filed: the request's digest and the version and log event it produced."""

    fingerprint: str
    story_id: str
    version: int
    seq: int
    event_type: str


_pending: ContextVar[IdempotencyKey | None] = ContextVar("idempotency_key", default=None)


@contextmanager
def filing_under(key: IdempotencyKey | None) -> Iterator[None]:
    """Let the filing this request makes record `key` in its transaction."""
    token = _pending.set(key)
    try:
        yield
    finally:
        _pending.reset(token)


def take_pending() -> IdempotencyKey | None:
    """Return the key of the request being handled, once: the first filing records it."""
    key = _pending.get()
    if key is not None:
        _pending.set(None)
    return key
