"""The declared tables (`storage/tables.py`) are what the migrations build, on both dialects.

Queries are written against the declarations; the database is made by the
migrations. Two copies of one schema drift unless a test compares them.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from newswire.runtime import Runtime
from newswire.storage import migrations
from newswire.storage.tables import metadata

# Tables each engine's text index keeps for itself (text_index.py names them with sa.table).
ENGINE_TABLES = {"search_fts", "search_documents"}


def _is_engine_table(name: str) -> bool:
    return name in ENGINE_TABLES or name.startswith("search_fts_")


def _migrated(sync: Any) -> dict[str, tuple[set[str], set[str]]]:
    inspector = sa.inspect(sync)
    return {
        table: (
            {column["name"] for column in inspector.get_columns(table)},
            set(inspector.get_pk_constraint(table)["constrained_columns"]),
        )
        for table in inspector.get_table_names()
        if not _is_engine_table(table)
    }


def _declared() -> dict[str, tuple[set[str], set[str]]]:
    return {
        table.name: ({column.name for column in table.columns}, {c.name for c in table.primary_key})
        for table in metadata.sorted_tables
    }


@pytest.mark.anyio
async def test_the_declared_tables_are_the_migrated_schema(runtime: Runtime) -> None:
    connections = runtime.storage.connections  # type: ignore[attr-defined]
    async with connections.read() as conn:
        migrated = await conn.run_sync(_migrated)
    assert migrated == _declared()


@pytest.mark.anyio
async def test_a_failing_data_step_leaves_its_migration_unapplied_and_its_tables_absent(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data step runs in its migration's transaction: a crash leaves neither half."""
    connections = runtime.storage.connections  # type: ignore[attr-defined]
    async with connections.write() as conn:
        # Pretend the database stopped before migration 8.
        await conn.execute(sa.text("DELETE FROM schema_migrations WHERE version >= 8"))
    failing = migrations.Migration(
        8,
        "public words, with a data step that fails half way",
        ("CREATE TABLE half_done (id INTEGER PRIMARY KEY)",),
        data=_fail_after_writing,
    )
    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        tuple(failing if m.version == 8 else m for m in migrations.MIGRATIONS if m.version <= 8),
    )
    with pytest.raises(RuntimeError, match="data step failed"):
        await runtime.storage.migrate()
    async with connections.read() as conn:
        applied = set(
            (await conn.execute(sa.text("SELECT version FROM schema_migrations"))).scalars()
        )
        tables = await conn.run_sync(lambda sync: set(sa.inspect(sync).get_table_names()))
    assert 8 not in applied, "the migration is not recorded"
    assert "half_done" not in tables, "its statements were rolled back with the data step"
    assert 7 in applied, "the migrations before it stayed applied"


async def _fail_after_writing(conn: Any, _index: Any) -> None:
    await conn.execute(sa.text("INSERT INTO half_done (id) VALUES (1)"))
    raise RuntimeError("data step failed")
