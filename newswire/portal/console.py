"""The developer console: a company's API keys, webhooks, secret feed URL and cursors, self-served.

Everything here is a call to the service the API itself uses for the same
thing (`identity.PersonalKeys`, `accounts.Accounts`, `delivery.FeedUrls`,
`delivery.webhooks.registry`, `accounts.Reports`), with the company's
principal, so the console and `/v1/account/...` can never disagree. Keys are
personal (each user's own, acting as the company); rotating the company's
own key is the company admin's. A secret (key, feed URL, webhook signing
secret) is shown once, when it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from newswire.accounts.reports import AccountReport, Reports
from newswire.accounts.service import Accounts, CreatedKey
from newswire.delivery.feed_urls import FeedUrls, IssuedFeedUrl
from newswire.delivery.webhooks.dispatcher import Dispatcher
from newswire.delivery.webhooks.registry import WebhookEndpoints, WithSecret
from newswire.identity.keys import CreatedPersonalKey, PersonalKeys
from newswire.models.errors import Forbidden, Invalid, NotFound
from newswire.models.people import Person, PersonalKey, PersonRole
from newswire.models.principals import Principal
from newswire.models.webhooks import DeliveryAttempt, WebhookEndpoint

ATTEMPTS_SHOWN = 20
MAX_LABEL = 100


@dataclass(frozen=True)
class ConsoleView:
    """The console page: the person's keys, the company's feed URL, webhooks and cursors."""

    keys: list[PersonalKey]
    account: AccountReport
    feed_url_made: object  # a datetime, or None when the company has no feed URL
    attempts: dict[str, list[DeliveryAttempt]]  # by endpoint id, newest first


@dataclass(eq=False)
class Console:
    """What a company's developers manage themselves."""

    personal_keys: PersonalKeys
    accounts: Accounts
    feed_urls: FeedUrls
    webhooks: WebhookEndpoints
    reports: Reports
    dispatcher: Callable[[httpx.AsyncClient], Dispatcher]
    timeout: float

    async def overview(self, person: Person, principal: Principal) -> ConsoleView:
        """Return the person's keys, and the company's feed URL, webhooks and cursors."""
        keys = [key for key in await self.personal_keys.of(person) if key.revoked_at is None]
        account = await self.reports.account(principal)
        try:
            made: object = await self.feed_urls.created_at(principal)
        except NotFound:
            made = None
        attempts = {
            endpoint.id: await self.webhooks.attempts(principal, endpoint.id, ATTEMPTS_SHOWN)
            for endpoint in account.webhooks
        }
        return ConsoleView(keys, account, made, attempts)

    async def create_key(self, person: Person, label: str) -> CreatedPersonalKey:
        """Make the person a key acting as the company (shown once)."""
        label = label.strip()
        if not label or len(label) > MAX_LABEL:
            raise Invalid(f"label the key (1 to {MAX_LABEL} characters)", "label")
        return await self.personal_keys.create(person, label)

    async def rotate_key(self, person: Person, key_id: str) -> CreatedPersonalKey:
        """Replace one of the person's keys with a new one of the same label."""
        mine = {key.id: key for key in await self.personal_keys.of(person)}
        if key_id not in mine or mine[key_id].revoked_at is not None:
            raise NotFound(f"no key {key_id} of yours", "key")
        made = await self.personal_keys.create(person, mine[key_id].label)
        await self.personal_keys.revoke(person, key_id)
        return made

    async def revoke_key(self, person: Person, key_id: str) -> None:
        """Revoke one of the person's keys: it answers 401 and its streams are cut."""
        await self.personal_keys.revoke(person, key_id)

    async def rotate_company_key(self, person: Person, principal: Principal) -> CreatedKey:
        """Give the company a new key of its own (company admins only); the old one stops."""
        if person.role is not PersonRole.COMPANY_ADMIN:
            raise Forbidden("only the company admin rotates the company's key", "actor")
        return await self.accounts.rotate_key(principal.id)

    async def issue_feed_url(self, principal: Principal) -> IssuedFeedUrl:
        """Make the company a new secret Atom feed URL; an earlier one stops working."""
        return await self.feed_urls.issue(principal)

    async def revoke_feed_url(self, principal: Principal) -> None:
        """Remove the company's feed URL."""
        await self.feed_urls.revoke(principal)

    async def register_webhook(
        self, principal: Principal, url: str, description: str
    ) -> WithSecret:
        """Register a webhook endpoint (checked against the SSRF guard); its secret shown once."""
        return await self.webhooks.register(principal, url.strip(), description.strip())

    async def test_webhook(self, principal: Principal, endpoint_id: str) -> DeliveryAttempt:
        """Send an endpoint a signed test event now; return the attempt (status, time)."""
        endpoint = await self.webhooks.owned(principal, endpoint_id)
        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
            return await self.dispatcher(client).test_send(endpoint)

    async def change_webhook(
        self, principal: Principal, endpoint_id: str, action: str, after: str = ""
    ) -> WebhookEndpoint | None:
        """Enable, disable, replay from a cursor, or delete (None) an endpoint."""
        if action == "enable":
            return await self.webhooks.enable(principal, endpoint_id)
        if action == "disable":
            return await self.webhooks.disable(principal, endpoint_id)
        if action == "replay":
            return await self.webhooks.replay(principal, endpoint_id, after)
        if action == "delete":
            await self.webhooks.delete(principal, endpoint_id)
            return None
        raise Invalid("choose enable, disable, replay or delete", "action")
