"""The storage roles of the identity system: people, credentials, sessions, throttling, mail.

Kept beside `interfaces.py` (which imports them into the `Storage` bundle) so
each file stays one screenful of concepts; the same rules apply: one concept
per interface, at most 15 methods, consumers typed by what they use.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from newswire.models.mail import MailStatus, OutgoingMail, QueuedMail
from newswire.models.people import (
    NewPerson,
    PasswordLink,
    PeopleQuery,
    Person,
    PersonalKey,
    PersonRole,
    SessionRecord,
    SignInRecord,
)
from newswire.models.principals import Principal


class PeopleStore(Protocol):
    """People who sign in and companies' seats; a status change carries its consequences."""

    async def create_person(
        self, person: NewPerson, link: PasswordLink, seat_limit: int | None
    ) -> Person:
        """Store an invited person and their first link; Conflict for a taken address or seat."""
        ...

    async def person(self, person_id: str) -> Person | None:
        """Return a person by id, whatever their status."""
        ...

    async def credentials(self, email: str) -> tuple[Person, str | None] | None:
        """Return the person not removed with this address, and their password hash."""
        ...

    async def people(self, query: PeopleQuery) -> list[Person]:
        """Return the people a query asks for, oldest first."""
        ...

    async def change_role(self, person_id: str, role: PersonRole, now: datetime) -> Person | None:
        """Give a person not removed another role (and a staff person's principal its role)."""
        ...

    async def disable(self, person_id: str, now: datetime) -> Person | None:
        """Disable an invited or active person and end their sessions."""
        ...

    async def enable(self, person_id: str, now: datetime) -> Person | None:
        """Enable a disabled person (active with a password, else invited)."""
        ...

    async def remove(self, person_id: str, now: datetime) -> bool:
        """Remove a person: sessions, links and keys go, the address is free again."""
        ...

    async def seats(self, company_id: str) -> tuple[int | None, int]:
        """Return a company's seat limit (None: never set) and its seats taken."""
        ...

    async def set_seat_limit(self, company_id: str, limit: int, now: datetime) -> None:
        """Set how many people a company may have."""
        ...

    async def set_language(self, person_id: str, language: str, now: datetime) -> None:
        """Change a person's interface language."""
        ...


class CredentialStore(Protocol):
    """Password hashes, one-time set-password links and personal keys."""

    async def add_password_link(self, link: PasswordLink) -> None:
        """Store a link by its token's hash; the person's earlier unused links stop working."""
        ...

    async def password_link(self, token_hash: str) -> PasswordLink | None:
        """Return a link by its token's hash, used or not."""
        ...

    async def use_password_link(
        self, token_hash: str, password_hash: str, now: datetime
    ) -> Person | None:
        """Spend an unused, unexpired link to set a password; end the person's sessions."""
        ...

    async def replace_password_hash(self, person_id: str, old_hash: str, new_hash: str) -> bool:
        """Store a rehashed password unless it changed meanwhile."""
        ...

    async def add_key(self, key: PersonalKey) -> None:
        """Store a personal key by its hash."""
        ...

    async def keys_of(self, person_id: str) -> list[PersonalKey]:
        """Return a person's unrevoked personal keys, oldest first."""
        ...

    async def revoke_key(self, person_id: str, key_id: str, now: datetime) -> PersonalKey | None:
        """Revoke one of a person's keys; None when there is no such unrevoked key."""
        ...


class SessionStore(Protocol):
    """Sessions of signed-in people and the sign-in history."""

    async def start_session(self, session: SessionRecord) -> None:
        """Store a new session and record the sign-in."""
        ...

    async def session(self, session_id: str) -> tuple[SessionRecord, Person, Principal] | None:
        """Return a session with its person and principal, whatever their state."""
        ...

    async def touch(self, session_id: str, now: datetime) -> None:
        """Note that a session was used now."""
        ...

    async def end_session(self, session_id: str) -> bool:
        """Delete one session; return whether it existed."""
        ...

    async def end_sessions_of(self, person_id: str) -> int:
        """Delete every session of a person; return how many."""
        ...

    async def sessions_of(self, person_id: str) -> list[SessionRecord]:
        """Return a person's sessions, newest first."""
        ...

    async def still_valid(
        self, session_ids: Iterable[str], idle_since: datetime, created_since: datetime
    ) -> set[str]:
        """Return which of these sessions still work (fresh, person active, principal usable)."""
        ...

    async def purge_sessions(self, idle_since: datetime, created_since: datetime) -> int:
        """Delete expired sessions; return how many."""
        ...

    async def sign_ins(self, person_ids: Iterable[str], limit: int) -> list[SignInRecord]:
        """Return the latest sign-ins of these people, newest first."""
        ...


class SignInFailureStore(Protocol):
    """Failed sign-ins per account and per client address, in windows."""

    async def failures(
        self, keys: Iterable[str], since: datetime
    ) -> dict[str, tuple[int, datetime]]:
        """Return the failures and window start of each key whose window started after `since`."""
        ...

    async def record_failure(self, keys: Iterable[str], now: datetime, since: datetime) -> None:
        """Count one failure per key, restarting windows that started at or before `since`."""
        ...

    async def clear(self, key: str) -> None:
        """Forget a key's failures."""
        ...

    async def purge_failures(self, before: datetime) -> int:
        """Delete windows that started before a time."""
        ...


class OutboxStore(Protocol):
    """The mail outbox: one message per address and key, leased by one sender at a time."""

    async def enqueue(self, mail: OutgoingMail, now: datetime) -> tuple[QueuedMail, bool]:
        """Queue a message once per address and key; return it and whether it is new."""
        ...

    async def lease_due(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> list[QueuedMail]:
        """Take the lease on up to `limit` due queued messages."""
        ...

    async def mark_sent(self, mail_id: str, worker: str, now: datetime) -> bool:
        """Record that the server accepted a message."""
        ...

    async def schedule_retry(self, mail_id: str, worker: str, at: datetime, error: str) -> bool:
        """Queue a message again until `at`, with the reason."""
        ...

    async def mark_failed(self, mail_id: str, worker: str, error: str) -> bool:
        """Record that the server refused a message for good."""
        ...

    async def messages(self, status: MailStatus | None, limit: int) -> list[QueuedMail]:
        """Return the newest messages, of one status or all."""
        ...

    async def next_due(self) -> datetime | None:
        """Return when the next queued message is due."""
        ...

    async def purge_mail(self, sent_before: datetime) -> int:
        """Delete messages sent or failed before a time."""
        ...
