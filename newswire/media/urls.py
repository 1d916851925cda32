"""Signed, expiring rendition URLs: what a subscriber's CMS fetches without headers.

The signature is an HMAC-SHA256 over the media id, version, rendition name,
the subscriber and the expiry time, with a secret every node shares
(`NEWSWIRE_MEDIA_SIGNING_KEY`). A URL names its subscriber so that a
signature stops working when that subscriber's access does (revoked,
suspended, entitlements changed): the signature proves who was given it,
and entitlement is decided again on every request.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from newswire.models.errors import NotFound


@dataclass(frozen=True)
class SignedRendition:
    """What a valid signed URL grants: one rendition of one version, to one subscriber."""

    media_id: str
    version: int
    name: str
    principal_id: str


@dataclass(frozen=True)
class RenditionUrls:
    """Signs and checks rendition URLs with one secret."""

    secret: bytes
    lifetime: timedelta

    def _signature(self, grant: SignedRendition, expires: int) -> str:
        fields = (grant.media_id, grant.version, grant.name, grant.principal_id, expires)
        message = "\n".join(str(field) for field in fields)
        return hmac.new(self.secret, message.encode(), hashlib.sha256).hexdigest()

    def query(self, grant: SignedRendition, now: datetime) -> str:
        """Return the query string that makes a rendition's path a signed URL."""
        expires = int((now + self.lifetime).timestamp())
        signature = self._signature(grant, expires)
        return f"sub={grant.principal_id}&expires={expires}&sig={signature}"

    def check(self, grant: SignedRendition, expires: int, signature: str, now: datetime) -> None:
        """Raise NotFound unless the signature is this grant's and has not expired.

        NotFound rather than Forbidden, as for anything a caller may not see.
        """
        expected = self._signature(grant, expires)
        if not hmac.compare_digest(expected, signature) or expires < now.timestamp():
            raise NotFound("no such rendition, or the link has expired", "sig")
