"""Publisher handlers: keep each summarised story; build editions; deliver closed ones."""

import functools
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo

from devoured_core.messages import ArticleSummarized, DigestPublished, Message
from devoured_core.model import EditionRecord
from devoured_infra.leader import Leadership, LeaderTerm
from devoured_publisher import metrics
from devoured_publisher.cutter import (
    CutSpec,
    cut_in_worker,
    cut_stored_edition,
    off_loop,
    shareable,
)
from devoured_publisher.delivery import Channel, target_id, with_retries
from devoured_publisher.edition import Edition
from devoured_publisher.editor import (
    OVERVIEW_INSTRUCTIONS,
    EditorPolicy,
    accept_overview,
    overview_brief,
)
from devoured_publisher.intake import story_of
from devoured_publisher.pages import render_html
from devoured_publisher.period import Cadence, EditionPeriod, period_for, period_of_edition
from devoured_publisher.render import render_markdown
from devoured_publisher.repositories import EditionPages
from devoured_publisher.sections import DEFAULT_SECTIONS, section_order
from devoured_publisher.sinks import EditionSink
from devoured_publisher.uow import PublisherUnitOfWork

log = logging.getLogger("devoured.publisher")


@dataclass(frozen=True)
class PublisherDeps:
    new_uow: Callable[[], PublisherUnitOfWork]
    clock: Callable[[], datetime]
    timezone: tzinfo
    digest_name: str
    sink: EditionSink
    cadence: Cadence = "daily"
    cutoff_hour: int = 0
    sections: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_SECTIONS))
    channels: Sequence[Channel] = ()
    delivery_attempts: int = 4
    delivery_backoff_s: float = 2.0
    editor: EditorPolicy | None = None
    """The editor's policy; None: the defaults with ``sections``."""
    overview_writer: Callable[[str, str], Awaitable[str | None]] | None = None
    """Writes the overview (an LLM backend): given instructions and the top stories' brief,
    a paragraph, or None to keep the editor's own."""
    database_url: str = ""
    """Where a cut made in a process of its own reads the stories (empty: cuts stay here)."""
    cut_worker_from: int = 0
    """Editions of this many stories or more are cut in a process of its own (0: never)."""

    @property
    def policy(self) -> EditorPolicy:
        return self.editor or EditorPolicy(sections=self.sections)


async def receive_story(msg: ArticleSummarized, *, deps: PublisherDeps) -> list[Message]:
    """Store the story (as plain text) in the current edition, with the editor's note on it
    (relevance, section, confidence); a replay keeps its edition."""
    now = deps.clock()
    period = period_for(
        now, timezone=deps.timezone, cadence=deps.cadence, cutoff_hour=deps.cutoff_hour
    )
    story, note, features = story_of(msg, period=period, policy=deps.policy, received_at=now)
    async with deps.new_uow() as uow:
        await uow.stories.save(story, version=msg.occurred_at, note=note, features=features)
        await uow.commit()
    return []


async def build_pending_editions(
    *, deps: PublisherDeps, leader: Leadership | None = None
) -> list[DigestPublished]:
    """Rebuild every edition that received stories since it was last built."""
    async with deps.new_uow() as uow:
        edition_ids = await uow.stories.editions_needing_build()
    return [await build_edition(e, deps=deps, leader=leader) for e in edition_ids]


async def build_edition(
    edition_id: str, *, deps: PublisherDeps, leader: Leadership | None = None
) -> DigestPublished:
    """(Re)build one edition from the stored stories; idempotent for the same stories.

    Under ``leader`` the write is fenced: it raises ``StaleLeader`` once another replica took
    over, and nothing is written."""
    async with deps.new_uow() as uow:
        edition, latest = await assemble_stored_edition(uow, edition_id, deps, stored=False)
        edition = await _written_overview(edition, deps)
        built_at = latest or deps.clock()
        if leader is not None:
            await uow.leases.fence(leader.term())
        published = edition.to_message()
        record, pages = await off_loop(
            functools.partial(_rendered, edition, published, built_at=built_at)
        )
        await uow.editions.save(record, pages)
        # Its files are written by the relay, just before it publishes this (write_files).
        await uow.outbox.add([published])
        await uow.commit()
    _remember_built(published, edition, record)
    metrics.EDITIONS_PUBLISHED.inc()
    metrics.EDITION_ITEMS.set(edition.item_count)
    return published


