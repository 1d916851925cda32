"""Webhook endpoints as subscribers manage them: register, list, rotate, replay, pause, delete.

An endpoint belongs to one subscriber: any other gets "not found". A URL is
checked against the SSRF guard when it is registered (and again at every
send, `endpoints.py`). New endpoints start delivering with the next event;
the signing secret is shown once, when it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from newswire.delivery.cursors import parse_cursor
from newswire.delivery.webhooks.endpoints import UnsafeURL, check_url
from newswire.delivery.webhooks.signing import new_secret
from newswire.models.clock import Clock
from newswire.models.errors import Invalid, NotFound
from newswire.models.principals import Principal
from newswire.models.webhooks import DeliveryAttempt, WebhookEndpoint
from newswire.storage.interfaces import LogStore, WebhookStore


@dataclass(frozen=True)
class WithSecret:
    """An endpoint together with a signing secret, shown only this once."""

    endpoint: WebhookEndpoint
    secret: str


@dataclass(eq=False)
class WebhookEndpoints:
    """A subscriber's webhook endpoints and their delivery attempts."""

    store: WebhookStore  # its endpoints, and pausing one whoever holds its lease
    log: LogStore
    clock: Clock
    allow_private: bool = False
    secret_grace: timedelta = timedelta(days=1)

    async def register(self, principal: Principal, url: str, description: str) -> WithSecret:
        """Register a URL that receives every event from the next one on."""
        try:
            await check_url(url, self.allow_private)
        except UnsafeURL as error:
            raise Invalid(str(error), "url") from error
        secret = new_secret()
        endpoint = await self.store.create_endpoint(
            principal.id, url, description, secret, await self.log.last_seq()
        )
        return WithSecret(endpoint, secret)

    async def of(self, principal: Principal) -> list[WebhookEndpoint]:
        """Return the caller's endpoints, oldest first."""
        return await self.store.endpoints_of(principal.id)

    async def owned(self, principal: Principal, endpoint_id: str) -> WebhookEndpoint:
        """Return one of the caller's endpoints; NotFound otherwise."""
        endpoint = await self.store.endpoint(endpoint_id)
        if endpoint is None or endpoint.principal_id != principal.id:
            raise NotFound(f"no webhook endpoint {endpoint_id}", "id")
        return endpoint

    async def delete(self, principal: Principal, endpoint_id: str) -> None:
        """Stop delivering to an endpoint and forget it and its attempts."""
        await self.owned(principal, endpoint_id)
        await self.store.delete_endpoint(endpoint_id)

    async def enable(self, principal: Principal, endpoint_id: str) -> WebhookEndpoint:
        """Resume a failing or disabled endpoint from where it stopped (nothing is skipped)."""
        return await self._restart(principal, endpoint_id, None)

    async def disable(self, principal: Principal, endpoint_id: str) -> WebhookEndpoint:
        """Pause deliveries to an endpoint until it is enabled again (nothing is skipped)."""
        await self.owned(principal, endpoint_id)
        await self.store.disable_endpoint(endpoint_id, "disabled by the subscriber")
        return await self.owned(principal, endpoint_id)

    async def replay(self, principal: Principal, endpoint_id: str, after: str) -> WebhookEndpoint:
        """Re-send every event after a cursor, in order (and resume a paused endpoint)."""
        return await self._restart(principal, endpoint_id, parse_cursor(after))

    async def _restart(
        self, principal: Principal, endpoint_id: str, cursor: int | None
    ) -> WebhookEndpoint:
        await self.owned(principal, endpoint_id)
        endpoint = await self.store.restart_endpoint(endpoint_id, cursor)
        if endpoint is None:
            raise NotFound(f"no webhook endpoint {endpoint_id}", "id")  # deleted meanwhile
        return endpoint

    async def rotate_secret(self, principal: Principal, endpoint_id: str) -> WithSecret:
        """Issue a new signing secret; the old one also signs during the grace period."""
        await self.owned(principal, endpoint_id)
        secret = new_secret()
        endpoint = await self.store.rotate_secret(
            endpoint_id, secret, self.clock() + self.secret_grace
        )
        if endpoint is None:
            raise NotFound(f"no webhook endpoint {endpoint_id}", "id")
        return WithSecret(endpoint, secret)

    async def attempts(
        self, principal: Principal, endpoint_id: str, limit: int
    ) -> list[DeliveryAttempt]:
        """Return an endpoint's latest delivery attempts, newest first."""
        await self.owned(principal, endpoint_id)
        return await self.store.attempts(endpoint_id, limit)
