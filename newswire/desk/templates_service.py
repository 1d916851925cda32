"""Story templates: a chief saves a story's fields under a name; anyone starts a story from it."""

from __future__ import annotations

import secrets

from newswire.desk.desks import DESK
from newswire.desk.fields import clean_fields
from newswire.desk.service import Desk
from newswire.models.clock import Clock
from newswire.models.drafts import Draft, Staff, Template
from newswire.models.errors import Forbidden, Invalid, NotFound
from newswire.storage.desk_interfaces import DeskConfigStore

MAX_NAME = 80
# What a template keeps of a story: its shape, not its news (no headline, no text).
KEPT = ("slugline", "byline", "dateline", "categories", "subjects", "urgency", "language",
        "genre", "public", "summary", "body", "ednote")  # fmt: skip


class Templates:
    """Templates of stories, stored with the desk's configuration."""

    def __init__(self, config: DeskConfigStore, desk: Desk, clock: Clock) -> None:
        self._config = config
        self._desk = desk
        self._clock = clock

    async def all(self) -> list[Template]:
        """Return every template, by name."""
        return await self._config.templates()

    async def save_draft_as(self, draft_id: str, name: str, staff: Staff) -> Template:
        """Save a draft's fields as a template called `name` (a chief)."""
        if not staff.is_chief:
            raise Forbidden("only a chief may make templates", "template")
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise Invalid(f"a template's name has 1 to {MAX_NAME} characters", "name")
        draft = await self._desk.get(draft_id)
        fields = {key: value for key, value in draft.fields.items() if key in KEPT}
        template = Template(secrets.token_hex(8), name, fields, staff.name, self._clock())
        await self._config.add_template(template, staff.id)
        return template

    async def start(self, template_id: str, staff: Staff, desk: str = DESK) -> Draft:
        """Start a story for a desk from a template, in the person's own drafts."""
        template = await self._config.template(template_id)
        if template is None:
            raise NotFound(f"no template {template_id}", "template")
        return await self._desk.create(staff, clean_fields(template.fields), desk)

    async def delete(self, template_id: str, staff: Staff) -> None:
        """Delete a template (a chief)."""
        if not staff.is_chief:
            raise Forbidden("only a chief may delete templates", "template")
        if not await self._config.delete_template(template_id):
            raise NotFound(f"no template {template_id}", "template")
