"""`newswire users ...` for operators, and the demo people `make run` creates once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newswire.demo.loader import prepare_demo
from newswire.models.people import PeopleQuery, PersonStatus
from newswire.settings import Settings
from tests.accounts import app_client
from tests.people import cheap, post_sign_in


def users(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newswire", "users", *args, "--db", db],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", "NEWSWIRE_BASE_URL": "https://wire.example"},
        timeout=60,
    )


def test_users_create_prints_a_working_link_and_list_shows_the_person(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'users.db'}"
    created = users(db, "create", "--email", "Chief@Newswire.Example", "--role", "chief")
    assert created.returncode == 0, created.stderr
    link = re.search(r"https://wire\.example/desk/set-password/[\w-]{43}", created.stdout)
    assert link, created.stdout
    listed = users(db, "list")
    assert listed.returncode == 0
    assert re.search(
        r"chief@newswire\.example\s+│\s+Chief\s+│\s+chief\s+│\s+invited", listed.stdout
    )
    again = users(db, "create", "--email", "chief@newswire.example", "--role", "editor")
    assert again.returncode == 1 and "already has an account (email)" in again.stdout
    wrong = users(db, "create", "--email", "x@newswire.example", "--role", "boss")
    assert wrong.returncode == 2 and "one of: reporter, editor, chief, admin" in wrong.stdout
    member = users(db, "create", "--email", "m@daily.example", "--role", "member")
    assert member.returncode == 1 and "--company" in member.stdout
    renewed = users(db, "link", "--email", "chief@newswire.example")
    assert renewed.returncode == 0 and link.group(0) not in renewed.stdout


@pytest.mark.anyio
async def test_the_demo_people_are_made_once_and_can_sign_in(tmp_path: Path) -> None:
    settings = cheap(Settings.load(environ={}, db=f"sqlite:///{tmp_path / 'demo.db'}"))
    first = await prepare_demo(settings)
    second = await prepare_demo(settings)
    assert first.logins == second.logins
    roles = {(login.area, login.role) for login in first.logins}
    assert {("/desk", r) for r in ("reporter", "editor", "chief", "admin")} <= roles
    assert {("/portal", "company_admin"), ("/portal", "member")} <= roles
    async with app_client(settings) as (client, runtime):
        people = await runtime.people.find(PeopleQuery())
        assert len(people) == len(first.logins) == 7
        assert {person.status for person in people} == {PersonStatus.ACTIVE}
        companies = {person.company_id for person in people if person.company_id}
        assert len(companies) == 2
        sports = next(login for login in first.logins if "sports" in login.email)
        company = (await runtime.people.by_email(sports.email)).principal_id
        principal = await runtime.storage.principals.by_id(company)
        assert principal is not None and principal.entitlements.categories == ["Sport"]
        for login in first.logins:
            client.cookies.clear()
            answer = await post_sign_in(client, login.area, login.email, login.password)
            assert answer.status_code == 303, login
