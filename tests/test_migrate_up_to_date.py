"""Starting on a migrated database is cheap: one write, not one per migration.

Every node and every CLI command migrates when it starts; with some sixty
migrations, a locked write transaction each only to find them applied cost
about sixty round trips (and a test suite's worth of seconds).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from newswire.runtime import Runtime
from newswire.storage import migrations
from newswire.storage.schema_change import Migration
from newswire.storage.tables import schema_migrations

pytestmark = pytest.mark.anyio


def _count_writes(connections: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    writes: list[int] = []
    write = connections.write

    @asynccontextmanager
    async def counted() -> AsyncIterator[Any]:
        writes.append(1)
        async with write() as conn:
            yield conn

    monkeypatch.setattr(connections, "write", counted)
    return writes


async def test_migrating_a_migrated_database_applies_nothing_in_one_write(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = _count_writes(runtime.storage.connections, monkeypatch)  # type: ignore[attr-defined]
    assert await runtime.storage.migrate() == []
    assert len(writes) == 1, "only the bookkeeping table's IF NOT EXISTS"


async def test_a_new_migration_on_a_migrated_database_is_applied(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    connections = runtime.storage.connections  # type: ignore[attr-defined]
    new = Migration(99_999, "a release later", ("CREATE TABLE later_table (note TEXT)",))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, new))
    writes = _count_writes(connections, monkeypatch)
    try:
        assert await runtime.storage.migrate() == [new.version]
        assert len(writes) == 2, "the bookkeeping write and the one pending migration"
        async with connections.read() as conn:
            versions = set((await conn.scalars(sa.select(schema_migrations.c.version))).all())
            assert (await conn.execute(sa.text("SELECT count(*) FROM later_table"))).scalar() == 0
        assert versions == {migration.version for migration in migrations.MIGRATIONS}
    finally:
        # The worker's PostgreSQL schema serves the next tests: leave it as migrated.
        async with connections.write() as conn:
            await conn.execute(sa.text("DROP TABLE IF EXISTS later_table"))
            await conn.execute(
                schema_migrations.delete().where(schema_migrations.c.version == new.version)
            )
