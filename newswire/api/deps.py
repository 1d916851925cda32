"""Request dependencies: the runtime, and who is calling (Bearer key to principal)."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from newswire.accounts.keys import ADMIN, hash_key, is_admin_token
from newswire.api.errors import APIError, error_response, validation_response
from newswire.api.throttle import admit
from newswire.models.principals import Principal, Role
from newswire.runtime import Runtime

KEY_REFUSED = "missing, unknown, revoked or suspended API key (Authorization: Bearer <key>)"
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <key>")


def get_runtime(request: Request) -> Runtime:
    """Return the runtime the app was assembled with."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def resolve_key(runtime: Runtime, key: str | None) -> Principal | None:
    """Return the principal a key belongs to; None for a missing, unknown or inactive key."""
    if not key:
        return None
    if is_admin_token(key, runtime.admin_token):
        return ADMIN
    return await runtime.access.principal_for(hash_key(key))


async def get_principal(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Return the caller; answer 401 for a key that does not work, 429 over its rate limit."""
    principal = await resolve_key(runtime, credentials.credentials if credentials else None)
    if principal is None:
        refuse_unknown_key(request, runtime)
    # The one place every /v1 request is counted against its key's rate limit.
    admit(runtime, principal, request.scope)
    return principal


def refuse_unknown_key(request: Request, runtime: Runtime) -> NoReturn:
    """Answer 401 for a key that does not work; 429 once its address guessed too often."""
    address = request.client.host if request.client else "unknown"
    decision = runtime.limiter.check_unknown(address, runtime.settings.rate_limit_unknown_key)
    if decision is not None and not decision.allowed:
        retry = max(1, math.ceil(decision.retry_after))
        raise APIError(
            429,
            f"too many requests without a working key from {address}; retry in {retry} s",
            headers={"Retry-After": str(retry)},
            retry_after=retry,
        )
    raise APIError(401, KEY_REFUSED)


def needs_key(route: object) -> bool:
    """Tell whether a route asks for the caller's key (its dependencies include get_principal)."""
    dependant = getattr(route, "dependant", None)
    stack = [dependant] if dependant is not None else []
    while stack:
        current = stack.pop()
        if current.call is get_principal:
            return True
        stack.extend(current.dependencies)
    return False


def install_key_before_body(app: FastAPI) -> None:
    """Answer 401 before complaining about the body of a request that has no working key.

    FastAPI reads and validates a typed body before it runs the dependencies,
    so a request without a key but with bad JSON would learn about the body
    first. Only requests that already failed validation pay for this look-up.
    """

    @app.exception_handler(RequestValidationError)
    async def _key_first(request: Request, error: RequestValidationError) -> JSONResponse:
        if needs_key(request.scope.get("route")):
            runtime = get_runtime(request)
            sent = request.headers.get("authorization", "")
            key = sent[7:].strip() if sent[:7].lower() == "bearer " else None
            if await resolve_key(runtime, key) is None:
                try:
                    refuse_unknown_key(request, runtime)
                except APIError as refused:
                    response = error_response(refused.status, refused.message, **refused.extra)
                    response.headers.update(refused.headers)
                    return response
        return validation_response(list(error.errors()))


async def feed_url_principal(request: Request, runtime: RuntimeDep, secret: str) -> Principal:
    """Return the subscriber of a secret feed URL (404 when unknown), counted like its key."""
    principal = await runtime.feed_urls.principal_for(secret)
    admit(runtime, principal, request.scope)
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

AUTH_ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "Missing, unknown, revoked or suspended key"},
    403: {"description": "The key's role may not do this"},
    429: {"description": "Over the key's rate limit (or daily quota); see Retry-After"},
}
