"""Story templates and the desk's stages in SQL (the desk's `DeskConfigStore`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newswire.models.drafts import Template
from newswire.storage.connections import Connections
from newswire.storage.rows import db_time, from_row, row_values
from newswire.storage.tables_desk import desk_settings, desk_templates

STAGES = "stages"
SECTIONS = "sections"
DESKS = "desks"
COLUMNS = "columns"


class SQLDeskConfigStore:
    """Templates in `desk_templates`; desks, stages and sections as rows of `desk_settings`."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def add_template(self, template: Template, created_by_id: str) -> None:
        """Store a new template."""
        async with self._db.write() as conn:
            await conn.execute(
                desk_templates.insert().values(
                    row_values(
                        template,
                        leave_out=["created_by"],
                        fields=json.dumps(template.fields, ensure_ascii=False),
                        created_by_id=created_by_id,
                        created_by_name=template.created_by,
                    )
                )
            )

    async def templates(self) -> list[Template]:
        """Return every template, by name."""
        query = sa.select(desk_templates).order_by(desk_templates.c.name, desk_templates.c.id)
        return [_template(row) for row in await self._db.fetch_all(query)]

    async def template(self, template_id: str) -> Template | None:
        """Return one template."""
        query = sa.select(desk_templates).where(desk_templates.c.id == template_id)
        row = await self._db.fetch_one(query)
        return _template(row) if row else None

    async def delete_template(self, template_id: str) -> bool:
        """Delete a template; tell whether there was one."""
        return await self._db.delete(desk_templates, desk_templates.c.id == template_id) > 0

    async def stages(self, desk: str = "") -> tuple[str, ...] | None:
        """Return the stages a chief set for a desk ("" the default one), or None when never set."""
        return await self._names(f"{STAGES}:{desk}" if desk else STAGES)

    async def set_stages(self, desk: str, stages: tuple[str, ...], by: str, at: datetime) -> None:
        """Store a desk's stages ("" the default desk)."""
        await self._set_names(f"{STAGES}:{desk}" if desk else STAGES, stages, by, at)

    async def desks(self) -> tuple[str, ...] | None:
        """Return the desks chiefs added beside the default one, or None when none ever was."""
        return await self._names(DESKS)

    async def set_desks(self, desks: tuple[str, ...], by: str, at: datetime) -> None:
        """Store the desks beside the default one."""
        await self._set_names(DESKS, desks, by, at)

    async def search_columns(self, desk: str = "") -> list[dict[str, str]]:
        """Return a desk's saved-search columns ("" the default desk), in order."""
        return list(await self._value(f"{COLUMNS}:{desk}" if desk else COLUMNS) or [])

    async def set_search_columns(
        self, desk: str, columns: list[dict[str, str]], by: str, at: datetime
    ) -> None:
        """Store a desk's saved-search columns."""
        await self._set_value(f"{COLUMNS}:{desk}" if desk else COLUMNS, columns, by, at)

    async def sections(self) -> tuple[str, ...] | None:
        """Return the section vocabulary a chief set (maybe empty), or None when never set."""
        return await self._names(SECTIONS)

    async def set_sections(self, sections: tuple[str, ...], by: str, at: datetime) -> None:
        """Store the agency's section vocabulary."""
        await self._set_names(SECTIONS, sections, by, at)

    async def _names(self, setting: str) -> tuple[str, ...] | None:
        value = await self._value(setting)
        return None if value is None else tuple(value)

    async def _set_names(self, setting: str, names: tuple[str, ...], by: str, at: datetime) -> None:
        await self._set_value(setting, list(names), by, at)

    async def _value(self, setting: str) -> Any:
        query = sa.select(desk_settings.c.value).where(desk_settings.c.name == setting)
        async with self._db.read() as conn:
            value = await conn.scalar(query)
        return None if value is None else json.loads(value)

    async def _set_value(self, setting: str, value: Any, by: str, at: datetime) -> None:
        async with self._db.write() as conn:
            await conn.execute(desk_settings.delete().where(desk_settings.c.name == setting))
            await conn.execute(
                desk_settings.insert().values(
                    name=setting,
                    value=json.dumps(value, ensure_ascii=False),
                    changed_by=by,
                    changed_at=db_time(at),
                )
            )


def _template(row: Mapping[Any, Any]) -> Template:
    return from_row(
        Template, row, fields=json.loads(row["fields"]), created_by=row["created_by_name"]
    )
