"""Passwords: argon2id hashes with the configured costs, rehashed at sign-in when costs change."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters

from newswire.identity.passwords import HashParameters, Passwords
from newswire.models.errors import Invalid
from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import app_client
from tests.people import PASSWORD, cheap, post_sign_in, staff

pytestmark = pytest.mark.anyio
CHEAP = HashParameters(time_cost=1, memory_kib=1024, parallelism=1)


async def test_a_hash_is_argon2id_with_the_configured_costs_and_verifies() -> None:
    passwords = Passwords(HashParameters(time_cost=2, memory_kib=2048, parallelism=2))
    stored = await passwords.hash(PASSWORD)
    assert stored.startswith("$argon2id$")
    parameters = extract_parameters(stored)
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (2, 2048, 2)
    assert await passwords.verify(stored, PASSWORD)
    assert not await passwords.verify(stored, PASSWORD + " ")
    assert not await passwords.verify(stored, "x" * 5000), "refused before hashing"
    assert not await passwords.verify("not a hash", PASSWORD)
    assert stored != await passwords.hash(PASSWORD), "salted"


async def test_a_hash_made_with_other_costs_needs_a_rehash() -> None:
    old = await Passwords(CHEAP).hash(PASSWORD)
    assert not Passwords(CHEAP).needs_rehash(old)
    assert Passwords(HashParameters(2, 1024, 1)).needs_rehash(old)
    assert await Passwords(HashParameters(2, 1024, 1)).verify(old, PASSWORD), "still verifies"


def test_the_rules_name_the_password_field() -> None:
    passwords = Passwords(CHEAP, min_length=10)
    for bad in ("short", "x" * 1025, "Ayse@Example.com"):
        with pytest.raises(Invalid) as refused:
            passwords.check_rules(bad, "ayse@example.com")
        assert refused.value.field == "password"
    passwords.check_rules("ten chars!", "ayse@example.com")


async def test_signing_in_rehashes_a_password_whose_costs_changed(settings: Settings) -> None:
    before = cheap(settings)
    async with app_client(before) as (_client, runtime):
        person = await staff(runtime)
        old = await runtime.storage.people.credentials(person.email)
    assert old is not None and extract_parameters(old[1] or "").time_cost == 1
    after = before.replace(password_time_cost=2, password_memory_kib=2048)
    async with app_client(after) as (client, runtime):
        assert (await post_sign_in(client, "/desk", person.email, PASSWORD)).status_code == 303
        new = await runtime.storage.people.credentials(person.email)
        assert new is not None and new[1] != old[1]
        parameters = extract_parameters(new[1] or "")
        assert (parameters.time_cost, parameters.memory_cost) == (2, 2048)
        client.cookies.clear()
        assert (await post_sign_in(client, "/desk", person.email, PASSWORD)).status_code == 303


async def test_known_and_unknown_addresses_cost_one_argon2_computation_each(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same work, so the same time, whether or not the address has an account."""
    async with app_client(cheap(settings)) as (client, runtime):
        await staff(runtime)
        await runtime.people.create_staff("invited@newswire.example", "I", PersonRole.EDITOR)
        computations: list[str] = []
        real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

        def counted_hash(self: PasswordHasher, password: str | bytes, **kw: object) -> str:
            computations.append("hash")
            return real_hash(self, password)

        def counted_verify(
            self: PasswordHasher, stored: str | bytes, password: str | bytes
        ) -> bool:
            computations.append("verify")
            return real_verify(self, stored, password)

        monkeypatch.setattr(PasswordHasher, "hash", counted_hash)
        monkeypatch.setattr(PasswordHasher, "verify", counted_verify)
        for email in (
            "editor@newswire.example",
            "nobody@newswire.example",
            "invited@newswire.example",
        ):
            computations.clear()
            client.cookies.clear()
            answer = await post_sign_in(client, "/desk", email, "not the password")
            assert answer.status_code == 401
            assert len(computations) == 1, (email, computations)


async def test_the_runtime_hashes_with_the_settings_costs(runtime: Runtime) -> None:
    parameters = runtime.passwords.parameters
    assert (parameters.time_cost, parameters.memory_kib, parameters.parallelism) == (3, 65536, 4)
