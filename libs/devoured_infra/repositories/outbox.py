"""The outbox: what a handler emits, stored in the handler's own transaction.

A handler adds its outgoing messages here before ``commit()``; they become visible together
with the state they describe, or not at all. The service's relay (``devoured_infra.outbox``)
publishes them after the commit and marks them sent.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.messages import Message
from devoured_infra.tables import outbox


class OutboxRepository(Protocol):
    async def add(self, messages: Sequence[Message]) -> None:
        """Queue ``messages`` for publishing once this transaction commits."""


class SqlOutboxRepository:
    def __init__(self, session: AsyncSession, service: str) -> None:
        self._session = session
        self._service = service

    async def add(self, messages: Sequence[Message]) -> None:
        if not messages:
            return
        now = datetime.now(UTC)
        await self._session.execute(
            insert(outbox),
            [
                {
                    "service": self._service,
                    "topic": message.TOPIC,
                    "message_type": type(message).__name__,
                    "message_id": message.message_id,
                    "message_key": message.key(),
                    "payload": message.model_dump_json(),
                    "created_at": now,
                }
                for message in messages
            ],
        )
