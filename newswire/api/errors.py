"""One shape for every error the API returns, and the handlers that produce it.

    {"error": {"status": 422, "message": "...", "field": "headline", "details": [...]}}

`field` names the offending input (a dotted path for nested JSON) whenever
there is one, so a client can show the message next to the right field.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from newswire.delivery.formats import UnknownFormat
from newswire.delivery.withdrawn import Withdrawn
from newswire.models.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    Malformed,
    NotFound,
    QuotaExhausted,
    TooLarge,
    TooManyAttempts,
    Unauthorized,
    Unsupported,
)
from newswire.newsroom.bodies import html_paragraphs
from newswire.newsroom.filing import NotEmbargoed, StoryKilled, StoryNotFound
from newswire.storage import Unavailable, VersionConflict

# The status each kind of domain refusal gets (the most specific class wins).
DOMAIN_STATUS: dict[type[DomainError], int] = {
    Malformed: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Unsupported: 415,
    Invalid: 422,
    QuotaExhausted: 429,
    TooManyAttempts: 429,
}


class APIError(Exception):
    """An error to answer with: HTTP status, message and, when known, the field at fault.

    `headers` go on the response (such as `Retry-After` on a 429).
    """

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.headers = headers or {}
        self.extra = extra


def error_body(status: int, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    """Return the JSON body of an error response."""
    error: dict[str, Any] = {"status": status, "message": message}
    if field is not None:
        error["field"] = field
    error.update(extra)
    return {"error": error}


def error_response(
    status: int, message: str, field: str | None = None, **extra: Any
) -> JSONResponse:
    """Return an error response in the API's one error shape."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        error_body(status, message, field, **extra), status_code=status, headers=headers
    )


def domain_status(error: DomainError) -> int:
    """Return the HTTP status of a domain refusal."""
    for kind in type(error).__mro__:
        if kind in DOMAIN_STATUS:
            return DOMAIN_STATUS[kind]
    return 400


def domain_response(error: DomainError) -> JSONResponse:
    """Answer a domain refusal in the one error shape, with Retry-After where it applies."""
    status = domain_status(error)
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(error, QuotaExhausted):
        extra = {"retry_after": error.retry_after, "resets_at": iso_utc(error.resets_at)}
        headers["Retry-After"] = str(error.retry_after)
    elif isinstance(error, TooManyAttempts):
        extra = {"retry_after": error.retry_after}
        headers["Retry-After"] = str(error.retry_after)
    response = error_response(status, error.message, error.field, **extra)
    response.headers.update(headers)
    return response


def iso_utc(value: Any) -> str:
    """Return a datetime as ISO 8601 with a Z for UTC."""
    return str(value.isoformat()).replace("+00:00", "Z")


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def validation_details(errors: list[Any]) -> list[dict[str, str]]:
    """Turn pydantic errors into [{"field", "message"}], the messages made readable."""
    details = []
    for error in errors:
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        details.append({"field": _location(error.get("loc", ())), "message": message})
    return details


def validation_response(errors: list[Any]) -> JSONResponse:
    """Answer 422 naming the first invalid field and listing all of them."""
    details = validation_details(errors)
    first = details[0] if details else {"field": "body", "message": "invalid request"}
    return error_response(
        422, f"{first['field']}: {first['message']}", first["field"], details=details
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """Return the Allow header of a path: each method some route fully matches it with."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    return ", ".join(allowed)


def install_error_handlers(app: FastAPI) -> None:
    """Make every error, ours or the framework's, answer in the one error shape."""

    @app.exception_handler(APIError)
    async def _api_error(_request: Request, error: APIError) -> JSONResponse:
        response = error_response(error.status, error.message, error.field, **error.extra)
        response.headers.update(error.headers)
        return response

    @app.exception_handler(DomainError)
    async def _domain(_request: Request, error: DomainError) -> JSONResponse:
        return domain_response(error)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        return validation_response(list(error.errors()))

    @app.exception_handler(ValidationError)
    async def _model_validation(_request: Request, error: ValidationError) -> JSONResponse:
        return validation_response(list(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        response = error_response(error.status_code, str(error.detail))
        response.headers.update(error.headers or {})
        if error.status_code == 405:
            response.headers["Allow"] = allowed_methods(request)
        return response

    @app.exception_handler(Withdrawn)
    async def _withdrawn(_request: Request, error: Withdrawn) -> JSONResponse:
        # 410 Gone with the kill notice: the reason and the kill version to fetch instead.
        kill = error.kill
        return error_response(
            410,
            error.message,
            error.field,
            reason=kill.ednote,
            notice=html_paragraphs(kill.body_html),
            killed_version=kill.version,
            href=f"/v1/stories/{kill.story_id}",
        )

    @app.exception_handler(StoryNotFound)
    async def _not_found(_request: Request, error: StoryNotFound) -> JSONResponse:
        return error_response(404, f"no story {error}", "id")

    @app.exception_handler(StoryKilled)
    async def _killed(_request: Request, error: StoryKilled) -> JSONResponse:
        return error_response(409, str(error), "id")

    @app.exception_handler(NotEmbargoed)
    async def _not_embargoed(_request: Request, error: NotEmbargoed) -> JSONResponse:
        return error_response(409, str(error), "embargoed_until")

    @app.exception_handler(VersionConflict)
    async def _conflict(_request: Request, error: VersionConflict) -> JSONResponse:
        return error_response(409, str(error))

    @app.exception_handler(UnknownFormat)
    async def _unknown_format(_request: Request, error: UnknownFormat) -> JSONResponse:
        return error_response(406, str(error), "format", known=error.known)

    @app.exception_handler(Unavailable)
    async def _unavailable(_request: Request, error: Unavailable) -> JSONResponse:
        response = error_response(503, "the database is unavailable; nothing was written, retry")
        response.headers["Retry-After"] = "2"
        return response
