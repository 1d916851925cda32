"""One-time set-password links: shown by GET without being spent, spent once, expire, replaced."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from newswire.identity.links import Invitation
from newswire.models.people import PersonRole, PersonStatus
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import create_subscriber
from tests.people import PAGE, PASSWORD, browser, cheap, hidden, post_sign_in, token_of

pytestmark = pytest.mark.anyio
NEW = "a brand new passphrase"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, base_url="https://wire.example")


@pytest.fixture
async def invitation(runtime: Runtime) -> Invitation:
    return await runtime.people.create_staff(
        "new@newswire.example", "New Hire", PersonRole.REPORTER
    )


async def _set(web: httpx.AsyncClient, path: str, password: str, repeat: str) -> httpx.Response:
    form = await web.get(path)
    token = hidden(form.text) if form.status_code == 200 else "none"
    return await web.post(path, data={"csrf_token": token, "password": password, "repeat": repeat})


def _path(invitation: Invitation) -> str:
    return invitation.link.removeprefix("https://wire.example")


async def test_the_link_is_absolute_and_points_at_the_persons_area(
    runtime: Runtime, client: httpx.AsyncClient, invitation: Invitation
) -> None:
    assert invitation.link.startswith("https://wire.example/desk/set-password/")
    assert len(token_of(invitation.link)) >= 43 and not invitation.mailed
    assert invitation.person.status is PersonStatus.INVITED
    company_id, _ = await create_subscriber(client)
    member = await runtime.people.create_company_user(company_id, "m@daily.example", "M")
    assert member.link.startswith("https://wire.example/portal/set-password/")


async def test_setting_a_password_through_the_link_activates_and_allows_sign_in(
    runtime: Runtime, web: httpx.AsyncClient, invitation: Invitation
) -> None:
    shown = await web.get(_path(invitation))
    assert shown.status_code == 200 and "new@newswire.example" in shown.text
    assert 'autocomplete="new-password"' in shown.text
    assert (await runtime.people.person(invitation.person.id)).status is PersonStatus.INVITED
    answer = await _set(web, _path(invitation), NEW, NEW)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/desk/sign-in?notice=password-set"
    notice = await web.get(answer.headers["location"])
    assert "Your password is set. Sign in with it." in notice.text
    assert (await runtime.people.person(invitation.person.id)).status is PersonStatus.ACTIVE
    assert (await post_sign_in(web, "/desk", "new@newswire.example", NEW)).status_code == 303


async def test_a_link_works_once(web: httpx.AsyncClient, invitation: Invitation) -> None:
    assert (await _set(web, _path(invitation), NEW, NEW)).status_code == 303
    again = await web.get(_path(invitation))
    assert again.status_code == 404 and "expired or was already used" in again.text
    token = hidden((await web.get("/desk/sign-in")).text)
    spent = await web.post(
        _path(invitation),
        data={"csrf_token": token, "password": "other pass 123", "repeat": "other pass 123"},
    )
    assert spent.status_code == 404
    assert (
        await post_sign_in(web, "/desk", "new@newswire.example", "other pass 123")
    ).status_code == 401


async def test_a_link_expires(
    runtime: Runtime, web: httpx.AsyncClient, invitation: Invitation, settings: Settings
) -> None:
    form = await web.get(_path(invitation))
    runtime.clock.advance(timedelta(hours=settings.password_link_hours, seconds=1))
    assert (await web.get(_path(invitation))).status_code == 404
    late = await web.post(
        _path(invitation), data={"csrf_token": hidden(form.text), "password": NEW, "repeat": NEW}
    )
    assert late.status_code == 404
    assert (await runtime.people.person(invitation.person.id)).status is PersonStatus.INVITED


async def test_a_new_link_voids_the_older_one(
    runtime: Runtime, web: httpx.AsyncClient, invitation: Invitation
) -> None:
    fresh = await runtime.people.issue_password_link(invitation.person.id)
    assert (await web.get(_path(invitation))).status_code == 404
    assert (await _set(web, _path(fresh), NEW, NEW)).status_code == 303


async def test_a_staff_link_does_not_open_in_the_portal(
    web: httpx.AsyncClient, invitation: Invitation
) -> None:
    token = token_of(invitation.link)
    assert (await web.get(f"/portal/set-password/{token}")).status_code == 404


async def test_a_bad_password_is_refused_naming_the_field_and_the_link_stays_usable(
    runtime: Runtime, web: httpx.AsyncClient, invitation: Invitation
) -> None:
    short = await _set(web, _path(invitation), "short", "short")
    assert short.status_code == 422
    assert 'id="f-password-error"' in short.text and "at least 10 characters" in short.text
    differ = await _set(web, _path(invitation), NEW, NEW + "!")
    assert differ.status_code == 422 and 'id="f-repeat-error"' in differ.text
    same_as_email = await _set(
        web, _path(invitation), "new@newswire.example", "new@newswire.example"
    )
    assert same_as_email.status_code == 422
    assert (await runtime.people.person(invitation.person.id)).status is PersonStatus.INVITED
    assert (await _set(web, _path(invitation), NEW, NEW)).status_code == 303


async def test_setting_a_password_ends_the_sessions_the_person_had(
    runtime: Runtime, app: FastAPI, invitation: Invitation
) -> None:
    async with browser(app) as first, browser(app) as second:
        assert (await _set(first, _path(invitation), PASSWORD, PASSWORD)).status_code == 303
        assert (
            await post_sign_in(first, "/desk", "new@newswire.example", PASSWORD)
        ).status_code == 303
        reset = await runtime.people.issue_password_link(invitation.person.id)
        assert (await _set(second, _path(reset), NEW, NEW)).status_code == 303
        assert (await first.get("/desk/account", headers=PAGE)).status_code == 303
        assert (
            await post_sign_in(second, "/desk", "new@newswire.example", PASSWORD)
        ).status_code == 401


async def test_a_disabled_persons_link_does_not_work(
    runtime: Runtime, web: httpx.AsyncClient, invitation: Invitation
) -> None:
    await runtime.people.disable(invitation.person.id)
    assert (await web.get(_path(invitation))).status_code == 404
    await runtime.people.enable(invitation.person.id)
    assert (await _set(web, _path(invitation), NEW, NEW)).status_code == 303
