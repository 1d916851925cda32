"""Personal API keys: a person's own keys for scripts and tools, acting as that person.

A personal key is one more key of the principal the person acts as (see
`models/people.py`): a reporter's key is a reporter principal (drafts only),
an editor's or a chief's an editor principal, an admin's an admin principal,
a company user's the company's subscriber principal, with its entitlements,
quota and usage. The API's one auth path (`api/deps.get_principal`, through
the access watcher and `PrincipalStore.with_key_hash`) accepts it like any
key, and it stops working when it is revoked, when its person is disabled or
removed, or when the principal is suspended, revoked or deleted; its live
streams are cut then, as other keys' are.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.accounts.access import AccessWatcher
from newswire.accounts.keys import hash_key, new_key
from newswire.identity.tokens import new_id
from newswire.models.clock import Clock
from newswire.models.errors import Conflict, Forbidden, Invalid, NotFound
from newswire.models.people import Person, PersonalKey
from newswire.storage.identity_interfaces import CredentialStore

MAX_LABEL_LENGTH = 100
MAX_KEYS_PER_PERSON = 20


@dataclass(frozen=True)
class CreatedPersonalKey:
    """A new personal key: its record, and the key itself, shown only this once."""

    key: PersonalKey
    api_key: str


@dataclass(eq=False)
class PersonalKeys:
    """Creates, lists and revokes people's own API keys."""

    credentials: CredentialStore
    access: AccessWatcher
    clock: Clock

    async def create(self, person: Person, label: str) -> CreatedPersonalKey:
        """Create a key for an active person, labelled (e.g. "laptop script")."""
        if not person.is_active:
            raise Forbidden("only an active person may create keys", "actor")
        cleaned = " ".join(label.split())
        if not cleaned or len(cleaned) > MAX_LABEL_LENGTH:
            raise Invalid(f"a key's label has 1 to {MAX_LABEL_LENGTH} characters", "label")
        if len(await self.credentials.keys_of(person.id)) >= MAX_KEYS_PER_PERSON:
            raise Conflict(f"at most {MAX_KEYS_PER_PERSON} keys per person; revoke one", "label")
        api_key = new_key(person.role.principal_role)
        key = PersonalKey(
            id=new_id(),
            person_id=person.id,
            principal_id=person.principal_id,
            label=cleaned,
            created_at=self.clock(),
            key_hash=hash_key(api_key),
        )
        await self.credentials.add_key(key)
        return CreatedPersonalKey(key, api_key)

    async def of(self, person: Person) -> list[PersonalKey]:
        """Return a person's keys that are not revoked, oldest first."""
        return await self.credentials.keys_of(person.id)

    async def revoke(self, person: Person, key_id: str) -> None:
        """Revoke one of a person's keys: it answers 401 and its streams are cut, at once."""
        revoked = await self.credentials.revoke_key(person.id, key_id, self.clock())
        if revoked is None:
            raise NotFound(f"you have no key {key_id}", "id")
        self.access.cut_key(revoked.principal_id, revoked.key_hash)
