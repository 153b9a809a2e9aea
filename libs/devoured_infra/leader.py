"""Leader election for singleton jobs (fetch scheduler, edition builder): a lease with a
fencing token.

Each job has one row in ``leader_leases``: ``(name, holder, epoch, expires_at)``. One atomic
statement acquires or renews it, and succeeds only when the lease is expired or already ours;
``epoch`` goes up by one whenever the holder changes. The holder renews every ``ttl/3``. It
also keeps a local deadline on the monotonic clock (taken *before* each renewal is sent, so
it never outlasts the database's ``expires_at``): once past it, the holder does not lead any
more until a renewal succeeds. A paused process (SIGSTOP, a long GC, a partition) therefore
wakes up knowing its lease may be gone, and another replica takes over at most ``ttl`` after
the last renewal, on its next try.

Work done as leader is fenced: ``LeaseRepository.fence(term)`` runs inside the transaction
that records the work and locks the lease row until that transaction ends. It raises
``StaleLeader`` unless the row still holds this holder and epoch, so a former leader's late
write is refused, and a takeover waits for a write already fenced to commit. If the writer
froze inside that transaction, PostgreSQL ends it after ``FENCE_IDLE_TIMEOUT_S`` idle, so the
takeover is delayed by at most that much.

PostgreSQL's clock (``now()``) decides expiry, one clock for every replica. On SQLite
(embedded mode, one process) the same statements run on the process's clock.
"""

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import DateTime, case, func, literal, or_, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.elements import ColumnElement

from devoured_core.errors import StaleLeader
from devoured_infra.tables import leader_leases

log = logging.getLogger("devoured.leader")

DEFAULT_TTL_S = 15.0
# PostgreSQL ends a fenced transaction left idle this long (its process froze mid-write), so
# the lease row it locks cannot hold off a takeover for longer.
FENCE_IDLE_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class LeaderTerm:
    """The fencing token of one leadership: who holds lease ``name``, under which epoch."""

    name: str
    holder: str
    epoch: int


class Leadership(Protocol):
    def term(self) -> LeaderTerm: ...


class LeaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def fence(self, term: LeaderTerm) -> None:
        """Refuse the transaction's work unless ``term`` is the lease's current one.

        An UPDATE (of nothing) that matches only the current holder and epoch: it locks the
        row, so a takeover waits until this transaction ends, and it works on SQLite too.
        """
        if self._session.get_bind().dialect.name == "postgresql":
            timeout_ms = int(FENCE_IDLE_TIMEOUT_S * 1000)
            await self._session.execute(
                text(f"SET LOCAL idle_in_transaction_session_timeout = {timeout_ms}")
            )
        lease = leader_leases.c
        row = (
            await self._session.execute(
                update(leader_leases)
                .where(
                    lease.name == term.name,
                    lease.holder == term.holder,
                    lease.epoch == term.epoch,
                )
                .values(epoch=lease.epoch)
                .returning(lease.epoch)
            )
        ).first()
        if row is None:
            raise StaleLeader(
                f"leader: {term.name} epoch {term.epoch} of {term.holder} is no longer current"
            )


