"""The outbox: what a handler emits, stored in the handler's own transaction.

A handler adds its outgoing messages here before ``commit()``; they become visible together
with the state they describe, or not at all. The service's relay (``devoured_infra.outbox``)
publishes them after the commit and marks them sent.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.messages import Message
from devoured_infra import tracing
from devoured_infra.tables import outbox


class OutboxRepository:
    def __init__(self, session: AsyncSession, service: str) -> None:
        self._session = session
        self._service = service

    async def add(
        self,
        messages: Sequence[Message],
        *,
        topic: str | None = None,
        dedupe_key: str | None = None,
    ) -> None:
        """Queue ``messages`` for publishing (to ``topic``, else their own) once this
        transaction commits; with ``dedupe_key``, only if nothing was queued under it."""
        if not messages:
            return
        now = datetime.now(UTC)
        # The relay publishes each row in the trace of the span that queued it.
        trace_context = tracing.current()
        statement = _INSERT
        if dedupe_key is not None:
            statement = _INSERT_ONCE[self._session.get_bind().dialect.name]
        await self._session.execute(
            statement,
            [
                {
                    "service": self._service,
                    "topic": topic or message.TOPIC,
                    "dedupe_key": dedupe_key,
                    "message_type": type(message).__name__,
                    "message_id": message.message_id,
                    "message_key": message.key(),
                    "payload": message.model_dump_json(),
                    "created_at": now,
                    "trace_context": trace_context,
                }
                for message in messages
            ],
        )


# Built once: building a statement and its cache key costs more CPU than sending it.
_INSERT = insert(outbox)
_INSERT_ONCE = {
    "postgresql": postgresql.insert(outbox).on_conflict_do_nothing(index_elements=["dedupe_key"]),
    "sqlite": sqlite.insert(outbox).on_conflict_do_nothing(index_elements=["dedupe_key"]),
}
