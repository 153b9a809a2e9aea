"""Publisher handlers: keep each summarised story; build the editions that changed."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from devoured_core.messages import ArticleSummarized, DigestPublished, Message
from devoured_core.model import EditionRecord, Story
from devoured_infra import metrics
from devoured_infra.uow import UnitOfWorkFactory
from devoured_publisher.edition import Edition, assemble_edition
from devoured_publisher.render import render_html, render_markdown
from devoured_publisher.sections import section_for
from devoured_publisher.sinks import EditionSink


@dataclass(frozen=True)
class PublisherDeps:
    new_uow: UnitOfWorkFactory
    clock: Callable[[], datetime]
    timezone: tzinfo
    digest_name: str
    sink: EditionSink


async def receive_story(msg: ArticleSummarized, *, deps: PublisherDeps) -> list[Message]:
    """Store the story for today's edition; a replay keeps its first edition date."""
    now = deps.clock()
    story = Story(
        article_id=msg.article_id,
        edition_date=now.astimezone(deps.timezone).date(),
        section=section_for(
            source_section=msg.source.section,
            tags=msg.tags,
            title=msg.title,
            text=msg.text,
            has_deep_dive=bool(msg.deep_dive),
        ),
        title=msg.title,
        url=msg.canonical_url,
        source_name=msg.source.name,
        source_weight=msg.source.weight,
        reading_minutes=msg.reading_minutes,
        published_at=msg.published_at,
        tldr=msg.tldr,
        deep_dive=msg.deep_dive,
        decoder=msg.decoder,
        text=msg.text,
        received_at=now,
    )
    async with deps.new_uow() as uow:
        await uow.stories.save(story)
        await uow.commit()
    return []


async def build_pending_editions(*, deps: PublisherDeps) -> list[DigestPublished]:
    """Rebuild every edition that received stories since it was last built."""
    async with deps.new_uow() as uow:
        dates = await uow.stories.dates_needing_build()
    published = []
    for day in dates:
        published.append(await build_edition(day.isoformat(), deps=deps))
    return published


async def build_edition(edition_id: str, *, deps: PublisherDeps) -> DigestPublished:
    """(Re)build one edition from the stored stories; idempotent for the same stories."""
    from datetime import date

    day = date.fromisoformat(edition_id)
    async with deps.new_uow() as uow:
        stories = await uow.stories.for_edition(day)
        edition = assemble_edition(stories, digest_name=deps.digest_name, day=day)
        record = _record(
            edition, built_at=max((s.received_at for s in stories), default=deps.clock())
        )
        await uow.editions.save(record)
        await uow.commit()
    deps.sink.write(edition)
    metrics.EDITIONS_PUBLISHED.inc()
    metrics.EDITION_ITEMS.set(edition.item_count)
    return edition.to_message()


def _record(edition: Edition, *, built_at: datetime) -> EditionRecord:
    markdown = render_markdown(edition)
    return EditionRecord(
        edition_id=edition.edition_id,
        edition_date=edition.edition_date,
        title=edition.title,
        overview=edition.overview,
        item_count=edition.item_count,
        markdown=markdown,
        html=render_html(edition),
        content_hash=hashlib.sha256(markdown.encode()).hexdigest(),
        built_at=built_at,
    )
