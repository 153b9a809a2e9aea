"""Extractor handler: a fetched page becomes an extracted article."""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from devoured_core.errors import SkipCode, SkippedInput
from devoured_core.messages import ArticleExtracted, Message, PageFetched
from devoured_core.text import xml_safe
from devoured_core.urls import article_id_for, canonicalize_url, trusted_canonical
from devoured_extractor import metrics
from devoured_extractor.extract import ExtractedContent
from devoured_extractor.isolation import WorkerCrashed, WorkerTimeout
from devoured_extractor.uow import ExtractorUnitOfWork

log = logging.getLogger("devoured.extractor")

Extractor = Callable[[str, str | None], ExtractedContent]


@dataclass(frozen=True)
class ExtractorDeps:
    new_uow: Callable[[], ExtractorUnitOfWork]
    clock: Callable[[], datetime]
    extract: Extractor
    """``extract(html, url)`` under a hard time limit (``isolation.IsolatedExtractor``)."""


async def extract_article(msg: PageFetched, *, deps: ExtractorDeps) -> list[Message]:
    """Extract ``msg``'s page; the article id comes from its canonical URL.

    Pages without an article are skipped with their reason logged and counted; pages that hit
    the hard time limit or crash a worker raise, so they are dead-lettered for a look.
    """
    started = time.perf_counter()
    try:
        content = await asyncio.to_thread(deps.extract, msg.body, msg.final_url)
        if content.paywalled:
            raise SkippedInput(
                f"extract: paywalled, only a {content.word_count}-word teaser",
                code=SkipCode.PAYWALLED,
            )
    except (WorkerTimeout, WorkerCrashed) as exc:
        reason = "timeout" if isinstance(exc, WorkerTimeout) else "crashed"
        metrics.EXTRACTIONS.labels(reason).inc()
        metrics.EXTRACTOR_FAILURES.labels(reason).inc()
        metrics.EXTRACTOR_SECONDS.labels(reason).observe(time.perf_counter() - started)
        raise
    except SkippedInput as exc:
        metrics.EXTRACTIONS.labels("skipped").inc()
        metrics.EXTRACTOR_SKIPS.labels(skip_code(exc)).inc()
        metrics.EXTRACTOR_SECONDS.labels("skipped").observe(time.perf_counter() - started)
        log.info("page skipped", extra={"article_id": msg.article_id, "reason": str(exc)})
        return []
    metrics.EXTRACTOR_SECONDS.labels("ok").observe(time.perf_counter() - started)
    article = _article(msg, content)
    async with deps.new_uow() as uow:
        saved = await uow.extractions.save(
            article, fetched_article_id=msg.article_id, at=deps.clock(), version=msg.occurred_at
        )
        # A page older than the one the row came from changes nothing and says nothing new
        # (its event would carry a fresh time and overwrite newer rows downstream).
        outputs: list[Message] = [article] if saved else []
        await uow.outbox.add(outputs)
        await uow.commit()
    metrics.EXTRACTIONS.labels("ok").inc()
    metrics.EXTRACTOR_TEXT_CHARS.observe(len(article.text))
    return outputs


def skip_code(exc: SkippedInput) -> SkipCode:
    """The metric label of a skip: the code its raiser gave (every raiser of the extractor
    gives one, in the worker process too), else ``other``; never read from its message."""
    return exc.code if exc.code is not None else SkipCode.OTHER


def _article(msg: PageFetched, content: ExtractedContent) -> ArticleExtracted:
    """The event for ``content``; every text field is XML-safe, whichever extractor ran and
    whatever the feed entry said (``devoured_core.text``)."""
    canonical = canonicalize_url(trusted_canonical(content.canonical_url, msg.final_url))
    titles = (content.title, msg.entry.title if msg.entry else None)
    title = next((t for t in (xml_safe(t or "").strip() for t in titles) if t), canonical)
    return ArticleExtracted(
        article_id=article_id_for(canonical),
        canonical_url=canonical,
        title=title,
        author=_safe(content.author),
        authors=[xml_safe(a) for a in content.authors],
        published_at=content.published_at or (msg.entry.published_at if msg.entry else None),
        updated_at=content.updated_at,
        language=_safe(content.language),
        site_name=_safe(content.site_name),
        lead_image=_safe(content.lead_image),
        text=xml_safe(content.text),
        word_count=content.word_count,
        reading_minutes=content.reading_minutes,
        content_hash=content.content_hash,
        simhash=content.simhash,
        source=msg.source,
        tags=[xml_safe(t) for t in msg.entry.categories] if msg.entry else [],
    )


def _safe(value: str | None) -> str | None:
    return xml_safe(value) if value is not None else None
