"""People: who may manage whom, seats, and what disabling, removing and suspending end at once."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from newswire.models.errors import Conflict, Forbidden, Invalid, NotFound
from newswire.models.people import Audience, PeopleQuery, PersonRole, PersonStatus
from newswire.models.principals import PrincipalStatus, Role
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import create_subscriber
from tests.conftest import ADMIN
from tests.people import PAGE, PASSWORD, browser, cheap, company_user, post_sign_in, staff

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, seat_limit_default=3)


@pytest.fixture
async def company(client: httpx.AsyncClient) -> str:
    company_id, _headers = await create_subscriber(client, "Daily")
    return company_id


async def test_an_address_has_one_account_case_insensitively_until_removed(
    runtime: Runtime,
) -> None:
    first = await runtime.people.create_staff("Ayse@Newswire.Example", "Ayşe", PersonRole.EDITOR)
    assert first.person.email == "ayse@newswire.example"
    with pytest.raises(Conflict) as taken:
        await runtime.people.create_staff("ayse@newswire.example ", "Other", PersonRole.CHIEF)
    assert taken.value.field == "email"
    await runtime.people.remove(first.person.id)
    again = await runtime.people.create_staff("ayse@newswire.example", "Ayşe", PersonRole.EDITOR)
    assert again.person.id != first.person.id


async def test_bad_fields_are_refused_by_name_and_nothing_is_stored(
    runtime: Runtime, company: str
) -> None:
    cases = [
        (runtime.people.create_staff("not-an-address", "N", PersonRole.EDITOR), "email"),
        (runtime.people.create_staff("a@newswire.example", "  ", PersonRole.EDITOR), "name"),
        (runtime.people.create_staff("a@newswire.example", "A", PersonRole.MEMBER), "role"),
        (
            runtime.people.create_staff("a@newswire.example", "A", PersonRole.EDITOR, "xx"),
            "language",
        ),
        (
            runtime.people.create_company_user(company, "a@d.example", "A", PersonRole.EDITOR),
            "role",
        ),
    ]
    for call, field in cases:
        with pytest.raises(Invalid) as refused:
            await call
        assert refused.value.field == field
    with pytest.raises(NotFound) as missing:
        await runtime.people.create_company_user("nope", "a@d.example", "A")
    assert missing.value.field == "company"
    assert await runtime.people.find(PeopleQuery()) == []


async def test_a_staff_person_acts_as_their_own_principal_with_the_role_mapped(
    runtime: Runtime,
) -> None:
    expected = {
        PersonRole.REPORTER: Role.REPORTER,
        PersonRole.EDITOR: Role.EDITOR,
        PersonRole.CHIEF: Role.EDITOR,
        PersonRole.ADMIN: Role.ADMIN,
    }
    for role, api_role in expected.items():
        invited = await runtime.people.create_staff(f"{role.value}@newswire.example", "X", role)
        principal = await runtime.storage.principals.by_id(invited.person.principal_id)
        assert principal is not None and principal.role is api_role
    person = await runtime.people.by_email("reporter@newswire.example")
    await runtime.people.change_role(person.id, PersonRole.EDITOR)
    principal = await runtime.storage.principals.by_id(person.principal_id)
    assert principal is not None and principal.role is Role.EDITOR


async def test_the_seat_limit_holds_and_removing_frees_a_seat(
    runtime: Runtime, company: str
) -> None:
    await runtime.people.set_seat_limit(company, 2)
    first = await runtime.people.create_company_user(company, "one@daily.example", "One")
    second = await runtime.people.create_company_user(company, "two@daily.example", "Two")
    await runtime.people.disable(second.person.id)  # a disabled person keeps their seat
    with pytest.raises(Conflict) as full:
        await runtime.people.create_company_user(company, "three@daily.example", "Three")
    assert "all 2 seats" in full.value.message
    seats = await runtime.people.seats(company)
    assert (seats.limit, seats.used, seats.free) == (2, 2, 0)
    await runtime.people.remove(first.person.id)
    await runtime.people.create_company_user(company, "three@daily.example", "Three")
    assert (await runtime.people.seats(company)).used == 2


async def test_two_invitations_at_once_cannot_both_take_the_last_seat(
    runtime: Runtime, company: str
) -> None:
    await runtime.people.set_seat_limit(company, 1)
    results = await asyncio.gather(
        *(
            runtime.people.create_company_user(company, f"racer{i}@daily.example", f"R{i}")
            for i in range(4)
        ),
        return_exceptions=True,
    )
    assert sum(not isinstance(result, BaseException) for result in results) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
    assert (await runtime.people.seats(company)).used == 1


async def test_the_default_seat_limit_applies_until_an_admin_sets_one(
    runtime: Runtime, company: str
) -> None:
    assert (await runtime.people.seats(company)).limit == 3
    with pytest.raises(Invalid):
        await runtime.people.set_seat_limit(company, -1)


async def test_who_may_manage_whom(
    runtime: Runtime, client: httpx.AsyncClient, company: str
) -> None:
    other, _ = await create_subscriber(client, "Other company")
    admin = await staff(runtime, PersonRole.ADMIN, "admin@newswire.example")
    editor = await staff(runtime, PersonRole.EDITOR, "editor@newswire.example")
    boss = await company_user(runtime, company, "boss@daily.example", PersonRole.COMPANY_ADMIN)
    member = await company_user(runtime, company, "member@daily.example")
    stranger = await company_user(runtime, other, "stranger@other.example")

    # The agency's admin manages everyone and sets seats.
    await runtime.people.create_company_user(other, "x@other.example", "X", actor=admin)
    await runtime.people.set_seat_limit(company, 5, actor=admin)
    # A company admin manages their own company's users, nobody else's, and no seats.
    invited = await runtime.people.create_company_user(company, "y@daily.example", "Y", actor=boss)
    await runtime.people.disable(invited.person.id, actor=boss)
    with pytest.raises(Forbidden):
        await runtime.people.create_company_user(other, "z@other.example", "Z", actor=boss)
    with pytest.raises(Forbidden):
        await runtime.people.create_staff("z@newswire.example", "Z", PersonRole.ADMIN, actor=boss)
    with pytest.raises(NotFound):  # another company's user does not exist for them
        await runtime.people.disable(stranger.id, actor=boss)
    with pytest.raises(Forbidden):
        await runtime.people.set_seat_limit(company, 50, actor=boss)
    listed = await runtime.people.find(PeopleQuery(Audience.STAFF), actor=boss)
    assert {p.email for p in listed} == {
        "boss@daily.example",
        "member@daily.example",
        "y@daily.example",
    }
    # Members and editors manage nobody.
    for actor in (member, editor):
        with pytest.raises(Forbidden):
            await runtime.people.create_company_user(company, "w@daily.example", "W", actor=actor)
    with pytest.raises(Forbidden):
        await runtime.people.find(PeopleQuery(), actor=editor)
    # Nobody disables, removes or demotes themselves.
    for call in (runtime.people.disable, runtime.people.remove):
        with pytest.raises(Conflict):
            await call(boss.id, actor=boss)
    with pytest.raises(Conflict):
        await runtime.people.change_role(admin.id, PersonRole.EDITOR, actor=admin)
    with pytest.raises(Invalid):
        await runtime.people.change_role(member.id, PersonRole.EDITOR, actor=admin)


async def test_disabling_ends_the_persons_sessions_at_once_and_enabling_needs_a_new_sign_in(
    runtime: Runtime, web: httpx.AsyncClient
) -> None:
    person = await staff(runtime)
    assert (await post_sign_in(web, "/desk", person.email, PASSWORD)).status_code == 303
    disabled = await runtime.people.disable(person.id)
    assert disabled.status is PersonStatus.DISABLED
    assert (await web.get("/desk/account", headers=PAGE)).status_code == 303
    assert (await post_sign_in(web, "/desk", person.email, PASSWORD)).status_code == 401
    principal = await runtime.storage.principals.by_id(person.principal_id)
    assert principal is not None and principal.status is PrincipalStatus.SUSPENDED
    enabled = await runtime.people.enable(person.id)
    assert enabled.status is PersonStatus.ACTIVE
    assert (await web.get("/desk/account", headers=PAGE)).status_code == 303, "no old session back"
    assert (await post_sign_in(web, "/desk", person.email, PASSWORD)).status_code == 303


async def test_a_removed_person_loses_their_session_and_cannot_come_back(
    runtime: Runtime, web: httpx.AsyncClient, company: str
) -> None:
    person = await company_user(runtime, company, "member@daily.example")
    assert (await post_sign_in(web, "/portal", person.email, PASSWORD)).status_code == 303
    await runtime.people.remove(person.id)
    assert (await web.get("/portal/account", headers=PAGE)).status_code == 303
    assert (await post_sign_in(web, "/portal", person.email, PASSWORD)).status_code == 401
    assert (await runtime.people.person(person.id)).status is PersonStatus.REMOVED
    with pytest.raises(NotFound):
        await runtime.people.disable(person.id)


async def test_suspending_the_company_ends_its_users_sessions_and_resuming_does_not_revive_them(
    runtime: Runtime, app: FastAPI, client: httpx.AsyncClient, company: str
) -> None:
    await company_user(runtime, company, "member@daily.example")
    await company_user(runtime, company, "boss@daily.example", PersonRole.COMPANY_ADMIN)
    async with browser(app) as member, browser(app) as boss:
        for web, email in ((member, "member@daily.example"), (boss, "boss@daily.example")):
            assert (await post_sign_in(web, "/portal", email, PASSWORD)).status_code == 303
        suspended = await client.post(f"/v1/subscribers/{company}/suspend", headers=ADMIN)
        assert suspended.status_code == 200
        for web in (member, boss):
            assert (await web.get("/portal/account", headers=PAGE)).status_code == 303
        assert (
            await post_sign_in(member, "/portal", "member@daily.example", PASSWORD)
        ).status_code == 401
        assert (
            await client.post(f"/v1/subscribers/{company}/resume", headers=ADMIN)
        ).status_code == 200
        assert (await boss.get("/portal/account", headers=PAGE)).status_code == 303
        assert (
            await post_sign_in(boss, "/portal", "boss@daily.example", PASSWORD)
        ).status_code == 303


async def test_deleting_the_company_removes_its_users(
    runtime: Runtime, web: httpx.AsyncClient, client: httpx.AsyncClient, company: str
) -> None:
    person = await company_user(runtime, company, "member@daily.example")
    assert (await post_sign_in(web, "/portal", person.email, PASSWORD)).status_code == 303
    assert (await client.delete(f"/v1/subscribers/{company}", headers=ADMIN)).status_code == 204
    assert (await web.get("/portal/account", headers=PAGE)).status_code == 303
    assert (await runtime.people.person(person.id)).status is PersonStatus.REMOVED


async def test_a_company_user_acts_as_the_company_principal(
    runtime: Runtime, web: httpx.AsyncClient, company: str
) -> None:
    await company_user(runtime, company, "member@daily.example")
    await post_sign_in(web, "/portal", "member@daily.example", PASSWORD)
    token = web.cookies.get("nw_portal_session", path="/portal")
    signed = await runtime.sign_in.session(Audience.SUBSCRIBER, token)
    assert signed is not None
    assert signed.principal.id == company and signed.principal.role is Role.SUBSCRIBER
    assert signed.person.company_id == company


async def test_the_company_admin_sees_who_signed_in_when(
    runtime: Runtime, app: FastAPI, company: str
) -> None:
    boss = await company_user(runtime, company, "boss@daily.example", PersonRole.COMPANY_ADMIN)
    await company_user(runtime, company, "member@daily.example")
    for email in ("member@daily.example", "member@daily.example", "boss@daily.example"):
        async with browser(app, address="198.51.100.4") as web:
            assert (await post_sign_in(web, "/portal", email, PASSWORD)).status_code == 303
    people = await runtime.people.find(PeopleQuery(), actor=boss)
    history = await runtime.sign_in.sign_ins(people)
    assert len(history) == 3 and history[0].person_id == boss.id
    assert {record.address for record in history} == {"198.51.100.4"}
    assert all(p.last_signed_in_at is not None for p in await runtime.people.find(PeopleQuery()))
