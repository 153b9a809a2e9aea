"""The message a log line is about, carried in a context variable.

``RecordProcessor`` binds the record's topic, partition, offset, key and, once the value is
parsed, its ``article_id`` and ``message_id`` for the time it handles the record; the JSON log
formatter adds them to every line logged meanwhile, by the handler or any library it calls.
Context variables follow asyncio tasks, so concurrent records never mix their fields.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_FIELDS: ContextVar[dict[str, object] | None] = ContextVar("devoured_log_fields", default=None)


def current_fields() -> dict[str, object]:
    """The fields bound in this context (empty outside a record)."""
    return dict(_FIELDS.get() or {})


@contextmanager
def bound(**fields: object) -> Iterator[None]:
    """Add ``fields`` (None values dropped) to every log line in this block."""
    merged = current_fields() | {k: v for k, v in fields.items() if v is not None}
    token = _FIELDS.set(merged)
    try:
        yield
    finally:
        _FIELDS.reset(token)


def bind(**fields: object) -> None:
    """Add ``fields`` to the current block (after ``bound``), e.g. once the message is parsed."""
    current = _FIELDS.get()
    if current is not None:
        current.update({k: v for k, v in fields.items() if v is not None})
