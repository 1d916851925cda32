"""Request dependencies: the runtime, and who is calling (Bearer key to principal)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from newswire.api.errors import APIError
from newswire.keys import ADMIN, hash_key, is_admin_token
from newswire.models import Principal, Role
from newswire.runtime import Runtime

_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <key>")


def get_runtime(request: Request) -> Runtime:
    """Return the runtime the app was assembled with."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def resolve_key(runtime: Runtime, key: str | None) -> Principal | None:
    """Return the principal a key belongs to, or None for a missing, unknown or revoked key."""
    if not key:
        return None
    if is_admin_token(key, runtime.admin_token):
        return ADMIN
    return await runtime.storage.principal_with_key_hash(hash_key(key))


async def get_principal(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Return the caller, or answer 401 for a missing, unknown or revoked key."""
    principal = await resolve_key(runtime, credentials.credentials if credentials else None)
    if principal is None:
        raise APIError(401, "missing, unknown or revoked API key (Authorization: Bearer <key>)")
    return principal


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """Return a dependency that lets through only the given roles (403 for the others)."""

    async def _check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if principal.role not in roles:
            allowed = " or ".join(role.value for role in roles)
            raise APIError(
                403, f"this needs the {allowed} role; your key is {principal.role.value}"
            )
        return principal

    return _check


AdminDep = Annotated[Principal, Depends(require(Role.ADMIN))]
EditorDep = Annotated[Principal, Depends(require(Role.EDITOR, Role.ADMIN))]
ReaderDep = Annotated[Principal, Depends(require(Role.SUBSCRIBER, Role.EDITOR, Role.ADMIN))]
SubscriberDep = Annotated[Principal, Depends(require(Role.SUBSCRIBER))]

FormatParam = Annotated[
    str | None,
    Query(description="Item format: ninjs2, ninjs3, newsml-g2, nitf or text (default: yours)"),
]

AUTH_ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "Missing, unknown or revoked key"},
    403: {"description": "The key's role may not do this"},
}
