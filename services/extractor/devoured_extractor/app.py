"""The extractor service on Kafka."""

from faststream.asgi import AsgiFastStream

from devoured_extractor.bootstrap import bootstrap
from devoured_infra.kafka import stage_app
from devoured_infra.settings import Settings


def create_app(settings: Settings) -> AsgiFastStream:
    return stage_app(settings, "extractor", lambda new_uow: bootstrap(new_uow))
