"""What the desk's pages share: the renderer, who is signed in as the desk sees them, forms.

The handler modules (`pages.py`, `actions.py`, `live.py`'s stream in `events.py`)
each import this, never one another.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from newswire.desk.fields import FIELD_NAMES, LIST_FIELDS
from newswire.desk.i18n import DESK_CATALOG, SCRIPT_STRINGS
from newswire.desk.service import Desk
from newswire.identity.signin import SignedIn
from newswire.models.drafts import Staff
from newswire.models.people import PersonRole
from newswire.web.audiences import DESK
from newswire.web.i18n import Interface
from newswire.web.requests import runtime_of as runtime_of  # the handlers take it from here
from newswire.web.sessions import signed_in
from newswire.web.templating import PageRenderer

PAGES = PageRenderer(("newswire.desk",), DESK_CATALOG)


def change_name(change: str) -> str:
    """Return an event type as the desk says it: story.embargo_changed is "embargo changed"."""
    return change.removeprefix("story.").replace("_", " ")


def script_strings(t: Callable[[str], str]) -> dict[str, str]:
    """Return what the desk's JavaScript writes, in the page's language, keyed by the English."""
    return {text: t(text) for text in SCRIPT_STRINGS}


PAGES.environment.globals["change_name"] = change_name
PAGES.environment.globals["script_strings"] = script_strings
PUBLISHERS = (PersonRole.EDITOR, PersonRole.CHIEF, PersonRole.ADMIN)
# Defaults, not Annotated: the handler modules' annotations are strings.
PERSON = Depends(signed_in(DESK))
PUBLISHER = Depends(signed_in(DESK, *PUBLISHERS))
_LOCAL_MINUTE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$")


# What a page says after a change, asked for by ?notice= on the page it redirects to.
NOTICES = {
    "saved": "Saved.",
    "submitted": "Submitted to the desk.",
    "published": "Published on the wire.",
    "updated": "The update is on the wire.",
    "corrected": "The correction is on the wire.",
    "killed": "The story was killed; subscribers were told.",
    "released": "The embargo was lifted.",
    "unlocked": "Unlocked.",
    "spiked": "Spiked.",
    "restored": "Restored.",
    "moved": "Moved.",
    "template": "Saved as a template.",
    "picture": "The story's pictures are saved.",
    "stages": "The stages are saved.",
    "desk": "The desk is added.",
    "column": "The monitoring view's columns are saved.",
    "sections": "The sections are saved.",
    "deleted": "The template is deleted.",
}


def notice_text(ui: Interface, notice: str) -> str:
    """Return the notice a ?notice= names, in the page's language (none for an unknown one)."""
    return ui(NOTICES[notice]) if notice in NOTICES else ""


def desk_page(
    request: Request, signed: SignedIn, template: str, status: int = 200, **context: Any
) -> Response:
    """Render one of the desk's templates for the signed-in person."""
    return PAGES.render(request, template, DESK, signed_in=signed, status=status, **context)


def desk_of(request: Request) -> Desk:
    """Return the desk service."""
    return runtime_of(request).desk


def staff_of(signed: SignedIn) -> Staff:
    """Return the signed-in person as the desk's rules see them."""
    role = signed.person.role
    return Staff(
        signed.principal.id,
        signed.person.name,
        may_publish=role in PUBLISHERS,
        is_chief=role is PersonRole.CHIEF,
    )


def embargo_field(value: str) -> str:
    """Return a datetime-local value (minutes, no zone) as a UTC time the gate accepts."""
    value = value.strip()
    return value + ":00Z" if _LOCAL_MINUTE.match(value) else value


def fields_from_form(form: FormData) -> dict[str, Any]:
    """Return the editor's fields from a submitted form (absent checkboxes are false)."""
    fields: dict[str, Any] = {}
    for name in FIELD_NAMES:
        if name in LIST_FIELDS:
            values = [str(value) for value in form.getlist(name)]
            if len(values) == 1 and "," in values[0]:
                values = values[0].split(",")
            fields[name] = [value.strip() for value in values if value.strip()]
        elif name == "public":
            fields[name] = form.get("public") in ("on", "true", "1")
        elif name == "media":
            continue  # changed by the editor's picture forms (pictures.py), never typed
        elif name in form:
            fields[name] = str(form.get(name, ""))
    if "embargoed_until" in fields:
        fields["embargoed_until"] = embargo_field(str(fields["embargoed_until"]))
    return fields


def fields_from_json(given: dict[str, Any]) -> dict[str, Any]:
    """Return the editor's fields from an autosave's JSON (the same names as the form)."""
    fields = {name: value for name, value in given.items() if name in FIELD_NAMES}
    if isinstance(fields.get("embargoed_until"), str):
        fields["embargoed_until"] = embargo_field(fields["embargoed_until"])
    return fields
