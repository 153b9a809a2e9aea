"""Composition root of the summarizer: the backend comes from ``SummarizerSettings``.

``bootstrap`` is the service's wiring, ``wire`` the stage with test seams (clock, backend)."""

import functools
from collections.abc import Callable
from datetime import datetime, timedelta

from devoured_core.messages import ArticleExtracted
from devoured_infra.bus import Stage
from devoured_infra.service import ServiceContext, Wiring, utc_now
from devoured_summarizer.backends import ExtractiveSummarizer, LlmSummarizer, Summarizer
from devoured_summarizer.budget import DailyTokenBudget, DatabaseTokenBudget, TokenBudget
from devoured_summarizer.cache import AnswerCache, DatabaseAnswerCache, MemoryAnswerCache
from devoured_summarizer.handlers import SummarizerDeps, summarize_article
from devoured_summarizer.llm import LlmClient, RetryPolicy
from devoured_summarizer.settings import SummarizerSettings
from devoured_summarizer.uow import SummarizerUnitOfWork


def bootstrap(context: ServiceContext) -> Wiring:
    """The summarizer: articles in, summaries out, with the configured backend."""
    stage = wire(
        lambda: SummarizerUnitOfWork(context.sessions, service="summarizer"),
        clock=context.clock,
        settings=context.settings_of(SummarizerSettings),
    )
    return Wiring(stages=[stage])


def wire(
    new_uow: Callable[[], SummarizerUnitOfWork],
    *,
    clock: Callable[[], datetime] = utc_now,
    summarizer: Summarizer | None = None,
    settings: SummarizerSettings | None = None,
) -> Stage:
    chosen = summarizer or build_summarizer(
        settings or SummarizerSettings(), clock=clock, new_uow=new_uow
    )
    deps = SummarizerDeps(new_uow=new_uow, clock=clock, summarizer=chosen)
    # The extractive backend is CPU work alone; an LLM call is paid for, so it is never redone
    # for a batch rolled back.
    return Stage(
        "summarizer",
        ArticleExtracted,
        functools.partial(summarize_article, deps=deps),
        batch=isinstance(chosen, ExtractiveSummarizer),
    )


def build_summarizer(
    settings: SummarizerSettings,
    *,
    clock: Callable[[], datetime] = utc_now,
    new_uow: Callable[[], SummarizerUnitOfWork] | None = None,
) -> Summarizer:
    """The configured backend (``DEVOURED_SUMMARIZER_BACKEND``, default ``extractive``).

    With a database (``new_uow``) the LLM answer cache and the token budget live there, shared
    by every replica; without one (the command line) they live in this process.
    """
    if settings.backend == "extractive":
        return ExtractiveSummarizer()
    client = LlmClient(
        api_key=settings.openai_api_key.get_secret_value(),
        model=settings.openai_model,
        base_url=settings.openai_base_url,
        timeout_s=settings.openai_timeout_s,
        retry=RetryPolicy(
            max_retries=settings.openai_max_retries,
            backoff_s=settings.openai_backoff_s,
            max_retry_after_s=settings.openai_max_retry_after_s,
            deadline_s=settings.openai_deadline_s,
        ),
    )
    budget: TokenBudget
    cache: AnswerCache
    if new_uow is None:
        budget = DailyTokenBudget(settings.openai_daily_token_budget, clock)
        cache = MemoryAnswerCache(settings.cache_entries)
    else:
        budget = DatabaseTokenBudget(new_uow, settings.openai_daily_token_budget, clock)
        cache = DatabaseAnswerCache(new_uow, keep=timedelta(days=settings.cache_days), clock=clock)
    return LlmSummarizer(
        client,
        budget=budget,
        cache=cache,
        concurrency=settings.openai_concurrency,
        price_in_per_mtok=settings.openai_price_in_per_mtok,
        price_out_per_mtok=settings.openai_price_out_per_mtok,
    )