def default_holder() -> str:
    """Unique per lease object: a restarted process is a new holder (and a new epoch)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaderLease:
    """Leader election through a lease row with a fencing epoch.

    ``try_acquire()`` acquires or renews and says whether this replica leads; while it leads,
    a background task renews every ``renew_every_s`` (``ttl_s/3``). ``term()`` is the token to
    fence work with. ``release()`` stops renewing and expires the lease at once, so another
    replica takes over on its next try.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        name: str,
        *,
        ttl_s: float = DEFAULT_TTL_S,
        holder: str | None = None,
        renew_every_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self.name = name
        self.holder = holder or default_holder()
        self.ttl_s = ttl_s
        self._renew_every_s = renew_every_s if renew_every_s is not None else ttl_s / 3
        self._clock = clock
        self.epoch: int | None = None  # of the last term held; None once it was lost
        self._deadline = 0.0  # on ``clock``: the lease may be gone after it
        self._statements = asyncio.Lock()
        self._renewer: asyncio.Task[None] | None = None

    @property
    def held(self) -> bool:
        """True while this replica surely holds the lease (before its local deadline)."""
        return self.epoch is not None and self._clock() < self._deadline

    def term(self) -> LeaderTerm:
        """The current term; raises ``StaleLeader`` once the lease may have expired."""
        if self.epoch is None or not self.held:
            raise StaleLeader(f"leader: {self.holder} does not hold {self.name}")
        return LeaderTerm(self.name, self.holder, self.epoch)

    async def try_acquire(self) -> bool:
        """Acquire or renew the lease; True while this replica leads."""
        try:
            await self._renew()
        except Exception:
            if not self.held:
                raise
            log.warning("leader: could not renew %s", self.name, exc_info=True)
        if self.held and (self._renewer is None or self._renewer.done()):
            self._renewer = asyncio.create_task(self._keep(), name=f"lease {self.name}")
        return self.held

    async def release(self) -> None:
        """Stop renewing and expire the lease now (a no-op if another replica holds it)."""
        renewer, self._renewer = self._renewer, None
        if renewer is not None:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
        epoch, self.epoch, self._deadline = self.epoch, None, 0.0
        if epoch is None:
            return
        lease = leader_leases.c
        try:
            async with self._engine.begin() as connection:
                now, _ = _times(self._engine.dialect.name, self.ttl_s)
                await connection.execute(
                    update(leader_leases)
                    .where(lease.name == self.name, lease.holder == self.holder)
                    .where(lease.epoch == epoch)
                    .values(expires_at=now)
                )
        except Exception:  # it expires by itself after ttl_s
            log.warning("leader: could not release %s", self.name, exc_info=True)

    async def _keep(self) -> None:
        """Renew every ``renew_every_s`` until the lease is lost to another replica."""
        while self.epoch is not None:
            await asyncio.sleep(self._renew_every_s)
            try:
                await self._renew()
            except Exception:  # keep trying: ``held`` turns false at the local deadline
                log.warning("leader: could not renew %s", self.name, exc_info=True)

    async def _renew(self) -> None:
        async with self._statements:
            started = self._clock()
            async with self._engine.begin() as connection:
                epoch = (await connection.execute(self._acquire_statement())).scalar()
            if epoch is None:  # another replica holds an unexpired lease
                if self.epoch is not None:
                    log.info("leader: lost %s", self.name, extra={"epoch": self.epoch})
                self.epoch, self._deadline = None, 0.0
                return
            if epoch != self.epoch:
                log.info("leader: acquired %s", self.name, extra={"epoch": epoch})
            self.epoch, self._deadline = int(epoch), started + self.ttl_s

    def _acquire_statement(self) -> ReturningInsert[Any]:
        """Insert the lease, or take it over when it is expired or already ours."""
        dialect = self._engine.dialect.name
        now, expires_at = _times(dialect, self.ttl_s)
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(leader_leases).values(
            name=self.name, holder=self.holder, epoch=1, expires_at=expires_at
        )
        lease, mine = leader_leases.c, statement.excluded
        return statement.on_conflict_do_update(
            index_elements=[lease.name],
            set_={
                "holder": mine.holder,
                "epoch": case((lease.holder == mine.holder, lease.epoch), else_=lease.epoch + 1),
                "expires_at": mine.expires_at,
            },
            where=or_(lease.holder == mine.holder, lease.expires_at <= now),
        ).returning(lease.epoch)


def _times(dialect: str, ttl_s: float) -> tuple[ColumnElement[datetime], ColumnElement[datetime]]:
    """(now, now + ttl) on the database's clock; SQLite (one process) uses the process's."""
    if dialect == "postgresql":
        now: ColumnElement[datetime] = func.now()
        return now, now + timedelta(seconds=ttl_s)
    current, kind = datetime.now(UTC), DateTime(timezone=True)
    return literal(current, kind), literal(current + timedelta(seconds=ttl_s), kind)
