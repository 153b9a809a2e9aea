"""The CloudEvents Kafka binding (binary mode) of a record: its ``ce_*`` headers.

Every record Devoured publishes is a CloudEvent in binary content mode: the value stays the
message's JSON, unchanged, and the event's attributes travel as headers (docs/topics.md):

- ``ce_specversion``: ``1.0``;
- ``ce_id``: the message's ``message_id``;
- ``ce_source``: ``devoured/<service>``, the service that published it (a URI-reference);
- ``ce_type``: ``io.devoured.<message>.v<schema_version>``, the message's wire type in snake
  case (``FetchRequested`` is ``fetch_requested`` for both its kinds, ``DeadLetter`` is
  ``dead_letter``) and the ``schema_version`` the record was written with;
- ``ce_time``: ``occurred_at`` in RFC 3339, UTC (``Z``);
- ``ce_subject``: the ``article_id`` or the ``edition_id``, when the message has one;
- ``content-type``: ``application/json``, which the binding reads as ``datacontenttype``.

Kafka headers are plain UTF-8: unlike the HTTP binding, nothing is percent-encoded.
"""

import re
from datetime import UTC, datetime

from devoured_core.messages import ALL_MESSAGES, Message

SPECVERSION = "1.0"
TYPE_PREFIX = "io.devoured."
SOURCE_PREFIX = "devoured/"
CONTENT_TYPE = "application/json"
SUBJECT_FIELDS = ("article_id", "edition_id")


def headers(message: Message, *, service: str, topic: str) -> dict[str, str]:
    """The CloudEvents headers of ``message`` published by ``service`` on ``topic``.

    ``topic`` (logical, dead-letter topics included) does not change the attributes: a dead
    letter is told apart by its type, ``io.devoured.dead_letter.v1``."""
    found = {
        "ce_specversion": SPECVERSION,
        "ce_id": message.message_id,
        "ce_source": f"{SOURCE_PREFIX}{service}",
        "ce_type": event_type(message),
        "ce_time": rfc3339(message.occurred_at),
        "content-type": CONTENT_TYPE,
    }
    subject = subject_of(message)
    if subject is not None:
        found["ce_subject"] = subject
    return found


def event_type(message: Message) -> str:
    """``io.devoured.<wire type in snake case>.v<schema_version>``."""
    return f"{TYPE_PREFIX}{snake_case(wire_name(type(message)))}.v{message.schema_version}"


def wire_name(model: type[Message]) -> str:
    """The name of the schema ``model`` is sent as: a typed command such as ``PollFeed`` is a
    ``FetchRequested`` on the wire."""
    for cls in model.__mro__:
        if cls in ALL_MESSAGES:
            return cls.__name__
    return model.__name__


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def rfc3339(when: datetime) -> str:
    """``when`` in UTC as RFC 3339 with a ``Z``; a naive time is taken as UTC."""
    utc = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return utc.isoformat().replace("+00:00", "Z")


def subject_of(message: Message) -> str | None:
    for name in SUBJECT_FIELDS:
        value = getattr(message, name, None)
        if isinstance(value, str) and value:
            return value
    return None
