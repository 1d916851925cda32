"""People: the agency's staff and the subscribers' users, who sign in with email and password.

One identity system, two audiences. Staff work in the newsroom desk with a
role (reporter, editor, chief, admin); a subscriber company's users work in
the portal as its company admin or a member. Every person acts as exactly one
`Principal`, so the API's single auth path and the single entitlement
decision serve people too: a staff person has a principal of their own (its
role follows the person's), a company user acts as the company's subscriber
principal and sees exactly what the company is entitled to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from newswire.models.principals import Role


class Audience(StrEnum):
    """Who a person works for: the agency (the desk) or a subscriber company (the portal)."""

    STAFF = "staff"
    SUBSCRIBER = "subscriber"


class PersonRole(StrEnum):
    """What a person may do: four staff roles, two roles within a subscriber company."""

    REPORTER = "reporter"  # writes and submits drafts
    EDITOR = "editor"  # edits, publishes, updates, corrects, embargoes, kills
    CHIEF = "chief"  # an editor who also manages desks, templates and sections
    ADMIN = "admin"  # manages people
    COMPANY_ADMIN = "company_admin"  # manages the company's users within its seats
    MEMBER = "member"  # a subscriber's editor

    @property
    def audience(self) -> Audience:
        """Return the audience this role belongs to."""
        return Audience.SUBSCRIBER if self in COMPANY_ROLES else Audience.STAFF

    @property
    def principal_role(self) -> Role:
        """Return the API role this person's principal (and personal keys) carry."""
        return _PRINCIPAL_ROLES[self]


STAFF_ROLES = (PersonRole.REPORTER, PersonRole.EDITOR, PersonRole.CHIEF, PersonRole.ADMIN)
COMPANY_ROLES = (PersonRole.COMPANY_ADMIN, PersonRole.MEMBER)

# A chief is an editor to the API: what a chief may do beyond that is the desk's.
_PRINCIPAL_ROLES = {
    PersonRole.REPORTER: Role.REPORTER,
    PersonRole.EDITOR: Role.EDITOR,
    PersonRole.CHIEF: Role.EDITOR,
    PersonRole.ADMIN: Role.ADMIN,
    PersonRole.COMPANY_ADMIN: Role.SUBSCRIBER,
    PersonRole.MEMBER: Role.SUBSCRIBER,
}


class PersonStatus(StrEnum):
    """Where a person's account stands: only an active person can sign in."""

    INVITED = "invited"  # created; has not set a password through the link yet
    ACTIVE = "active"
    DISABLED = "disabled"  # paused by an admin: cannot sign in, keys refused; reversible
    REMOVED = "removed"  # gone: sessions ended, keys revoked, the address free again


@dataclass(frozen=True)
class Person:
    """One person who signs in: who they are, their role, and the principal they act as."""

    id: str
    email: str  # normalized and lowercased; unique among people not removed
    name: str
    language: str  # interface language, e.g. "en", "tr"
    role: PersonRole
    status: PersonStatus
    # A staff person's own principal; for a company user, the company's subscriber principal.
    principal_id: str
    created_at: datetime
    last_signed_in_at: datetime | None = None

    @property
    def audience(self) -> Audience:
        """Return whether this person is staff or a subscriber company's user."""
        return self.role.audience

    @property
    def is_active(self) -> bool:
        """Tell whether the person may sign in and act."""
        return self.status is PersonStatus.ACTIVE

    @property
    def company_id(self) -> str | None:
        """Return the subscriber principal of a company user (None for staff)."""
        return self.principal_id if self.audience is Audience.SUBSCRIBER else None


@dataclass(frozen=True)
class NewPerson:
    """A person to store: the domain has checked every field."""

    id: str
    email: str
    name: str
    language: str
    role: PersonRole
    principal_id: str  # the company, for a company user; the staff principal to create, else
    created_at: datetime


@dataclass(frozen=True)
class PeopleQuery:
    """Which people to list: by audience, company or status; removed people only if asked."""

    audience: Audience | None = None
    company_id: str | None = None
    statuses: tuple[PersonStatus, ...] = (
        PersonStatus.INVITED,
        PersonStatus.ACTIVE,
        PersonStatus.DISABLED,
    )


@dataclass(frozen=True)
class Seats:
    """A company's seats: the limit the agency set and how many people hold one."""

    company_id: str
    limit: int
    used: int  # invited, active and disabled people; removed people free their seat

    @property
    def free(self) -> int:
        """Return how many more people the company may have."""
        return max(0, self.limit - self.used)


@dataclass(frozen=True)
class PasswordLink:
    """A one-time set-password link, by the hash of its token."""

    token_hash: str
    person_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class PersonalKey:
    """A person's own API key (only its hash is stored); it acts as the person's principal."""

    id: str
    person_id: str
    principal_id: str
    label: str
    created_at: datetime
    revoked_at: datetime | None = None
    key_hash: str = ""  # never shown


@dataclass(frozen=True)
class SessionRecord:
    """A signed-in browser: the hash of its cookie's token, whose it is, since when."""

    id: str  # sha256 of the token the cookie carries; the token itself is never stored
    person_id: str
    csrf_token: str  # the synchronizer token every state-changing request must carry
    created_at: datetime
    last_seen_at: datetime
    address: str
    user_agent: str


@dataclass(frozen=True)
class SignInRecord:
    """One successful sign-in: who, when, from where."""

    person_id: str
    at: datetime
    address: str
    user_agent: str
