"""Whose fault a failure is: the record's, or the world's around it.

    bad record   InvalidMessage, PermanentError            dead letter at once
    outage       TransientError, and the database's, the   wait with capped backoff and jitter
                 broker's and the network's own connection  for as long as it lasts; never a
                 and timeout errors                         dead letter
    unexpected   anything else: a bug met on this record    a few retries, then a dead letter

The classification goes by exception type along the ``__cause__`` chain (the database driver's
error that SQLAlchemy re-raised ``from``), never by message text. ``__context__`` is not
followed: an error raised while handling an outage error is not itself an outage.
"""

import asyncio
import enum
import logging
import random
import time
from collections.abc import Iterator

import asyncpg.exceptions
import sqlalchemy.exc
from aiokafka import errors as kafka_errors

from devoured_core.errors import InvalidMessage, PermanentError, TransientError
from devoured_infra import metrics

log = logging.getLogger("devoured.faults")


class Fault(enum.Enum):
    BAD_RECORD = "bad_record"
    OUTAGE = "outage"
    UNEXPECTED = "unexpected"


_DATABASE_OUTAGES: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,  # the connection pool had nothing to give
    asyncpg.exceptions.PostgresConnectionError,  # SQLSTATE class 08
    asyncpg.exceptions.OperatorInterventionError,  # class 57: shutdown, starting, cancelled
    asyncpg.exceptions.InterfaceError,  # the connection closed under us
)
_BROKER_OUTAGES: tuple[type[BaseException], ...] = (
    kafka_errors.KafkaConnectionError,
    kafka_errors.KafkaTimeoutError,
)
# Sockets and clocks: refused or reset connections, DNS, and timeouts of any client.
_NETWORK_OUTAGES: tuple[type[BaseException], ...] = (OSError, TimeoutError, asyncio.TimeoutError)


def classify(exc: BaseException) -> Fault:
    """The policy for ``exc``; see the module docstring."""
    if isinstance(exc, InvalidMessage | PermanentError):
        return Fault.BAD_RECORD
    if any(_is_outage(e) for e in _chain(exc)):
        return Fault.OUTAGE
    return Fault.UNEXPECTED


def dependency_of(exc: BaseException) -> str:
    """The metric label for what is unavailable: database, broker, network or other."""
    for each in _chain(exc):
        if isinstance(each, _DATABASE_OUTAGES):
            return "database"
        if isinstance(each, kafka_errors.KafkaError):
            return "broker"
    if any(isinstance(e, _NETWORK_OUTAGES) for e in _chain(exc)):
        return "network"
    return "other"


def _is_outage(exc: BaseException) -> bool:
    if isinstance(exc, (TransientError, *_DATABASE_OUTAGES, *_BROKER_OUTAGES, *_NETWORK_OUTAGES)):
        return True
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, kafka_errors.KafkaError) and bool(exc.retriable)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__


class Outage:
    """One service's view of an outage in progress: backoff, metrics, readiness and logs.

    While an outage lasts, ``waiting`` is true (``/readyz`` answers 503), the gauge is 1, and
    the log has one line when it starts, one every ``log_every_s`` while it lasts, and one when
    it ends, however many records and retries it spans.
    """

    def __init__(
        self,
        service: str,
        *,
        base_s: float = 0.5,
        cap_s: float = 30.0,
        log_every_s: float = 30.0,
        rand: "random.Random | None" = None,
    ) -> None:
        self.service = service
        self._base_s = base_s
        self._cap_s = cap_s
        self._log_every_s = log_every_s
        self._rand = rand or random.Random()  # noqa: S311 - fault timing, not a secret
        self._started: float | None = None
        self._dependency = "other"
        self._failures = 0
        self._logged_at = 0.0

    @property
    def waiting(self) -> bool:
        return self._started is not None

    def failed(self, exc: BaseException) -> float:
        """Note a failure caused by an outage; returns how long to wait before the next try."""
        now = time.monotonic()
        dependency = dependency_of(exc)
        self._failures += 1
        metrics.OUTAGE_RETRIES.labels(self.service, dependency).inc()
        if self._started is None:
            self._started, self._dependency, self._logged_at = now, dependency, now
            metrics.OUTAGE_WAITING.labels(self.service, dependency).set(1)
            log.warning(
                "outage: waiting for the %s to come back",
                dependency,
                extra={"dependency": dependency, "error": describe(exc)[:300]},
            )
        elif now - self._logged_at >= self._log_every_s:
            self._logged_at = now
            log.warning(
                "outage: still waiting for the %s",
                self._dependency,
                extra={
                    "dependency": self._dependency,
                    "waited_s": round(now - self._started, 1),
                    "retries": self._failures,
                    "error": describe(exc)[:300],
                },
            )
        # Full jitter over a capped exponential: replicas do not retry in lockstep.
        ceiling = min(self._cap_s, self._base_s * 2 ** min(self._failures - 1, 16))
        return self._rand.uniform(ceiling / 2, ceiling)

    def recovered(self) -> None:
        """The dependency answered again: log how long the outage lasted and reset."""
        if self._started is None:
            return
        waited = time.monotonic() - self._started
        metrics.OUTAGE_WAITING.labels(self.service, self._dependency).set(0)
        metrics.OUTAGE_SECONDS.labels(self.service, self._dependency).inc(waited)
        log.warning(
            "outage over: the %s is back",
            self._dependency,
            extra={
                "dependency": self._dependency,
                "waited_s": round(waited, 1),
                "retries": self._failures,
            },
        )
        self._started, self._failures = None, 0


def describe(exc: BaseException) -> str:
    """``"<ExceptionType>: <message>"``, as logs and dead letters name an error."""
    return f"{type(exc).__name__}: {exc}"


class Throttle:
    """True at most once per ``every_s``: for loops that must not log a line per attempt."""

    def __init__(self, every_s: float = 30.0) -> None:
        self._every_s = every_s
        self._last: float | None = None

    def ready(self) -> bool:
        now = time.monotonic()
        if self._last is not None and now - self._last < self._every_s:
            return False
        self._last = now
        return True
