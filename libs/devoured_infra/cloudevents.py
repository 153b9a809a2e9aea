"""The CloudEvents Kafka binding (binary mode) of a record: its ``ce_*`` headers.

Stub: filled in by the CloudEvents work of issue 16."""

from devoured_core.messages import Message


def headers(message: Message, *, service: str, topic: str) -> dict[str, str]:
    """The CloudEvents headers of ``message`` published by ``service`` on ``topic``."""
    return {}
