"""The people service: creating, listing and changing who may sign in, with the consequences.

Who may do what: the operator (the CLI, the demo: `actor=None`) and the
agency's admins manage everyone; a company admin manages the users of their
own company and cannot see anyone else's (a person of another company is
"not found"); nobody else manages people, and nobody disables, removes or
changes the role of themselves. A company's users stay within the seat limit
the agency sets. Disabling or removing a person ends their sessions and
their open pages at once and stops their personal keys (streams included);
so does suspending their company (`Accounts.suspend`, through the store).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from newswire.accounts.access import AccessWatcher
from newswire.identity.emails import normalize_email
from newswire.identity.links import Invitation, PasswordLinks
from newswire.identity.tokens import new_id
from newswire.identity.watch import SessionWatcher
from newswire.models.clock import Clock
from newswire.models.errors import Conflict, Forbidden, Invalid, NotFound
from newswire.models.people import (
    COMPANY_ROLES,
    STAFF_ROLES,
    Audience,
    NewPerson,
    PeopleQuery,
    Person,
    PersonRole,
    PersonStatus,
    Seats,
)
from newswire.models.principals import PrincipalStatus, Role
from newswire.storage.identity_interfaces import CredentialStore, PeopleStore
from newswire.storage.interfaces import PrincipalStore

MAX_NAME_LENGTH = 200
MAX_SEAT_LIMIT = 100_000


def check_name(name: str) -> str:
    """Return a display name stripped; raise Invalid for an empty, long or control-laden one."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("enter a name", "name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise Invalid(f"a name has at most {MAX_NAME_LENGTH} characters", "name")
    if any(unicodedata.category(char).startswith("C") for char in cleaned):
        raise Invalid("a name cannot contain control characters", "name")
    return cleaned


def parse_role(text: str, audience: Audience | None = None) -> PersonRole:
    """Return the role a text names (of an audience if given); raise Invalid listing the choices."""
    choices: tuple[PersonRole, ...]
    if audience is None:
        choices = STAFF_ROLES + COMPANY_ROLES
    else:
        choices = STAFF_ROLES if audience is Audience.STAFF else COMPANY_ROLES
    for role in choices:
        if text.strip().lower() == role.value:
            return role
    raise Invalid(f"unknown role {text!r}; one of: {', '.join(r.value for r in choices)}", "role")


