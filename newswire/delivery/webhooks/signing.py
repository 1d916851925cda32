"""Standard Webhooks signatures: secrets, the webhook-id of an event, and the signed headers.

Signing is done by the `standardwebhooks` package itself, so what we send is
what every Standard Webhooks verifier (Svix's libraries included) accepts:
`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, with one
`v1,` signature per valid secret, separated by spaces, while a rotated-out
secret is still in its grace period.
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

from newswire import __version__

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """Return a fresh signing secret: whsec_ and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_id(seq: int) -> str:
    """Return the id of an event's delivery: the same for every attempt and replay of it."""
    return f"evt_{seq}"


def signed_headers(
    message_id: str, body: str, signing_secrets: list[str], now: datetime
) -> dict[str, str]:
    """Return the headers of a delivery: id, timestamp and a signature per secret."""
    timestamp = int(now.timestamp())
    at = datetime.fromtimestamp(timestamp, UTC)
    signatures = " ".join(Webhook(secret).sign(message_id, at, body) for secret in signing_secrets)
    return {
        "content-type": "application/json",
        "user-agent": f"newswire-webhooks/{__version__}",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signatures,
    }
