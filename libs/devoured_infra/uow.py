"""Unit of work: one transaction and the repositories bound to it; each service builds its own
on ``UnitOfWorkBase`` (``devoured_<service>/uow.py``), with its repositories only.

Leaving the ``async with`` block without ``commit()`` rolls back, so a handler that fails half
way writes nothing. What a handler emits goes into ``outbox`` in the same transaction, so its
messages exist exactly when its state does.

Inside ``shared_transaction`` (the Kafka transport's batches, ``devoured_infra.pump``) every
unit of work of that sessionmaker joins one transaction instead: ``commit()`` only marks its
part done and the batch commits once, after its last record. A unit of work that fails there
fails the whole batch, which the transport then handles record by record as before; one that
wrote and left without ``commit()`` (a rollback it relies on) raises ``NeedsOwnTransaction``,
so the batch is handled record by record too.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState

from devoured_infra.repositories.outbox import OutboxRepository


class NeedsOwnTransaction(Exception):
    """A unit of work in a shared transaction wrote, then left without ``commit()``: only a
    transaction of its own can take those writes back."""


@dataclass
class _Shared:
    sessions: async_sessionmaker[AsyncSession]
    session: AsyncSession
    writes: int = 0


_SHARED: ContextVar[_Shared | None] = ContextVar("devoured_shared_transaction", default=None)


@asynccontextmanager
async def shared_transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[None]:
    """One transaction for every unit of work of ``sessions`` opened inside the block; it
    commits when the block ends normally and rolls back when it raises."""
    async with sessions() as session:
        shared = _Shared(sessions, session)

        def count_writes(state: ORMExecuteState) -> None:
            if state.is_insert or state.is_update or state.is_delete:
                shared.writes += 1

        event.listen(session.sync_session, "do_orm_execute", count_writes)
        token = _SHARED.set(shared)
        try:
            async with session.begin():
                yield
        finally:
            _SHARED.reset(token)


class UnitOfWorkBase:
    """The base of every service's unit of work: a fresh session per ``async with``, the
    service's outbox bound to it, and the service's own repositories, which a subclass binds
    to the same session in ``bind``. A handler given a service's unit of work can reach only
    that service's tables (and the outbox)."""

    outbox: OutboxRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, service: str) -> None:
        self._sessions = sessions
        self._service = service
        self._shared: _Shared | None = None

    def bind(self, session: AsyncSession) -> None:
        """Attach the service's repositories to ``session``."""

    async def __aenter__(self) -> Self:
        shared = _SHARED.get()
        self._shared = shared if shared is not None and shared.sessions is self._sessions else None
        if self._shared is not None:
            self._session = self._shared.session
            self._writes_before = self._shared.writes
            self._committed = False
        else:
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
        shared, self._shared = self._shared, None
        if shared is None:
            await self._session.rollback()
            await self._session.close()
        elif exc is None and not self._committed and shared.writes != self._writes_before:
            raise NeedsOwnTransaction(f"{type(self).__name__} wrote, then left without commit()")

    async def read_only(self) -> None:
        """Declare that this unit of work only reads: its statements then run outside a
        transaction (autocommit), which saves the BEGIN and ROLLBACK round trips, and each sees
        the data committed when it runs. Inside a shared transaction it reads in that one."""
        if self._shared is None:
            await self._session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    async def commit(self) -> None:
        if self._shared is None:
            await self._session.commit()
        else:
            # Its part of the batch is done; ORM objects added to the session are written now,
            # so a later unit of work in the batch reads them as the next transaction would.
            await self._session.flush()
            self._committed = True