async def write_files(message: Message, *, deps: PublisherDeps) -> None:
    """The outbox relay's hook: an edition's files go out before its ``DigestPublished``, so
    an edition counts as published (its outbox row sent) only once both are out."""
    if not isinstance(message, DigestPublished):
        return
    built = _BUILT.pop(message.message_id, None)
    async with deps.new_uow() as uow:
        if built is None:  # built by another process, or before a restart
            edition, _ = await assemble_stored_edition(uow, message.edition_id, deps)
            rendered = None
        else:
            edition, rendered = built
        recent = await uow.editions.recent(30)
    await off_loop(functools.partial(deps.sink.write, edition, recent, rendered))


# The editions this process built last, by the id of their DigestPublished: the relay writes
# their files moments later (write_files) from these, instead of assembling and rendering the
# same edition again (a rebuild cost twice its assembly). A few are kept: a relay that cannot
# publish leaves its entries here, and the next builds push them out.
_BUILT: OrderedDict[str, tuple[Edition, EditionRecord]] = OrderedDict()
BUILT_KEPT = 2


def _remember_built(published: DigestPublished, edition: Edition, record: EditionRecord) -> None:
    _BUILT[published.message_id] = (edition, record)
    while len(_BUILT) > BUILT_KEPT:
        _BUILT.popitem(last=False)


async def deliver_closed_editions(*, deps: PublisherDeps, leader: Leadership | None = None) -> int:
    """Send every edition whose period has ended to every channel target not yet served.

    Returns how many deliveries succeeded; a failed one is recorded and tried again later.
    """
    if not deps.channels:
        return 0
    async with deps.new_uow() as uow:
        editions = await uow.editions.recent(7)
    now = deps.clock()
    delivered = 0
    for record in editions:
        if _period(record.edition_id, deps).ends_at <= now:
            delivered += await deliver_edition(record.edition_id, deps=deps, leader=leader)
    return delivered


async def deliver_edition(
    edition_id: str, *, deps: PublisherDeps, leader: Leadership | None = None
) -> int:
    """Send one edition to every channel target that has not received it yet.

    Claim, then send: each attempt is claimed in its own transaction first (fenced by
    ``leader``'s term when given), so no target gets the edition twice and a former leader
    cannot start a send after another replica took over (``StaleLeader``).
    """
    async with deps.new_uow() as uow:
        pending = [
            (channel, target)
            for channel in deps.channels
            for target in channel.targets
            if not await uow.deliveries.delivered(edition_id, channel.name, target_id(target))
        ]
        if not pending:
            return 0
        edition, _ = await assemble_stored_edition(uow, edition_id, deps)
    delivered = 0
    for channel, target in pending:
        key = target_id(target)  # stored and logged: a webhook URL is a credential
        claim = await _claim(edition_id, channel.name, key, deps=deps, leader=leader)
        if claim is None:
            continue  # delivered, or an attempt claimed, since the list was read
        error = await with_retries(
            functools.partial(channel.send, edition, target),
            attempts=deps.delivery_attempts,
            backoff_s=deps.delivery_backoff_s,
        )
        async with deps.new_uow() as uow:
            await uow.deliveries.record(edition_id, channel.name, key, at=deps.clock(), error=error)
            if error:  # a later round tries again
                await uow.deliveries.unclaim(
                    edition_id, channel.name, key, epoch=claim.epoch, by=claim.holder
                )
            await uow.commit()
        metrics.DELIVERIES.labels(channel.name, "error" if error else "success").inc()
        if error:
            log.warning(
                "delivery failed",
                extra={
                    "edition_id": edition_id,
                    "channel": channel.name,
                    "target": key,
                    "error": error,
                },
            )
        delivered += error is None
    return delivered


# Claims made without a leader (``devoured digest send``): never fenced.
UNFENCED = LeaderTerm(name="", holder="unfenced", epoch=0)


