"""Composition root of the extractor: ``bootstrap`` is the service's wiring, ``wire`` the
stage with test seams (clock, extraction function)."""

import functools
from collections.abc import Callable
from datetime import datetime

from devoured_core.messages import PageFetched
from devoured_extractor.extract import extract
from devoured_extractor.handlers import Extractor, ExtractorDeps, extract_article
from devoured_extractor.isolation import IsolatedExtractor
from devoured_extractor.settings import ExtractorSettings
from devoured_extractor.uow import ExtractorUnitOfWork
from devoured_infra.bus import Stage
from devoured_infra.service import ServiceContext, Wiring, utc_now


def bootstrap(context: ServiceContext) -> Wiring:
    """The extractor: fetched pages in, articles out."""
    stage = wire(
        lambda: ExtractorUnitOfWork(context.sessions, service="extractor"),
        clock=context.clock,
        settings=context.settings_of(ExtractorSettings),
    )
    return Wiring(stages=[stage])


def wire(
    new_uow: Callable[[], ExtractorUnitOfWork],
    *,
    clock: Callable[[], datetime] = utc_now,
    extractor: Extractor | None = None,
    settings: ExtractorSettings | None = None,
) -> Stage:
    """The extractor stage; pages run in killable worker processes unless ``extractor`` is given."""
    settings = settings or ExtractorSettings()
    if extractor is None:
        extractor = IsolatedExtractor(
            extract, time_limit_s=settings.time_limit_s, workers=settings.workers
        )
    deps = ExtractorDeps(new_uow=new_uow, clock=clock, extract=extractor)
    # Extraction is CPU work on the page alone: a batch rolled back can do it again.
    return Stage(
        "extractor", PageFetched, functools.partial(extract_article, deps=deps), batch=True
    )
