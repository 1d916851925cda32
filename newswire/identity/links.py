"""One-time set-password links: made when an admin creates a person (or asks again), spent once.

A link carries a random token; only its hash is stored, with an expiry. It
is spent by setting a password (the page that shows the form only reads
it, so a mail scanner opening the link spends nothing), at most once: the
store marks it used in the same UPDATE that checks it is unused and
unexpired. Making a new link for a person voids their earlier unused ones.
Setting a password ends every session the person had.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newswire.identity.mailer import Mailer
from newswire.identity.messages import password_link_mail
from newswire.identity.passwords import Passwords
from newswire.identity.tokens import new_token, token_hash
from newswire.identity.watch import SessionWatcher
from newswire.models.clock import Clock
from newswire.models.errors import Invalid, NotFound
from newswire.models.people import Audience, PasswordLink, Person, PersonStatus
from newswire.storage.identity_interfaces import CredentialStore, PeopleStore

# Where each audience's set-password page answers (newswire/web/sign_in.py serves them).
SET_PASSWORD_PATHS = {
    Audience.STAFF: "/desk/set-password/",
    Audience.SUBSCRIBER: "/portal/set-password/",
}
LINK_REFUSED = "this link has expired or was already used; ask your administrator for a new one"


@dataclass(frozen=True)
class Invitation:
    """A person and their one-time set-password link (shown to whoever created it)."""

    person: Person
    link: str  # absolute URL
    expires_at: datetime
    mailed: bool  # queued in the outbox (an SMTP server is configured)


@dataclass(eq=False)
class PasswordLinks:
    """Makes, mails, checks and spends set-password links."""

    people: PeopleStore
    credentials: CredentialStore
    passwords: Passwords
    mailer: Mailer
    watch: SessionWatcher
    clock: Clock
    base_url: str
    lifetime: timedelta
    site_name: str

    def new_link(self, person_id: str) -> tuple[str, PasswordLink]:
        """Return a fresh token and the link record to store (by the token's hash)."""
        token = new_token()
        now = self.clock()
        return token, PasswordLink(token_hash(token), person_id, now, now + self.lifetime)

    def url(self, person: Person, token: str) -> str:
        """Return the absolute URL of a person's set-password page for a token."""
        return self.base_url.rstrip("/") + SET_PASSWORD_PATHS[person.audience] + token

    async def deliver(self, person: Person, token: str, link: PasswordLink) -> Invitation:
        """Mail a stored link to its person (when SMTP is configured); return the invitation."""
        url = self.url(person, token)
        mail = password_link_mail(
            person, url, link.expires_at, self.site_name, f"password-link:{link.token_hash}"
        )
        queued = await self.mailer.enqueue(mail)
        return Invitation(person, url, link.expires_at, mailed=queued is not None)

    async def issue(self, person: Person) -> Invitation:
        """Make, store and mail a new link for a person; their older unused links stop working."""
        if person.status not in (PersonStatus.INVITED, PersonStatus.ACTIVE):
            raise Invalid(f"{person.email} is {person.status.value}: enable them first", "id")
        token, link = self.new_link(person.id)
        await self.credentials.add_password_link(link)
        return await self.deliver(person, token, link)

    async def person_for(self, token: str) -> Person:
        """Return whose a usable link is (unused, unexpired, person not disabled), or NotFound."""
        link = await self.credentials.password_link(token_hash(token)) if token else None
        if link is None or link.used_at is not None or link.expires_at <= self.clock():
            raise NotFound(LINK_REFUSED, "token")
        person = await self.people.person(link.person_id)
        if person is None or person.status not in (PersonStatus.INVITED, PersonStatus.ACTIVE):
            raise NotFound(LINK_REFUSED, "token")
        return person

    async def set_password(self, token: str, password: str, repeated: str) -> Person:
        """Spend a link to set a person's password; their sessions end; they may sign in."""
        person = await self.person_for(token)
        self.passwords.check_rules(password, person.email)
        if password != repeated:
            raise Invalid("the two passwords differ", "repeat")
        hashed = await self.passwords.hash(password)
        updated = await self.credentials.use_password_link(token_hash(token), hashed, self.clock())
        if updated is None:  # spent or expired while the password was being hashed
            raise NotFound(LINK_REFUSED, "token")
        self.watch.cut_person(updated.id)
        return updated
