"""Unit of work: one transaction and the repositories bound to it; each service builds its own
on ``UnitOfWorkBase`` (``devoured_<service>/uow.py``), with its repositories only.

Leaving the ``async with`` block without ``commit()`` rolls back, so a handler that fails half
way writes nothing. What a handler emits goes into ``outbox`` in the same transaction, so its
messages exist exactly when its state does.
"""

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devoured_infra.repositories.outbox import OutboxRepository


class UnitOfWorkBase:
    """The base of every service's unit of work: a fresh session per ``async with``, the
    service's outbox bound to it, and the service's own repositories, which a subclass binds
    to the same session in ``bind``. A handler given a service's unit of work can reach only
    that service's tables (and the outbox)."""

    outbox: OutboxRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, service: str) -> None:
        self._sessions = sessions
        self._service = service

    def bind(self, session: AsyncSession) -> None:
        """Attach the service's repositories to ``session``."""

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        self.outbox = OutboxRepository(self._session, self._service)
        self.bind(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.rollback()
        await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()
