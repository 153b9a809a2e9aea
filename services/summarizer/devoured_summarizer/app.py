"""The summarizer service on Kafka."""

from faststream.asgi import AsgiFastStream

from devoured_infra.kafka import stage_app
from devoured_infra.settings import Settings
from devoured_summarizer.bootstrap import bootstrap


def create_app(settings: Settings) -> AsgiFastStream:
    return stage_app(settings, "summarizer", lambda new_uow: bootstrap(new_uow))