@dataclass(eq=False)
class People:
    """Creates, lists and changes people; checks the actor may; cuts what must be cut."""

    people: PeopleStore
    credentials: CredentialStore
    principals: PrincipalStore
    links: PasswordLinks
    watch: SessionWatcher
    access: AccessWatcher
    clock: Clock
    languages: tuple[str, ...]
    default_seat_limit: int

    async def create_staff(
        self,
        email: str,
        name: str,
        role: PersonRole,
        language: str = "en",
        actor: Person | None = None,
    ) -> Invitation:
        """Create an agency staff member with a role; return their one-time set-password link."""
        self._may_create(actor, role, Audience.STAFF, None)
        return await self._create(email, name, role, language, new_id(), None)

    async def create_company_user(
        self,
        company_id: str,
        email: str,
        name: str,
        role: PersonRole = PersonRole.MEMBER,
        language: str = "en",
        actor: Person | None = None,
    ) -> Invitation:
        """Create a user of a subscriber company within its seats; return their link."""
        self._may_create(actor, role, Audience.SUBSCRIBER, company_id)
        await self._company(company_id)
        seats = await self.seats(company_id)
        return await self._create(email, name, role, language, company_id, seats.limit)

    async def _create(
        self,
        email: str,
        name: str,
        role: PersonRole,
        language: str,
        principal_id: str,
        seat_limit: int | None,
    ) -> Invitation:
        address = normalize_email(email)
        person = NewPerson(
            id=new_id(),
            email=address,
            name=check_name(name),
            language=self._language(language),
            role=role,
            principal_id=principal_id,
            created_at=self.clock(),
        )
        token, link = self.links.new_link(person.id)
        created = await self.people.create_person(person, link, seat_limit)
        return await self.links.deliver(created, token, link)

    def _language(self, language: str) -> str:
        tag = language.strip().lower()
        if tag not in self.languages:
            choices = ", ".join(self.languages)
            raise Invalid(f"unknown language {language!r}; one of: {choices}", "language")
        return tag

    def _may_create(
        self, actor: Person | None, role: PersonRole, audience: Audience, company_id: str | None
    ) -> None:
        """Refuse a role of another audience (staff or company), then an actor who may not."""
        if role.audience is not audience:
            kind = "staff" if audience is Audience.STAFF else "company"
            raise Invalid(f"{role.value} is not a {kind} role", "role")
        self._may_manage(actor, audience, company_id)

    def _may_manage(self, actor: Person | None, audience: Audience, company_id: str | None) -> None:
        if actor is None or (actor.role is PersonRole.ADMIN and actor.is_active):
            return
        if (
            actor.role is PersonRole.COMPANY_ADMIN
            and actor.is_active
            and audience is Audience.SUBSCRIBER
            and company_id == actor.company_id
        ):
            return
        raise Forbidden("only an administrator may manage these people", "actor")

    async def _company(self, company_id: str) -> None:
        company = await self.principals.by_id(company_id)
        if (
            company is None
            or company.role is not Role.SUBSCRIBER
            or company.status in (PrincipalStatus.DELETED, PrincipalStatus.REVOKED)
        ):
            raise NotFound(f"no subscriber company {company_id}", "company")

    async def person(self, person_id: str, actor: Person | None = None) -> Person:
        """Return a person the actor may see, or raise NotFound."""
        found = await self.people.person(person_id)
        if found is None or (
            actor is not None
            and actor.role is PersonRole.COMPANY_ADMIN
            and found.company_id != actor.company_id
        ):
            raise NotFound(f"no person {person_id}", "id")
        return found

    async def by_email(self, email: str, actor: Person | None = None) -> Person:
        """Return the person (not removed) with an address, or raise NotFound."""
        found = await self.people.credentials(normalize_email(email))
        if found is None:
            raise NotFound(f"nobody has the address {email}", "email")
        return await self.person(found[0].id, actor)

    async def _target(self, person_id: str, actor: Person | None) -> Person:
        target = await self.person(person_id, actor)
        self._may_manage(actor, target.audience, target.company_id)
        if target.status is PersonStatus.REMOVED:
            raise NotFound(f"no person {person_id}", "id")
        return target

    def _not_self(self, target: Person, actor: Person | None, what: str) -> None:
        if actor is not None and actor.id == target.id:
            raise Conflict(f"you cannot {what} your own account", "id")

    async def find(self, query: PeopleQuery, actor: Person | None = None) -> list[Person]:
        """Return the people a query asks for; a company admin gets only their company's."""
        if actor is not None and actor.role is PersonRole.COMPANY_ADMIN:
            query = PeopleQuery(Audience.SUBSCRIBER, actor.company_id, query.statuses)
        elif actor is not None:
            self._may_manage(actor, Audience.STAFF, None)
        return await self.people.people(query)

    async def change_role(
        self, person_id: str, role: PersonRole, actor: Person | None = None
    ) -> Person:
        """Give a person another role of their audience; a staff person's keys follow it."""
        target = await self._target(person_id, actor)
        self._not_self(target, actor, "change the role of")
        if role.audience is not target.audience:
            raise Invalid(f"{role.value} is not a role for {target.audience.value} people", "role")
        changed = await self.people.change_role(person_id, role, self.clock())
        if changed is None:
            raise NotFound(f"no person {person_id}", "id")
        if target.audience is Audience.STAFF:
            # Streams opened with the person's keys reconnect with the new role.
            self.access.cut(target.principal_id)
        return changed

    async def disable(self, person_id: str, actor: Person | None = None) -> Person:
        """Disable a person: their sessions and open pages end, their keys stop, at once."""
        target, key_hashes = await self._to_cut(person_id, actor, "disable")
        disabled = await self.people.disable(person_id, self.clock())
        if disabled is None:
            if target.status is PersonStatus.DISABLED:
                return target  # already: nothing changes
            raise NotFound(f"no person {person_id}", "id")
        self._cut(target, key_hashes)
        return disabled

    async def enable(self, person_id: str, actor: Person | None = None) -> Person:
        """Enable a disabled person again (their keys work again; they sign in anew)."""
        target = await self._target(person_id, actor)
        enabled = await self.people.enable(person_id, self.clock())
        if enabled is None:
            return target  # not disabled: nothing changes
        self.access.forget(target.principal_id)
        return enabled

    async def remove(self, person_id: str, actor: Person | None = None) -> None:
        """Remove a person: sessions, pages, keys and links end at once; the seat is free."""
        target, key_hashes = await self._to_cut(person_id, actor, "remove")
        if not await self.people.remove(person_id, self.clock()):
            raise NotFound(f"no person {person_id}", "id")
        self._cut(target, key_hashes)

    async def _to_cut(
        self, person_id: str, actor: Person | None, what: str
    ) -> tuple[Person, list[str]]:
        """Return the person an actor may `what`, and their keys' hashes (read before revoking)."""
        target = await self._target(person_id, actor)
        self._not_self(target, actor, what)
        keys = await self.credentials.keys_of(person_id)
        return target, [key.key_hash for key in keys]

    def _cut(self, target: Person, key_hashes: list[str]) -> None:
        self.watch.cut_person(target.id)
        if target.audience is Audience.STAFF:
            self.access.cut(target.principal_id)  # the person's own principal: all theirs
        else:
            for key_hash in key_hashes:  # the company's other keys keep working
                self.access.cut_key(target.principal_id, key_hash)

    async def seats(self, company_id: str, actor: Person | None = None) -> Seats:
        """Return a company's seat limit and how many are taken."""
        if actor is not None:
            self._may_manage(actor, Audience.SUBSCRIBER, company_id)
        limit, used = await self.people.seats(company_id)
        return Seats(company_id, self.default_seat_limit if limit is None else limit, used)

    async def set_seat_limit(
        self, company_id: str, limit: int, actor: Person | None = None
    ) -> Seats:
        """Set how many people a company may have (agency admins only)."""
        if actor is not None and not (actor.role is PersonRole.ADMIN and actor.is_active):
            raise Forbidden("only the agency's administrators set seat limits", "actor")
        if not 0 <= limit <= MAX_SEAT_LIMIT:
            raise Invalid(f"a seat limit is between 0 and {MAX_SEAT_LIMIT}", "seat_limit")
        await self._company(company_id)
        await self.people.set_seat_limit(company_id, limit, self.clock())
        return await self.seats(company_id)

    async def issue_password_link(self, person_id: str, actor: Person | None = None) -> Invitation:
        """Make a new one-time set-password link for a person (their older ones stop working)."""
        target = await self._target(person_id, actor)
        return await self.links.issue(target)

    async def set_language(self, person: Person, language: str) -> Person:
        """Change one's own interface language."""
        tag = self._language(language)
        await self.people.set_language(person.id, tag, self.clock())
        return await self.person(person.id)
