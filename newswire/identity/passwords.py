"""Passwords: hashed with argon2id (argon2-cffi) in a thread, rehashed when parameters change.

The hash parameters come from the settings (time cost, memory, lanes);
argon2-cffi writes them into each hash, so a hash made with older parameters
still verifies and `needs_rehash` tells the sign-in to store a new one. For
an unknown address the typed password is hashed instead (verifying is
hashing with the stored hash's parameters, then comparing), so a wrong
password and an unknown address take the same time.
Hashing runs in a worker thread: at 64 MiB and three passes it takes tens of
milliseconds, which must not stall the event loop serving everyone else.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from newswire.models.errors import Invalid

# Longer inputs are refused before hashing: nobody types them, and they cost time.
MAX_PASSWORD_LENGTH = 1024


@dataclass(frozen=True)
class HashParameters:
    """argon2id's costs: passes, memory in KiB, lanes (RFC 9106's second choice by default)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4


class Passwords:
    """Hashes and checks passwords with argon2id; enforces the length rules."""

    def __init__(self, parameters: HashParameters, min_length: int = 10) -> None:
        self.parameters = parameters
        self.min_length = min_length
        self._hasher = PasswordHasher(
            time_cost=parameters.time_cost,
            memory_cost=parameters.memory_kib,
            parallelism=parameters.parallelism,
            type=Type.ID,
        )

    def check_rules(self, password: str, email: str = "", field: str = "password") -> None:
        """Raise Invalid, naming the field, for a password too short, too long or the address."""
        if len(password) < self.min_length:
            raise Invalid(f"a password has at least {self.min_length} characters", field)
        if len(password) > MAX_PASSWORD_LENGTH:
            raise Invalid(f"a password has at most {MAX_PASSWORD_LENGTH} characters", field)
        if email and password.strip().lower() == email.lower():
            raise Invalid("a password must not be your email address", field)

    async def hash(self, password: str) -> str:
        """Return the argon2id hash of a password (in a worker thread)."""
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored: str | None, password: str) -> bool:
        """Tell whether a password matches a stored hash; with no hash, spend the same time."""
        if len(password) > MAX_PASSWORD_LENGTH:
            return False
        if stored is None:
            await self.hash(password)  # the same work as a verification, for the same time
            return False
        return await asyncio.to_thread(self._matches, stored, password)

    def needs_rehash(self, stored: str) -> bool:
        """Tell whether a hash was made with other parameters than today's."""
        try:
            return self._hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True

    def _matches(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
