"""Signing in and out: email and password to a server-side session, and back.

`sign_in` answers a wrong password, an unknown address, an account not yet
active and a company whose access is suspended with one message, after the
same work (one argon2 computation), so the answer tells nothing about which
addresses have accounts. Failures are throttled per account and per client
network first (`throttle.py`). A session is a random token in an HttpOnly
cookie, stored as its hash with a CSRF token of its own; it ends after
`SessionPolicy.idle` without use or `absolute` after sign-in, when the
person signs out (here or everywhere), or when the person or their company
loses access (`people.py`, `Accounts.suspend`), and its live pages are cut
(`watch.py`).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from newswire.identity.emails import normalize_email
from newswire.identity.passwords import MAX_PASSWORD_LENGTH, Passwords
from newswire.identity.policy import SessionPolicy
from newswire.identity.throttle import SignInThrottle
from newswire.identity.tokens import new_token, token_hash
from newswire.identity.watch import SessionWatcher
from newswire.models.clock import Clock
from newswire.models.errors import Invalid, Unauthorized
from newswire.models.people import (
    Audience,
    Person,
    PersonStatus,
    SessionRecord,
    SignInRecord,
)
from newswire.models.principals import Principal, PrincipalStatus
from newswire.storage.identity_interfaces import CredentialStore, PeopleStore, SessionStore
from newswire.storage.interfaces import PrincipalStore

log = logging.getLogger("newswire.identity.signin")

WRONG_CREDENTIALS = "wrong email or password"
MAX_USER_AGENT = 300


@dataclass(frozen=True)
class SignedIn:
    """A request's signed-in person: their session, who they are, the principal they act as."""

    session: SessionRecord
    person: Person
    principal: Principal  # the staff person's own, or the company's: the API's one decision
    expires_at: datetime

    @property
    def csrf_token(self) -> str:
        """The token every state-changing request of this session must carry."""
        return self.session.csrf_token


@dataclass(frozen=True)
class NewSession:
    """A session just started: the token for the cookie (shown once) and who signed in."""

    token: str
    signed_in: SignedIn


@dataclass(eq=False)
class SignIn:
    """Authenticates people, keeps their sessions, and ends them."""

    people: PeopleStore
    credentials: CredentialStore
    sessions: SessionStore
    principals: PrincipalStore
    passwords: Passwords
    throttle: SignInThrottle
    watch: SessionWatcher
    clock: Clock
    policy: SessionPolicy

    async def sign_in(
        self, audience: Audience, email: str, password: str, address: str, user_agent: str = ""
    ) -> NewSession:
        """Start a session for the right email and password of an active person of an audience.

        Raises Invalid (naming the field) for an empty or malformed field,
        TooManyAttempts when throttled, and Unauthorized with one message for
        every other refusal.
        """
        address_typed = normalize_email(email)
        if not password:
            raise Invalid("enter your password", "password")
        keys = self.throttle.keys(address_typed, address)
        await self.throttle.check(keys)
        found = await self.people.credentials(address_typed)
        person, stored = found if found is not None else (None, None)
        usable = (
            person is not None
            and person.status is PersonStatus.ACTIVE
            and person.audience is audience
            and stored is not None
        )
        # Always one argon2 computation: the unknown and the wrong take the same time.
        matches = await self.passwords.verify(stored if usable else None, password)
        principal = None
        if matches and person is not None:
            principal = await self.principals.by_id(person.principal_id)
        if (
            person is None
            or stored is None
            or principal is None
            or (principal.status is not PrincipalStatus.ACTIVE)
        ):
            await self.throttle.failed(keys)
            raise Unauthorized(WRONG_CREDENTIALS, "email")
        await self.throttle.succeeded(keys)
        if self.passwords.needs_rehash(stored):
            await self._rehash(person.id, stored, password)
        return await self._start(person, principal, address, user_agent)

    async def _rehash(self, person_id: str, stored: str, password: str) -> None:
        # The hash parameters changed since this password was set: store today's.
        if len(password) <= MAX_PASSWORD_LENGTH:
            rehashed = await self.passwords.hash(password)
            await self.credentials.replace_password_hash(person_id, stored, rehashed)

    async def _start(
        self, person: Person, principal: Principal, address: str, user_agent: str
    ) -> NewSession:
        token = new_token()
        now = self.clock()
        record = SessionRecord(
            id=token_hash(token),
            person_id=person.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            address=address,
            user_agent=user_agent[:MAX_USER_AGENT],
        )
        await self.sessions.start_session(record)
        signed = replace(person, last_signed_in_at=now)
        return NewSession(
            token, SignedIn(record, signed, principal, self.policy.expires_at(record))
        )

    async def session(self, audience: Audience, token: str | None) -> SignedIn | None:
        """Return who a session token signs in for an audience, or None when it does not.

        Expired sessions, and those of people or companies that lost access,
        are deleted on sight. A used session's idle expiry starts again.
        """
        if not token or len(token) > 100:
            return None
        found = await self.sessions.session(token_hash(token))
        if found is None:
            return None
        record, person, principal = found
        now = self.clock()
        if (
            self.policy.is_expired(record, now)
            or person.status is not PersonStatus.ACTIVE
            or principal.status is not PrincipalStatus.ACTIVE
        ):
            await self.sessions.end_session(record.id)
            return None
        if person.audience is not audience:
            return None
        if now - record.last_seen_at >= self.policy.touch_every:
            await self.sessions.touch(record.id, now)
            record = replace(record, last_seen_at=now)
        return SignedIn(record, person, principal, self.policy.expires_at(record))

    async def sign_out(self, signed_in: SignedIn) -> None:
        """End one session (this browser) and its live pages."""
        await self.sessions.end_session(signed_in.session.id)
        self.watch.cut_session(signed_in.session.id)

    async def sign_out_everywhere(self, person_id: str) -> int:
        """End every session of a person, on every device; return how many there were."""
        ended = await self.sessions.end_sessions_of(person_id)
        self.watch.cut_person(person_id)
        return ended

    async def sessions_of(self, person_id: str) -> list[SessionRecord]:
        """Return a person's sessions that have not expired, newest first."""
        now = self.clock()
        return [
            session
            for session in await self.sessions.sessions_of(person_id)
            if not self.policy.is_expired(session, now)
        ]

    async def sign_ins(self, people: list[Person], limit: int = 100) -> list[SignInRecord]:
        """Return the latest sign-ins of these people (a company's, say), newest first."""
        return await self.sessions.sign_ins([person.id for person in people], limit)

    def watch_page(self, signed_in: SignedIn) -> asyncio.Event:
        """Register a live page (SSE) of a session; the event is set when the session ends."""
        return self.watch.watch(signed_in.session.id, signed_in.person.id)

    def unwatch_page(self, signed_in: SignedIn, ended: asyncio.Event) -> None:
        """Forget a live page that closed."""
        self.watch.unwatch(signed_in.session.id, ended)
