"""Secrets handed to a browser or a mailbox (session tokens, set-password links): made, hashed.

Each token is 256 random bits, shown once and stored only as its SHA-256
(the same stored form as API keys, `accounts/keys.py`): a copy of the
database opens no session and sets no password. A slow password hash would
only slow down every request; 256 random bits cannot be guessed.
"""

from __future__ import annotations

import secrets

from newswire.accounts.keys import hash_key


def new_token() -> str:
    """Return a fresh random token, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Return the stored form of a token."""
    return hash_key(token)


def new_id() -> str:
    """Return a fresh identifier for a person, key or principal."""
    return secrets.token_hex(8)
