"""Versioned schema migrations, one ordered list for SQLite and PostgreSQL.

Each migration is a list of SQL statements written in the portable subset of
both dialects; the few differences (auto-increment keys, full-text search) are
marked with a dialect name. A migration may end with a data step (building the
search index from the stories already filed, say), which runs in the same
transaction as its statements: a crash leaves either both or neither. Applied
migrations are recorded in `schema_migrations` in that transaction too, so
running `migrate` twice is harmless. Never edit a migration that has shipped:
add a new one.

Each area keeps its list in `migrations_<area>.py` within its own range of
version numbers; this module joins them and applies them in version order.
"""

from __future__ import annotations

import sqlalchemy as sa

from newswire.models.clock import Clock
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.migrations_core import CORE_MIGRATIONS
from newswire.storage.migrations_desk import DESK_MIGRATIONS
from newswire.storage.migrations_hardening import HARDENING_MIGRATIONS
from newswire.storage.migrations_identity import IDENTITY_MIGRATIONS
from newswire.storage.migrations_media import MEDIA_MIGRATIONS
from newswire.storage.migrations_portal import PORTAL_MIGRATIONS
from newswire.storage.schema_change import DataStep, Migration
from newswire.storage.tables import schema_migrations

__all__ = ["MIGRATIONS", "DataStep", "Migration", "apply_migrations"]

MIGRATIONS: tuple[Migration, ...] = (
    *CORE_MIGRATIONS,
    *IDENTITY_MIGRATIONS,
    *PORTAL_MIGRATIONS,
    *DESK_MIGRATIONS,
    *MEDIA_MIGRATIONS,
    *HARDENING_MIGRATIONS,
)

BOOKKEEPING = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


async def apply_migrations(db: Connections, clock: Clock) -> list[int]:
    """Apply pending migrations in order, each in its own transaction; return those applied.

    Each transaction first takes the dialect's migration lock, so several nodes
    starting at once apply each migration exactly once.
    """
    async with db.write() as conn:
        # Two concurrent `CREATE TABLE IF NOT EXISTS` can both try to create the
        # table on PostgreSQL; create it under the lock.
        await db.lock_for_migrations(conn)
        await conn.execute(sa.text(BOOKKEEPING))
    # One read finds what is already applied: a node starting on a migrated database
    # then opens no migration transaction at all (one per migration cost ~60 round
    # trips). What looks pending is checked again under the lock, for concurrent nodes.
    async with db.read() as conn:
        recorded = set((await conn.scalars(sa.select(schema_migrations.c.version))).all())
    applied: list[int] = []
    for migration in sorted(MIGRATIONS, key=lambda m: m.version):
        if migration.version in recorded:
            continue
        async with db.write() as conn:
            await db.lock_for_migrations(conn)
            done = await conn.scalar(
                sa.select(schema_migrations.c.version).where(
                    schema_migrations.c.version == migration.version
                )
            )
            if done is not None:
                continue
            for statement in migration.statements_for(db.dialect):
                await conn.execute(sa.text(statement))
            if migration.data is not None:
                await migration.data(conn, db.text_index)
            await conn.execute(
                schema_migrations.insert().values(
                    version=migration.version,
                    name=migration.name,
                    applied_at=rows.db_time(clock()),
                )
            )
            applied.append(migration.version)
    return applied
