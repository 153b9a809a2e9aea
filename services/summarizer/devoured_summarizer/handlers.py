"""Summarizer handler: an extracted article becomes a summarised one."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from devoured_core.messages import ArticleExtracted, ArticleSummarized, DecoderTerm, Message
from devoured_summarizer import metrics
from devoured_summarizer.backends import Summarizer
from devoured_summarizer.uow import SummarizerUnitOfWork


@dataclass(frozen=True)
class SummarizerDeps:
    new_uow: Callable[[], SummarizerUnitOfWork]
    clock: Callable[[], datetime]
    summarizer: Summarizer


async def summarize_article(msg: ArticleExtracted, *, deps: SummarizerDeps) -> list[Message]:
    summary = await deps.summarizer(msg.text, msg.title)
    summarized = ArticleSummarized(
        article_id=msg.article_id,
        canonical_url=msg.canonical_url,
        title=msg.title,
        published_at=msg.published_at,
        reading_minutes=msg.reading_minutes,
        text=msg.text,
        source=msg.source,
        tags=msg.tags,
        language=msg.language,
        site_name=msg.site_name,
        tldr=summary.tldr,
        deep_dive=summary.deep_dive,
        decoder=[DecoderTerm(term=t.term, definition=t.definition) for t in summary.decoder],
        backend=summary.backend,
    )
    async with deps.new_uow() as uow:
        saved = await uow.summaries.save(
            summarized, content_hash=msg.content_hash, at=deps.clock(), version=msg.occurred_at
        )
        # An article older than the one the row came from says nothing new downstream.
        outputs: list[Message] = [summarized] if saved else []
        await uow.outbox.add(outputs)
        await uow.commit()
    # The label is the backend (and model), never its note, so the label set stays small.
    metrics.SUMMARIES.labels(summary.backend_label).inc()
    return outputs
