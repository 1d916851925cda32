"""Secret feed URLs: an Atom feed a feed reader or CMS importer can poll without a header.

Feed readers and CMS importers cannot send `Authorization: Bearer`, so a
subscriber may have one secret URL, `/v1/feeds/<secret>.atom`, that stands for
its key on that one feed. The secret is 256 random bits, shown once when it is
made and stored only as its SHA-256 (like API keys, `accounts/keys.py`); making a
new one (rotating) ends the old one at once, and revoking removes it. A URL of a
subscriber that is suspended, revoked or deleted stops working with its key. The
access log masks the secret (`monitoring/redaction.py`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from newswire.accounts.keys import hash_key
from newswire.models.clock import Clock
from newswire.models.errors import Invalid, NotFound
from newswire.models.principals import Principal, PrincipalStatus, Role
from newswire.storage.interfaces import FeedUrlStore, PrincipalStore

FEED_URL_PREFIX = "/v1/feeds/"
FEED_URL_SUFFIX = ".atom"
SECRET_PREFIX = "nwf_"
UNKNOWN_URL = "no feed at this URL: it was rotated, revoked or never made"


@dataclass(frozen=True)
class IssuedFeedUrl:
    """A feed URL just made: its secret (shown only now) and when it was made."""

    secret: str
    created_at: datetime

    @property
    def path(self) -> str:
        """Return the URL's path, secret included."""
        return f"{FEED_URL_PREFIX}{self.secret}{FEED_URL_SUFFIX}"


@dataclass(eq=False)
class FeedUrls:
    """Makes, rotates, revokes and resolves subscribers' secret feed URLs."""

    store: FeedUrlStore
    principals: PrincipalStore
    clock: Clock

    async def issue(self, principal: Principal) -> IssuedFeedUrl:
        """Make the subscriber a new feed URL; any earlier one stops working."""
        if principal.role is not Role.SUBSCRIBER:
            raise Invalid("only subscribers have a feed URL", "role")
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        created_at = self.clock()
        await self.store.replace(principal.id, hash_key(secret), created_at)
        return IssuedFeedUrl(secret, created_at)

    async def created_at(self, principal: Principal) -> datetime:
        """Return when the subscriber's feed URL was made (its secret is never shown again)."""
        created = await self.store.created_at(principal.id)
        if created is None:
            raise NotFound("you have no feed URL; POST /v1/account/feed-url makes one")
        return created

    async def revoke(self, principal: Principal) -> None:
        """Remove the subscriber's feed URL: it answers 404 from now on."""
        if not await self.store.remove(principal.id):
            raise NotFound("you have no feed URL to revoke")

    async def principal_for(self, secret: str) -> Principal:
        """Return the active subscriber a feed URL's secret belongs to, or raise NotFound."""
        owner = await self.store.owner(hash_key(secret)) if secret else None
        principal = await self.principals.by_id(owner) if owner else None
        if principal is None or principal.status is not PrincipalStatus.ACTIVE:
            raise NotFound(UNKNOWN_URL, "secret")
        return principal