async def _claim(
    edition_id: str, channel: str, target: str, *, deps: PublisherDeps, leader: Leadership | None
) -> LeaderTerm | None:
    """Claim one delivery attempt; the term it was claimed under, or None if not claimed."""
    term = leader.term() if leader is not None else UNFENCED
    async with deps.new_uow() as uow:
        if leader is not None:
            await uow.leases.fence(term)
        claimed = await uow.deliveries.claim(
            edition_id, channel, target, epoch=term.epoch, by=term.holder, at=deps.clock()
        )
        await uow.commit()
    return term if claimed else None


def _period(edition_id: str, deps: PublisherDeps) -> EditionPeriod:
    return period_of_edition(
        edition_id, timezone=deps.timezone, cadence=deps.cadence, cutoff_hour=deps.cutoff_hour
    )


async def _written_overview(edition: Edition, deps: PublisherDeps) -> Edition:
    """The edition with the overview writer's paragraph, when there is a writer and it wrote
    an acceptable one."""
    if deps.overview_writer is None or not edition.top_stories():
        return edition
    try:
        brief = overview_brief(edition.top_stories())
        text = await deps.overview_writer(OVERVIEW_INSTRUCTIONS, brief)
    except Exception as error:  # the writer is optional: the edition keeps its own overview
        log.warning("overview writer failed", extra={"error": str(error)})
        return edition
    written = accept_overview(text, brief)
    return replace(edition, overview=written) if written else edition


async def assemble_stored_edition(
    uow: PublisherUnitOfWork,
    edition_id: str,
    deps: PublisherDeps,
    *,
    stored: bool = True,
    worker: bool = True,
) -> tuple[Edition, datetime | None]:
    """The edition from its stored stories, and when its newest story arrived.

    Two passes keep a build's memory small: the editor's cut reads every story without its
    text and glossary (the features stored when it arrived stand in for the text), in a
    process of its own for a big edition (``cutter``); then only the stories the edition
    shows are read in full (``Edition.filled``). With an overview writer, and ``stored``, the
    overview is the one saved when the edition was last built (the writer's, if it wrote
    one), so files, pages and deliveries show what the build chose. Without ``worker`` the
    cut is made here whatever the edition's size (a web page cannot wait for a process to
    start)."""
    spec = CutSpec(
        edition_id=edition_id,
        digest_name=deps.digest_name,
        day=_period(edition_id, deps).edition_date,
        section_order=section_order(deps.sections),
        policy=deps.policy,
    )
    if worker and await _cut_elsewhere(uow, edition_id, deps):
        cut = await cut_in_worker(deps.database_url, spec)
        metrics.EDITION_CUTS.labels("worker").inc()
    else:
        cut = await cut_stored_edition(uow, spec)
        metrics.EDITION_CUTS.labels("in_process").inc()
    edition = cut.edition.filled(await uow.stories.shown(cut.edition.shown()))
    if stored and deps.overview_writer is not None:
        record = await uow.editions.get(edition_id)
        if record is not None and record.overview:
            edition = replace(edition, overview=record.overview)
    return edition, cut.latest_received


async def _cut_elsewhere(uow: PublisherUnitOfWork, edition_id: str, deps: PublisherDeps) -> bool:
    if not deps.cut_worker_from or not shareable(deps.database_url):
        return False
    return await uow.stories.count_for_edition(edition_id) >= deps.cut_worker_from


def _rendered(
    edition: Edition, published: DigestPublished, *, built_at: datetime
) -> tuple[EditionRecord, EditionPages]:
    """The edition's record and what the website serves for it (``web.py``): its page and,
    for the JSON API, its ``DigestPublished``."""
    pages = EditionPages(
        web_html=render_html(edition, web=True), api_json=published.model_dump_json()
    )
    return _record(edition, built_at=built_at), pages


def _record(edition: Edition, *, built_at: datetime) -> EditionRecord:
    markdown = render_markdown(edition)
    return EditionRecord(
        edition_id=edition.edition_id,
        edition_date=edition.edition_date,
        title=edition.title,
        overview=edition.overview,
        item_count=edition.item_count,
        story_count=edition.story_count,
        markdown=markdown,
        html=render_html(edition),
        content_hash=hashlib.sha256(markdown.encode()).hexdigest(),
        built_at=built_at,
    )
