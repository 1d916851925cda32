"""`GET /v1/account`: who the caller is, what it receives, where it stands, what it used.

For a subscriber: its entitlements and format, the formats it may ask for,
its webhooks, the last cursor served on each channel, deliveries today and
this month per channel, its rate limit and its daily download quota.
Editors and the admin get who they are and their rate limit.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from fastapi import APIRouter

from newswire.accounts.ratelimits import Decision
from newswire.accounts.reports import AccountReport, UsageTotals
from newswire.api.deps import AUTH_ERRORS, ReaderDep, RuntimeDep
from newswire.delivery.envelopes import iso
from newswire.delivery.formats import FORMATS
from newswire.models.principals import Principal, Role
from newswire.models.usage import CURSOR_CHANNELS, Channel

router = APIRouter(prefix="/v1", tags=["account"], responses=AUTH_ERRORS)


def rate_limit_json(decision: Decision | None) -> dict[str, Any]:
    """Return a key's rate limit as it stands (all null when unlimited)."""
    if decision is None:
        return {"limit": None, "remaining": None, "reset": None, "window_seconds": 60}
    return {
        "limit": decision.limit,
        "remaining": decision.remaining,
        "reset": math.ceil(decision.reset_seconds),
        "window_seconds": 60,
    }


def _per_channel(counts: Counter[Channel]) -> dict[str, int]:
    body = {channel.value: counts[channel] for channel in Channel}
    body["total"] = sum(counts.values())
    return body


def _usage_json(totals: UsageTotals) -> dict[str, Any]:
    return {
        "day": totals.day,
        "month": totals.month,
        "today": _per_channel(totals.today),
        "this_month": _per_channel(totals.this_month),
    }


def _subscriber_json(principal: Principal, report: AccountReport) -> dict[str, Any]:
    quota, served = report.quota, report.cursors
    return {
        "entitlements": principal.entitlements.model_dump(),
        "format": principal.format,
        "formats": list(FORMATS),
        "webhooks": [
            {
                "id": endpoint.id,
                "url": endpoint.url,
                "status": endpoint.status.value,
                "cursor": str(endpoint.cursor),
            }
            for endpoint in report.webhooks
        ],
        "cursors": {
            channel.value: (
                {"cursor": str(served[channel].cursor), "served_at": iso(served[channel].served_at)}
                if channel in served
                else None
            )
            for channel in CURSOR_CHANNELS
        },
        "saved_searches": [
            {"id": saved.id, "name": saved.name, "feed": f"/v1/feed?search={saved.id}"}
            for saved in report.saved_searches
        ],
        "usage": _usage_json(report.usage),
        "daily_quota": {
            "limit": quota.limit,
            "used": quota.used,
            "remaining": quota.remaining,
            "resets_at": iso(quota.resets_at),
        },
    }


@router.get("/account")
async def show_account(runtime: RuntimeDep, principal: ReaderDep) -> dict[str, Any]:
    """Show your account: who you are, your limits and, for subscribers, usage and cursors.

    Subscribers also see their entitlements, format and the formats available,
    their webhooks and saved searches, the last cursor served on each channel (feed, sse,
    websocket, webhook) and when, deliveries today and this month per
    channel, and their daily download quota.
    """
    body: dict[str, Any] = {
        "id": principal.id,
        "role": principal.role.value,
        "name": principal.name,
        "status": principal.status.value,
        "rate_limit": rate_limit_json(runtime.limiter.peek(principal)),
    }
    if principal.role is Role.SUBSCRIBER:
        body.update(_subscriber_json(principal, await runtime.reports.account(principal)))
    return body
