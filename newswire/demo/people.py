"""Demo people for `make run`: one staff member per desk role, two subscriber companies.

Made once: a second start finds them by their address and leaves them be,
so their passwords stay the ones printed here. The passwords are public
(they are printed at every start): a demo database is not for real news.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.models.errors import NotFound
from newswire.models.people import PersonRole
from newswire.models.principals import Entitlements
from newswire.runtime import Runtime


@dataclass(frozen=True)
class DemoLogin:
    """One demo person's sign-in: where, as whom, with which password."""

    area: str  # "/desk" or "/portal"
    email: str
    password: str
    role: str
    company: str = ""


STAFF = (
    (PersonRole.REPORTER, "reporter@newswire.example", "Demo Reporter", "demo-reporter-pass"),
    (PersonRole.EDITOR, "editor@newswire.example", "Demo Editor", "demo-editor-pass"),
    (PersonRole.CHIEF, "chief@newswire.example", "Demo Chief", "demo-chief-pass"),
    (PersonRole.ADMIN, "admin@newswire.example", "Demo Admin", "demo-admin-pass"),
)
# (company, entitlements, its people): the first company receives everything (text,
# pictures and video); the second the Sport section's text only.
COMPANIES = (
    (
        "Demo Daily",
        Entitlements(media=["text", "pictures", "video"]),
        (
            (PersonRole.COMPANY_ADMIN, "admin@daily.example", "Daily Admin", "demo-daily-admin"),
            (PersonRole.MEMBER, "member@daily.example", "Daily Member", "demo-daily-member"),
        ),
    ),
    (
        "Demo Sports Radio",
        Entitlements(categories=["Sport"]),
        ((PersonRole.MEMBER, "member@sportsradio.example", "Sports Member", "demo-sports-member"),),
    ),
)


async def _exists(runtime: Runtime, email: str) -> str | None:
    """Return the principal of the person with an address, or None when there is nobody."""
    try:
        return (await runtime.people.by_email(email)).principal_id
    except NotFound:
        return None


async def _activate(runtime: Runtime, link: str, password: str) -> None:
    token = link.rsplit("/", 1)[1]
    await runtime.password_links.set_password(token, password, password)


async def prepare_demo_people(runtime: Runtime) -> list[DemoLogin]:
    """Create the demo people that do not exist yet; return every demo login."""
    logins = []
    for role, email, name, password in STAFF:
        if await _exists(runtime, email) is None:
            invitation = await runtime.people.create_staff(email, name, role)
            await _activate(runtime, invitation.link, password)
        logins.append(DemoLogin("/desk", email, password, role.value))
    for company_name, entitlements, members in COMPANIES:
        company_id = None
        for _role, email, _name, _password in members:
            company_id = company_id or await _exists(runtime, email)
        if company_id is None:
            company_id = (await runtime.accounts.create_subscriber(company_name, entitlements)).id
        for role, email, name, password in members:
            if await _exists(runtime, email) is None:
                invitation = await runtime.people.create_company_user(company_id, email, name, role)
                await _activate(runtime, invitation.link, password)
            logins.append(DemoLogin("/portal", email, password, role.value, company_name))
    return logins
