"""Leader election for singleton jobs (fetch scheduler, edition builder) across replicas."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# Advisory lock keys, one per singleton job.
FETCH_SCHEDULER_LOCK = 0x6465766F  # "devo"
EDITION_BUILDER_LOCK = 0x64657670  # "devp"


class LeaderLock:
    """Leader election through a PostgreSQL session advisory lock.

    The lock lives on one dedicated connection: if the leader process dies, PostgreSQL closes
    its session and releases the lock, and the next ``try_acquire`` of another replica wins.
    On SQLite (embedded mode, one process) this replica is always the leader.
    """

    def __init__(self, engine: AsyncEngine, key: int = FETCH_SCHEDULER_LOCK) -> None:
        self._engine = engine
        self._key = key
        self._connection: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        """True while this replica leads; checks its connection is still alive each time."""
        if self._engine.dialect.name != "postgresql":
            return True
        if self._connection is not None:
            try:
                await self._connection.execute(text("select 1"))
                return True
            except Exception:  # the session is gone, and the lock with it
                await self.release()
        connection = await self._engine.connect()
        try:
            got = (
                await connection.execute(text("select pg_try_advisory_lock(:k)"), {"k": self._key})
            ).scalar()
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if got:
            self._connection = connection
            return True
        await connection.close()
        return False

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await connection.execute(text("select pg_advisory_unlock(:k)"), {"k": self._key})
            await connection.commit()
        except Exception:
            pass  # a dead session already released it
        finally:
            await connection.close()
