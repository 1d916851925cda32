"""API keys: made once, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from newswire.models.principals import Principal, Role

ADMIN = Principal(id="admin", role=Role.ADMIN, name="admin")
_PREFIX = {Role.ADMIN: "nwa_", Role.EDITOR: "nwe_", Role.SUBSCRIBER: "nws_", Role.REPORTER: "nwr_"}


def new_key(role: Role) -> str:
    """Return a fresh random key whose prefix tells its role to a human reader."""
    return _PREFIX[role] + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """Return the stored form of a key.

    Keys are 256 random bits, so a plain SHA-256 cannot be brute-forced; a slow
    password hash would only slow down every request.
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def is_admin_token(presented: str, admin_token: str) -> bool:
    """Compare a presented key with the admin token in constant time."""
    return bool(admin_token) and hmac.compare_digest(presented.encode(), admin_token.encode())


def bearer_key(authorization: str | None) -> str | None:
    """Return the key of an `Authorization: Bearer <key>` header, or None."""
    if not authorization:
        return None
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()
