"""The editor's cut of a big edition, made in a process of its own that ends with it.

A cut reads every story of the edition (without its text: ``heads_for_edition``) and makes
hundreds of thousands of small objects. Freed, they leave the interpreter's memory
fragmented: a long-running publisher kept about 12 KB per story of the largest edition it had
cut (the 20-minute soak's 10,000-story edition took it from 135 to 257 MiB). An edition of
``DEVOURED_PUBLISHER_CUT_WORKER_FROM`` stories or more is therefore cut in a new process
(``spawn``: never ``fork`` a process running an event loop and Kafka client threads) that
reads the stories from the database itself and hands back only the cut: the edition with the
stories it shows, their "also covered" links and the editor's decisions. Starting the process
costs about 1.8 s of CPU (its imports), which the builder's pace counts in the build's time;
smaller editions, and web pages, are cut in place.
"""

import asyncio
import concurrent.futures
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from devoured_infra.db import create_engine, create_sessionmaker
from devoured_publisher.edition import Edition, assemble_edition
from devoured_publisher.editor import EditorPolicy
from devoured_publisher.uow import PublisherUnitOfWork


@dataclass(frozen=True)
class CutSpec:
    """What a cut needs besides the database: the edition and the editor's settings."""

    edition_id: str
    digest_name: str
    day: date
    section_order: tuple[str, ...]
    policy: EditorPolicy


@dataclass(frozen=True)
class Cut:
    edition: Edition
    """Its shown stories read without their texts (``Edition.filled`` puts them in full)."""
    latest_received: datetime | None
    """When its newest story arrived (None: no stories)."""


async def cut_stored_edition(uow: PublisherUnitOfWork, spec: CutSpec) -> Cut:
    """The editor's cut of the stored edition ``spec.edition_id``, in this process."""
    heads, features = await uow.stories.heads_for_edition(spec.edition_id)
    notes = await uow.stories.notes_for_edition(spec.edition_id)
    previous = await uow.stories.titles_before(spec.edition_id)

    def cut() -> Edition:
        return assemble_edition(
            heads,
            digest_name=spec.digest_name,
            day=spec.day,
            edition_id=spec.edition_id,
            section_order=spec.section_order,
            notes=notes,
            previous_titles=previous,
            policy=spec.policy,
            features=features,
        )

    edition = await off_loop(cut)
    latest = max((s.received_at for s in heads), default=None)
    return Cut(edition, latest)


async def cut_in_worker(database_url: str, spec: CutSpec) -> Cut:
    """``cut_stored_edition`` in a new process, which ends with the cut."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return await asyncio.get_running_loop().run_in_executor(
            pool, _cut_in_this_process, database_url, spec
        )


# The editions' CPU work (cut, render) runs on one thread of its own: off the event loop (where
# seconds of it starved the consumers' heartbeats and the health probes), and never two big
# editions in memory at once.
T = TypeVar("T")
_EDITION_WORK = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition")


async def off_loop(work: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_EDITION_WORK, work)


def shareable(database_url: str) -> bool:
    """Whether another process can open the database: one is named, and it is not an
    in-memory SQLite database."""
    return bool(database_url) and not (
        database_url.startswith("sqlite") and "memory" in database_url
    )


def _cut_in_this_process(database_url: str, spec: CutSpec) -> Cut:
    return asyncio.run(_cut_on_own_connection(database_url, spec))


async def _cut_on_own_connection(database_url: str, spec: CutSpec) -> Cut:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with PublisherUnitOfWork(create_sessionmaker(engine), service="publisher") as uow:
            await uow.read_only()
            cut = await cut_stored_edition(uow, spec)
    finally:
        await engine.dispose()
    return replace(cut, edition=cut.edition.shown_only())
