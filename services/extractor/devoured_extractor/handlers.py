"""Extractor handler: a fetched page becomes an extracted article."""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from devoured_core.errors import SkippedInput
from devoured_core.messages import ArticleExtracted, Message, PageFetched
from devoured_core.urls import article_id_for, canonicalize_url, host_of
from devoured_extractor.extract import extract_content
from devoured_infra import metrics
from devoured_infra.uow import UnitOfWorkFactory

log = logging.getLogger("devoured.extractor")


@dataclass(frozen=True)
class ExtractorDeps:
    new_uow: UnitOfWorkFactory
    clock: Callable[[], datetime]
    time_limit_s: float = 20.0


async def extract_article(msg: PageFetched, *, deps: ExtractorDeps) -> list[Message]:
    """Extract ``msg``'s page; the article id comes from its canonical URL."""
    try:
        async with asyncio.timeout(deps.time_limit_s):
            content = await asyncio.to_thread(extract_content, msg.body, msg.final_url)
    except TimeoutError:
        metrics.EXTRACTIONS.labels("timeout").inc()
        raise SkippedInput(f"extract: took longer than {deps.time_limit_s} s") from None
    except SkippedInput as exc:
        metrics.EXTRACTIONS.labels("skipped").inc()
        log.info("page skipped", extra={"article_id": msg.article_id, "reason": str(exc)})
        return []
    canonical = canonicalize_url(_trusted_canonical(content.canonical_url, msg.final_url))
    entry_title = msg.entry.title if msg.entry else None
    article = ArticleExtracted(
        article_id=article_id_for(canonical),
        canonical_url=canonical,
        title=content.title or entry_title or canonical,
        author=content.author,
        published_at=content.published_at or (msg.entry.published_at if msg.entry else None),
        language=content.language,
        text=content.text,
        word_count=content.word_count,
        reading_minutes=content.reading_minutes,
        content_hash=content.content_hash,
        source=msg.source,
        tags=list(msg.entry.categories) if msg.entry else [],
    )
    async with deps.new_uow() as uow:
        await uow.extractions.save(article, fetched_article_id=msg.article_id, at=deps.clock())
        await uow.commit()
    metrics.EXTRACTIONS.labels("ok").inc()
    return [article]


def _trusted_canonical(claimed: str | None, final_url: str) -> str:
    """The page's own canonical URL when it stays on the page's site, else where we found it.

    A page may not claim another site's URL (it would take over that article's id).
    """
    if not claimed or not claimed.startswith(("http://", "https://")):
        return final_url
    if _site(host_of(claimed)) != _site(host_of(final_url)):
        return final_url
    return claimed


def _site(host: str) -> str:
    return host.removeprefix("www.")
