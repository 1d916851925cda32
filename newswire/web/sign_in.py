"""Sign-in, sign-out, set-password and account pages, the same for the desk and the portal.

Each area (`audiences.py`) gets the same routes under its prefix:

    GET  /desk/sign-in                   the form: Email, Password, Sign in
    POST /desk/sign-in                   start a session; 401 wrong, 422 a field, 429 throttled
    POST /desk/sign-out                  end this browser's session
    POST /desk/sign-out-everywhere       end every session of the person
    GET  /desk/set-password/{token}      the one-time link's form
    POST /desk/set-password/{token}      set the password (the link is spent)
    GET  /desk/account                   who is signed in, their sessions
    POST /desk/account/language          change the interface language

(and the same under /portal). Each handler decodes the form, calls one
domain operation and answers; refusals come back as the form again, with the
message beside the field at fault.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from newswire.identity.signin import SignedIn
from newswire.models.errors import DomainError, Invalid, NotFound, TooManyAttempts
from newswire.web.audiences import AUDIENCES, WebAudience
from newswire.web.csrf import CsrfRefused, check_form_token, form_token_of, set_form_cookie
from newswire.web.requests import runtime_of
from newswire.web.sessions import (
    clear_session_cookie,
    cookie_secure,
    current_session,
    set_session_cookie,
    signed_in,
)
from newswire.web.templating import PageRenderer

PAGES = PageRenderer()
WRONG = "Wrong email or password."
LINK_REFUSED = "This link has expired or was already used. Ask your administrator for a new one."
# What a sign-in page may say on arrival (?notice=...): fixed texts, never the query's.
NOTICES = {
    "signed-out": "You signed out.",
    "signed-out-everywhere": "You signed out on every device.",
    "password-set": "Your password is set. Sign in with it.",
    "ended": "Your session ended. Sign in again.",
}
HEADINGS = {"/desk": "Sign in to the newsroom desk", "/portal": "Sign in to the subscriber portal"}

FormText = Annotated[str, Form()]


def _client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def safe_next(area: WebAudience, wanted: str) -> str:
    """Return where to go after signing in: a page of this area, else its home."""
    if (
        wanted
        and area.is_own_path(wanted.split("?")[0])
        and not wanted.startswith(area.sign_in_path)
    ):
        return wanted
    return area.home


def _form_page(
    request: Request,
    area: WebAudience,
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    token = form_token_of(request)
    response = PAGES.render(
        request, template, area, form_token=token, status=status, headers=headers, **context
    )
    set_form_cookie(response, token, cookie_secure(request))
    return response


def area_router(area: WebAudience) -> APIRouter:
    """Return the sign-in, sign-out, set-password and account routes of one area."""
    router = APIRouter(prefix=area.prefix, include_in_schema=False)
    # A default, not Annotated: annotations are strings here, resolved in module scope.
    person = Depends(signed_in(area))

    def sign_in_form(
        request: Request,
        *,
        status: int = 200,
        email: str = "",
        next_path: str = "",
        problem: str = "",
        errors: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        notice: str = "",
    ) -> Response:
        return _form_page(
            request,
            area,
            "people/sign_in.html",
            status,
            headers,
            heading=HEADINGS[area.prefix],
            email=email,
            next=next_path,
            problem=problem,
            errors=errors or {},
            notice=notice,
        )

    @router.get("/sign-in")
    async def sign_in_page(request: Request, next: str = "", notice: str = "") -> Response:
        """Show the sign-in form (or go on, when already signed in)."""
        if await current_session(request, area) is not None:
            return RedirectResponse(safe_next(area, next), status_code=303)
        return sign_in_form(request, next_path=next, notice=NOTICES.get(notice, ""))

    @router.post("/sign-in")
    async def sign_in(
        request: Request, email: FormText = "", password: FormText = "", next: FormText = ""
    ) -> Response:
        """Check the email and password; start a session and go on, or say what is wrong."""
        runtime = runtime_of(request)
        ui = PAGES.interface(request)
        try:
            await check_form_token(request, runtime.settings.base_url)
        except CsrfRefused as error:
            return sign_in_form(
                request, status=403, email=email, next_path=next, problem=ui(str(error))
            )
        try:
            started = await runtime.sign_in.sign_in(
                area.audience,
                email,
                password,
                _client_address(request),
                request.headers.get("user-agent", ""),
            )
        except Invalid as error:
            return sign_in_form(
                request,
                status=422,
                email=email,
                next_path=next,
                errors={error.field or "email": error.message},
            )
        except TooManyAttempts as error:
            minutes = max(1, -(-error.retry_after // 60))
            return sign_in_form(
                request,
                status=429,
                email=email,
                next_path=next,
                problem=ui(
                    "Too many failed sign-ins. Try again in {minutes} minutes.", minutes=minutes
                ),
                headers={"Retry-After": str(error.retry_after)},
            )
        except DomainError:  # wrong password, unknown address, account not active: one answer
            return sign_in_form(request, status=401, email=email, next_path=next, problem=ui(WRONG))
        response = RedirectResponse(safe_next(area, next), status_code=303)
        set_session_cookie(response, request, area, started.token)
        return response

    @router.post("/sign-out")
    async def sign_out(request: Request, signed: SignedIn = person) -> Response:
        """End this browser's session."""
        await runtime_of(request).sign_in.sign_out(signed)
        response = RedirectResponse(f"{area.sign_in_path}?notice=signed-out", status_code=303)
        clear_session_cookie(response, request, area)
        return response

    @router.post("/sign-out-everywhere")
    async def sign_out_everywhere(request: Request, signed: SignedIn = person) -> Response:
        """End every session of the signed-in person, on every device."""
        await runtime_of(request).sign_in.sign_out_everywhere(signed.person.id)
        response = RedirectResponse(
            f"{area.sign_in_path}?notice=signed-out-everywhere", status_code=303
        )
        clear_session_cookie(response, request, area)
        return response

    def set_password_form(
        request: Request,
        token: str,
        *,
        status: int = 200,
        person_for: object = None,
        problem: str = "",
        errors: dict[str, str] | None = None,
    ) -> Response:
        return _form_page(
            request,
            area,
            "people/set_password.html",
            status,
            None,
            person=person_for,
            action=f"{area.set_password_path}{token}",
            problem=problem,
            errors=errors or {},
            min_length=runtime_of(request).passwords.min_length,
        )

    @router.get("/set-password/{token}")
    async def set_password_page(request: Request, token: str) -> Response:
        """Show the form of a one-time set-password link (reading it spends nothing)."""
        ui = PAGES.interface(request)
        try:
            found = await runtime_of(request).password_links.person_for(token)
        except NotFound:
            found = None
        if found is None or found.audience is not area.audience:
            return set_password_form(request, token, status=404, problem=ui(LINK_REFUSED))
        return set_password_form(request, token, person_for=found)

    @router.post("/set-password/{token}")
    async def set_password(
        request: Request, token: str, password: FormText = "", repeat: FormText = ""
    ) -> Response:
        """Set the password with a one-time link, then go to the sign-in page."""
        runtime = runtime_of(request)
        ui = PAGES.interface(request)
        links = runtime.password_links
        found = None
        try:
            await check_form_token(request, runtime.settings.base_url)
            found = await links.person_for(token)
            if found.audience is not area.audience:
                raise NotFound(LINK_REFUSED, "token")
            await links.set_password(token, password, repeat)
        except CsrfRefused as error:
            return set_password_form(request, token, status=403, problem=ui(str(error)))
        except NotFound:
            return set_password_form(request, token, status=404, problem=ui(LINK_REFUSED))
        except Invalid as error:
            return set_password_form(
                request,
                token,
                status=422,
                person_for=found,
                errors={error.field or "password": error.message},
            )
        return RedirectResponse(f"{area.sign_in_path}?notice=password-set", status_code=303)

    @router.get("/account")
    async def account(request: Request, signed: SignedIn = person) -> Response:
        """Show who is signed in and their sessions."""
        sessions = await runtime_of(request).sign_in.sessions_of(signed.person.id)
        return PAGES.render(
            request, "people/account.html", area, signed_in=signed, sessions=sessions
        )

    @router.post("/account/language")
    async def change_language(
        request: Request, language: FormText = "", signed: SignedIn = person
    ) -> Response:
        """Change the signed-in person's interface language."""
        await runtime_of(request).people.set_language(signed.person, language)
        return RedirectResponse(f"{area.prefix}/account", status_code=303)

    return router


router = APIRouter()
for _area in AUDIENCES:
    router.include_router(area_router(_area))
