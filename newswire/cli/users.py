"""`newswire users ...`: create and list the people who sign in, for operators.

These commands open the database directly (like `migrate` and `reproject`):
they are how the first admin comes to exist, before anyone can sign in.
Each prints the one-time set-password link it makes (and says whether it
was mailed, when SMTP is configured).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from newswire.models.errors import DomainError, Invalid
from newswire.models.people import Audience, PeopleQuery, PersonRole, PersonStatus
from newswire.settings import Settings

if TYPE_CHECKING:  # the runtime is imported when a command runs: `newswire story` never needs it
    from newswire.identity.links import Invitation
    from newswire.runtime import Runtime

users_app = typer.Typer(help="Create and list the people who sign in to the desk and portal.")
console = Console(soft_wrap=True)  # links must stay on one line to be copied
T = TypeVar("T")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (NEWSWIRE_DB)")]


def _run(db: str | None, work: Callable[[Runtime], Awaitable[T]]) -> T:
    from newswire.runtime import Runtime

    async def run() -> T:
        runtime = Runtime.from_settings(Settings.load(db=db))
        await runtime.start()
        try:
            return await work(runtime)
        finally:
            await runtime.stop()

    try:
        return asyncio.run(run())
    except DomainError as error:
        where = f" ({error.field})" if error.field else ""
        console.print(f"[red]{error.message}{where}[/red]")
        raise typer.Exit(1) from error


def _print_invitation(invitation: Invitation) -> None:
    person = invitation.person
    console.print(f"{person.email} ({person.role.value}, id {person.id})")
    console.print(f"  set-password link: [green]{invitation.link}[/green]")
    expires = invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    console.print(f"  works once, until {expires}" + ("; mailed" if invitation.mailed else ""))


@users_app.command("create")
def create(
    email: Annotated[str, typer.Option(help="The person's email address")],
    role: Annotated[
        str, typer.Option(help="reporter, editor, chief, admin; or company_admin, member")
    ],
    name: Annotated[str | None, typer.Option(help="Display name (default: from the email)")] = None,
    company: Annotated[
        str | None, typer.Option(help="Subscriber id, for company_admin and member")
    ] = None,
    language: Annotated[str, typer.Option(help="Interface language")] = "en",
    db: DbOption = None,
) -> None:
    """Create a person and print their one-time set-password link."""
    chosen = parse_role_or_exit(role)
    display = name or email.split("@")[0]

    async def work(runtime: Runtime) -> Invitation:
        if chosen.audience is Audience.STAFF:
            return await runtime.people.create_staff(email, display, chosen, language)
        if not company:
            raise Invalid(f"a {chosen.value} belongs to a company: give --company", "company")
        return await runtime.people.create_company_user(company, email, display, chosen, language)

    _print_invitation(_run(db, work))


def parse_role_or_exit(role: str) -> PersonRole:
    """Return the role named, or print the choices and exit."""
    from newswire.identity.people import parse_role

    try:
        return parse_role(role)
    except DomainError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from error


@users_app.command("link")
def link(
    email: Annotated[str, typer.Option(help="The person's email address")],
    db: DbOption = None,
) -> None:
    """Make a new one-time set-password link for a person (older ones stop working)."""

    async def work(runtime: Runtime) -> Invitation:
        person = await runtime.people.by_email(email)
        return await runtime.people.issue_password_link(person.id)

    _print_invitation(_run(db, work))


@users_app.command("seats")
def seats(
    company: Annotated[str, typer.Option(help="Subscriber id")],
    limit: Annotated[int, typer.Option(help="How many people the company may have")],
    db: DbOption = None,
) -> None:
    """Set a subscriber company's seat limit."""
    result = _run(db, lambda runtime: runtime.people.set_seat_limit(company, limit))
    console.print(f"company {company}: {result.used} of {result.limit} seats taken")


@users_app.command("list")
def list_people(
    audience: Annotated[str | None, typer.Option(help="staff or subscriber")] = None,
    company: Annotated[str | None, typer.Option(help="Only this subscriber's users")] = None,
    removed: Annotated[bool, typer.Option("--removed", help="Include removed people")] = False,
    db: DbOption = None,
) -> None:
    """List the people who sign in: email, name, role, status, last sign-in."""
    try:
        chosen = Audience(audience) if audience else None
    except ValueError as error:
        console.print("[red]--audience is staff or subscriber[/red]")
        raise typer.Exit(2) from error
    statuses = tuple(PersonStatus) if removed else PeopleQuery().statuses
    query = PeopleQuery(chosen, company, statuses)
    people = _run(db, lambda runtime: runtime.people.find(query))
    table = Table("email", "name", "role", "status", "company", "last sign-in", "id")
    for person in people:
        last = person.last_signed_in_at
        table.add_row(
            person.email,
            person.name,
            person.role.value,
            person.status.value,
            person.company_id or "",
            last.strftime("%Y-%m-%d %H:%M") if last else "never",
            person.id,
        )
    console.print(table)
