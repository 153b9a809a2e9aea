"""The AsyncAPI document of the pipeline: which service consumes and produces which topic.

Built on a broker that is never connected, with handlers typed by the message models, so the
document carries the same JSON Schemas the services validate against.
"""

from collections.abc import Sequence
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel

from devoured_core.messages import DeadLetter, Message
from devoured_core.topics import dead_letter_topic
from devoured_infra import registry
from devoured_infra.service import ServiceDescriptor


def asyncapi_document(
    version: str, services: Sequence[ServiceDescriptor] | None = None
) -> dict[str, Any]:
    """The document of ``services`` (every installed one by default), from their descriptors:
    each input is a subscription, what it produces and its dead-letter topic publications."""
    broker = KafkaBroker("kafka:9092", description="The Devoured pipeline's Kafka cluster")
    published: set[tuple[str, str]] = set()
    for descriptor in registry.installed() if services is None else services:
        service = descriptor.name
        for each in descriptor.inputs:
            consumed = each.message
            _subscribe(broker, service, consumed)
            outputs: list[tuple[str, type[BaseModel]]] = [(m.TOPIC, m) for m in each.produces]
            outputs.append((dead_letter_topic(consumed.TOPIC), DeadLetter))
            for topic, model in outputs:
                if (service, topic) not in published:
                    published.add((service, topic))
                    _publish(broker, service, topic, model)
    spec = AsyncAPI(
        broker,
        title="Devoured pipeline",
        version=version,
        description="Topics, message schemas and the services on each side.",
    )
    document: dict[str, Any] = spec.to_specification().to_jsonable()
    return document


def _subscribe(broker: KafkaBroker, service: str, consumed: type[Message]) -> None:
    async def handler(message: Any) -> None:
        """Documentation only."""

    handler.__annotations__["message"] = consumed
    broker.subscriber(
        consumed.TOPIC,
        group_id=f"devoured-{service}",
        title=f"{service}:{consumed.TOPIC}",
        description=f"The {service} consumes {consumed.__name__}.",
    )(handler)


def _publish(broker: KafkaBroker, service: str, topic: str, model: type[BaseModel]) -> None:
    what = (
        "Messages it could not process, with the reason"
        if model is DeadLetter
        else f"{model.__name__} messages"
    )
    broker.publisher(
        topic,
        schema=model,
        title=f"{service}:{topic}:publish",
        description=f"The {service} publishes {what}.",
    )
