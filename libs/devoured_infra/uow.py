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

``GroupCommit`` is the same shared session for handlers that run at once (a stage that waits
on the network, the fetcher): their units of work take turns on the session (a lock), and
the group commits every so often, whatever is still running; see ``pump`` for who is done
when. After any unit of work fails in it, the transaction is lost: every later unit of work
raises ``TransactionLost`` until the group rolls back.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState

from devoured_infra.repositories.outbox import OutboxRepository


class TransactionLost(Exception):
    """A unit of work of the group failed, so its shared transaction will be rolled back; the
    records handled in it are handled again, one at a time."""


class NeedsOwnTransaction(Exception):
    """A unit of work in a shared transaction wrote, then left without ``commit()``: only a
    transaction of its own can take those writes back."""


@dataclass
class _Shared:
    sessions: async_sessionmaker[AsyncSession]
    session: AsyncSession
    writes: int = 0
    # Units of work of handlers running at once take turns on the session (GroupCommit).
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    holder: "asyncio.Task[object] | None" = None
    lost: BaseException | None = None

    @classmethod
    def of(cls, sessions: async_sessionmaker[AsyncSession], session: AsyncSession) -> "_Shared":
        """``session`` shared, its writes counted (``NeedsOwnTransaction`` compares them)."""
        shared = cls(sessions, session)

        def count_writes(state: ORMExecuteState) -> None:
            if state.is_insert or state.is_update or state.is_delete:
                shared.writes += 1

        event.listen(session.sync_session, "do_orm_execute", count_writes)
        return shared

    async def take_turn(self) -> bool:
        """Wait for the session; False when this task has it already (a nested unit of work)."""
        task = asyncio.current_task()
        if self.holder is not None and self.holder is task:
            return False
        await self.turn.acquire()
        self.holder = task
        if self.lost is not None:
            self.give_turn()
            raise TransactionLost(f"the shared transaction failed: {self.lost!r}"[:300])
        return True

    def give_turn(self) -> None:
        self.holder = None
        self.turn.release()


T = TypeVar("T")

_SHARED: ContextVar[_Shared | None] = ContextVar("devoured_shared_transaction", default=None)


@asynccontextmanager
async def shared_transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[None]:
    """One transaction for every unit of work of ``sessions`` opened inside the block; it
    commits when the block ends normally and rolls back when it raises."""
    async with sessions() as session:
        token = _SHARED.set(_Shared.of(sessions, session))
        try:
            async with session.begin():
                yield
        finally:
            _SHARED.reset(token)


class GroupCommit:
    """One session shared by the units of work of handlers running at once, committed by
    ``commit`` whenever the caller chooses (``async with GroupCommit(sessions) as group``).
    A transaction spans one ``commit`` to the next, not a handler's network waits."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        self._shared = _Shared.of(self._sessions, self._session)
        self._token = _SHARED.set(self._shared)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _SHARED.reset(self._token)
        try:
            await self._session.rollback()  # what no ``commit`` took
        finally:
            await self._session.close()

    @property
    def lost(self) -> bool:
        """Whether a unit of work failed since the last ``commit``: the transaction is lost."""
        return self._shared.lost is not None

    async def commit(self, before: Callable[[], T]) -> T:
        """Commit what every unit of work finished so far. ``before`` runs once no unit of
        work is running, just before the commit (to note who is done); its result is
        returned. Raises ``TransactionLost`` if a unit of work failed since the last commit."""
        await self._shared.take_turn()
        try:
            noted = before()
            if self._session.in_transaction():  # else no unit of work ran since the last one
                await self._session.commit()
            return noted
        except BaseException as exc:
            self._shared.lost = self._shared.lost or exc
            raise
        finally:
            self._shared.give_turn()

    async def rollback(self) -> None:
        """Take back everything since the last commit; the group can be used again."""
        await self._shared.turn.acquire()
        try:
            await self._session.rollback()
            self._shared.lost = None
        finally:
            self._shared.turn.release()


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
        self._turn = False
        if self._shared is not None:
            self._turn = await self._shared.take_turn()
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
            return
        try:
            if exc is not None:
                # Whatever it wrote can only be taken back with the whole shared transaction.
                shared.lost = shared.lost or exc
            elif not self._committed and shared.writes != self._writes_before:
                unfinished = NeedsOwnTransaction(
                    f"{type(self).__name__} wrote, then left without commit()"
                )
                shared.lost = shared.lost or unfinished
                raise unfinished
        finally:
            if self._turn:
                shared.give_turn()

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
