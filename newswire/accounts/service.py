"""The accounts service: every change to who may call, with all its consequences in one place.

Creating, changing, suspending, resuming, rotating, revoking and deleting a
principal each takes effect everywhere at once: the key answers 401 from the
next request on, and the principal's live SSE and WebSocket connections are
cut, on this node at once and on every other node within
`NEWSWIRE_ACCESS_POLL_SECONDS` (`access.py`). Remembered keys, cached quota
figures and buffered cursors are forgotten with the change, so no channel
goes on with what the principal was before.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.accounts.access import AccessWatcher
from newswire.accounts.keys import hash_key, new_key
from newswire.accounts.quotas import Quotas
from newswire.accounts.usage import UsageRecorder
from newswire.delivery.formats import DEFAULT_FORMAT, UnknownFormat, get_format
from newswire.models.errors import Conflict, Invalid, NotFound
from newswire.models.principals import (
    Entitlements,
    Principal,
    PrincipalStatus,
    Role,
    SubscriberChange,
)
from newswire.storage.interfaces import PrincipalStore


@dataclass(frozen=True)
class CreatedKey:
    """A principal's id and its new key; the key is shown only this once."""

    id: str
    api_key: str


def _check_format(name: str) -> None:
    try:
        get_format(name)
    except UnknownFormat as error:
        raise Invalid(str(error), "format") from error


@dataclass(eq=False)
class Accounts:
    """Creates and changes editors' and subscribers' access, cutting what must be cut."""

    principals: PrincipalStore
    access: AccessWatcher
    quotas: Quotas
    recorder: UsageRecorder

    async def create_editor(self, name: str) -> CreatedKey:
        """Create an editor with a fresh key."""
        key = new_key(Role.EDITOR)
        editor = await self.principals.create(
            Role.EDITOR, name, hash_key(key), Entitlements(), DEFAULT_FORMAT
        )
        return CreatedKey(editor.id, key)

    async def create_subscriber(
        self,
        name: str,
        entitlements: Entitlements,
        format_name: str = DEFAULT_FORMAT,
        daily_quota: int | None = None,
    ) -> CreatedKey:
        """Create a subscriber with its entitlements, preferred format and daily quota."""
        _check_format(format_name)
        key = new_key(Role.SUBSCRIBER)
        subscriber = await self.principals.create(
            Role.SUBSCRIBER, name, hash_key(key), entitlements, format_name, daily_quota
        )
        return CreatedKey(subscriber.id, key)

    async def of_role(self, role: Role) -> list[Principal]:
        """Return the unrevoked, undeleted principals of a role, oldest first."""
        return await self.principals.of_role(role)

    async def subscriber(self, subscriber_id: str) -> Principal:
        """Return an undeleted subscriber, or raise NotFound."""
        found = await self.principals.by_id(subscriber_id)
        deleted = found is not None and found.status is PrincipalStatus.DELETED
        if found is None or found.role is not Role.SUBSCRIBER or deleted:
            raise NotFound(f"no subscriber {subscriber_id}", "id")
        return found

    async def _usable_subscriber(self, subscriber_id: str) -> Principal:
        subscriber = await self.subscriber(subscriber_id)
        if subscriber.status is PrincipalStatus.REVOKED:
            raise Conflict(f"the key of subscriber {subscriber_id} was revoked", "id")
        return subscriber

    async def change_subscriber(self, subscriber_id: str, change: SubscriberChange) -> Principal:
        """Change a subscriber's entitlements, format or quota; its next request sees it."""
        if change.format is not None:
            _check_format(change.format)
        await self.subscriber(subscriber_id)
        updated = await self.principals.update(subscriber_id, change)
        if updated is None:
            raise NotFound(f"no subscriber {subscriber_id}", "id")
        if change.quota_changed:
            self.quotas.forget(subscriber_id)
        self.access.forget(subscriber_id)
        return updated

    async def suspend(self, subscriber_id: str) -> Principal:
        """Suspend a subscriber: its key answers 401, its streams and webhooks stop."""
        await self._usable_subscriber(subscriber_id)
        await self.principals.suspend(subscriber_id)  # already suspended: nothing changes
        self.access.cut(subscriber_id)
        return await self.subscriber(subscriber_id)

    async def resume(self, subscriber_id: str) -> Principal:
        """Resume a suspended subscriber: the same key works again, webhooks carry on."""
        await self._usable_subscriber(subscriber_id)
        await self.principals.resume(subscriber_id)  # not suspended: nothing changes
        self.access.forget(subscriber_id)
        return await self.subscriber(subscriber_id)

    async def rotate_key(self, subscriber_id: str) -> CreatedKey:
        """Issue a subscriber a new key; the old one answers 401 and its streams are cut."""
        await self._usable_subscriber(subscriber_id)
        key = new_key(Role.SUBSCRIBER)
        if not await self.principals.replace_key(subscriber_id, hash_key(key)):
            raise NotFound(f"no subscriber {subscriber_id}", "id")  # deleted meanwhile
        self.access.cut(subscriber_id)
        return CreatedKey(subscriber_id, key)

    async def delete_subscriber(self, subscriber_id: str) -> None:
        """Delete a subscriber: key, webhooks, cursors and saved searches go; usage stays."""
        await self.subscriber(subscriber_id)
        if not await self.principals.delete_subscriber(subscriber_id):
            raise NotFound(f"no subscriber {subscriber_id}", "id")
        self.access.cut(subscriber_id)
        self.recorder.forget(subscriber_id)
        self.quotas.forget(subscriber_id)

    async def revoke_key(self, principal_id: str) -> None:
        """Revoke an editor's or subscriber's key; it answers 401 from then on, streams included."""
        if not await self.principals.revoke(principal_id):
            raise NotFound(f"no active key with id {principal_id}", "id")
        self.access.cut(principal_id)
