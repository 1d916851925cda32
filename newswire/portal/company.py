"""The company admin's page: the company's users within its seats, invitations, who signed in when.

Every change goes through `identity.People` with the company admin as the
actor, so its rules hold here as in the CLI: a company admin manages only
their own company's users, never themselves, within the seat limit (checked
and taken in one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.identity.links import Invitation
from newswire.identity.people import People
from newswire.identity.signin import SignIn
from newswire.models.errors import Invalid
from newswire.models.people import PeopleQuery, Person, PersonRole, Seats, SignInRecord


@dataclass(frozen=True)
class CompanyView:
    """A company's users, its seats, and its recent sign-ins."""

    people: list[Person]
    seats: Seats
    sign_ins: list[SignInRecord]

    def name_of(self, person_id: str) -> str:
        """Return the name of one of the company's users (for the sign-in list)."""
        return next((each.name for each in self.people if each.id == person_id), person_id)


@dataclass(eq=False)
class Company:
    """What a company admin does with the company's users."""

    people: People
    sign_in: SignIn

    async def overview(self, admin: Person) -> CompanyView:
        """Return the company's users, seats and the latest sign-ins."""
        company_id = admin.principal_id
        users = await self.people.find(PeopleQuery(company_id=company_id), admin)
        seats = await self.people.seats(company_id, admin)
        return CompanyView(users, seats, await self.sign_in.sign_ins(users, 50))

    async def invite(self, admin: Person, email: str, name: str, role: str) -> Invitation:
        """Invite a user to the company (a set-password link, mailed when SMTP is set)."""
        try:
            chosen = PersonRole(role)
        except ValueError as error:
            raise Invalid("choose member or company admin", "role") from error
        if not name.strip():
            raise Invalid("give the person's name", "name")
        return await self.people.create_company_user(
            admin.principal_id, email, name.strip(), chosen, admin.language, admin
        )

    async def remove(self, admin: Person, person_id: str) -> None:
        """Remove a user: their sessions and open pages end at once, their seat is free."""
        await self.people.remove(person_id, admin)
