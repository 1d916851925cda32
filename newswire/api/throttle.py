"""The HTTP face of rate limits and daily quotas: 429 answers and RateLimit headers.

Quotas are the domain's (`accounts/quotas.py`, `QuotaExhausted`); the API
answers their refusal with 429 and `Retry-After` (`errors.py`), and a stream
ends with `quota_body` as its last message.

Rate limits:
`admit` is called once per request by the auth dependency (`deps.get_principal`,
which every `/v1` endpoint uses) and once per WebSocket at connect; an SSE
stream counts one request when it opens. A refused request gets 429 with
`Retry-After`. Every answer to a rate-limited key carries

    RateLimit-Limit: 60          requests per minute for this key
    RateLimit-Remaining: 59      requests that may be made at once now
    RateLimit-Reset: 1           seconds until the full limit is available again

added by the `RateLimitHeaders` middleware from what `admit` decided.
"""

from __future__ import annotations

import math
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newswire.accounts.ratelimits import Decision
from newswire.api.errors import APIError
from newswire.delivery.envelopes import iso
from newswire.models.errors import QuotaExhausted
from newswire.models.principals import Principal
from newswire.runtime import Runtime

_STATE_KEY = "rate_limit"


def limit_headers(decision: Decision) -> dict[str, str]:
    """Return the RateLimit-* headers describing a decision."""
    return {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(math.ceil(decision.reset_seconds)),
    }


def admit(runtime: Runtime, principal: Principal, scope: Scope | None = None) -> Decision | None:
    """Count one request of a key; answer 429 with Retry-After when it is over its limit."""
    decision = runtime.limiter.check(principal)
    if decision is None:
        return None
    if scope is not None:
        scope.setdefault("state", {})[_STATE_KEY] = decision
    if not decision.allowed:
        retry = max(1, math.ceil(decision.retry_after))
        raise APIError(
            429,
            f"rate limit of {decision.limit} requests per minute exceeded; retry in {retry} s",
            headers={"Retry-After": str(retry), **limit_headers(decision)},
            retry_after=retry,
        )
    return decision


def quota_body(error: QuotaExhausted) -> dict[str, Any]:
    """Return the error body of an exhausted quota, for a stream's last message."""
    return {
        "status": 429,
        "message": error.message,
        "retry_after": error.retry_after,
        "resets_at": iso(error.resets_at),
    }


class RateLimitHeaders:
    """Add the RateLimit-* headers to every response whose request was counted."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})

        async def send_with_headers(message: Message) -> None:
            decision = state.get(_STATE_KEY)
            if message["type"] == "http.response.start" and decision is not None:
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in limit_headers(decision).items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
