"""The two backends behind one interface: ``await summarizer(text, title) -> Summary``.

``summarize_text`` is the extractive backend as a plain function (what ``devoured summarize``
and library users call); ``LlmSummarizer`` is the ``openai`` backend, which falls back to it
and says so in ``Summary.backend``, e.g. ``"extractive (fallback: budget spent)"``; which
backend wrote a summary is ``Summary.backend_name`` (and ``model``).
"""

import asyncio
import dataclasses
import json
from typing import Protocol

from devoured_summarizer import metrics
from devoured_summarizer.budget import TokenBudget
from devoured_summarizer.cache import AnswerCache
from devoured_summarizer.limits import prepare
from devoured_summarizer.llm import LlmClient, LlmError
from devoured_summarizer.offline import summarize_text
from devoured_summarizer.prompt import (
    RejectedAnswer,
    build_messages,
    content_key,
    parse_answer,
    response_schema,
)
from devoured_summarizer.summary import Summary

__all__ = ["ExtractiveSummarizer", "LlmSummarizer", "Summarizer", "summarize_text"]

MAX_ANSWER_TOKENS = 2_000  # reserved per call when checking the budget


class Summarizer(Protocol):
    async def __call__(self, text: str, title: str) -> Summary: ...


class ExtractiveSummarizer:
    async def __call__(self, text: str, title: str) -> Summary:
        return summarize_text(text, title)


class LlmSummarizer:
    """The ``openai`` backend: cache, budget, concurrency limit, checks, and fallback."""

    def __init__(
        self,
        client: LlmClient,
        *,
        budget: TokenBudget,
        cache: AnswerCache,
        concurrency: int = 4,
        price_in_per_mtok: float = 0.0,
        price_out_per_mtok: float = 0.0,
    ) -> None:
        self._client = client
        self._budget = budget
        self._cache = cache
        self._slots = asyncio.Semaphore(concurrency)
        self._prices = (price_in_per_mtok, price_out_per_mtok)
        self.backend = f"openai:{client.model}"

    async def __call__(self, text: str, title: str) -> Summary:
        if not text.strip():
            return summarize_text(text, title)  # nothing to send; the outcome is the same
        prepared = prepare(text)
        key = content_key(prepared.text, title, self._client.model)
        if (cached := await self._cache.get(key)) is not None:
            metrics.LLM_CACHE.labels("hit").inc()
            return self._written(parse_answer(cached, prepared.text, self.backend, title))
        metrics.LLM_CACHE.labels("miss").inc()
        messages = build_messages(prepared.text, title)
        estimate = sum(len(m["content"]) for m in messages) // 3 + MAX_ANSWER_TOKENS
        async with self._slots:
            reservation = await self._budget.reserve(estimate)
            if reservation is None:
                return _fallback(text, title, "budget", "budget spent")
            used = 0
            try:
                completion = await self._client.complete(messages, response_schema())
                used = completion.tokens_in + completion.tokens_out
            except LlmError as exc:
                return _fallback(text, title, "api", f"API failed: {exc.reason}")
            finally:
                await self._budget.settle(reservation, used)
        self._charge(completion.tokens_in, completion.tokens_out)
        try:
            summary = self._written(
                parse_answer(completion.content, prepared.text, self.backend, title)
            )
        except RejectedAnswer as exc:
            return _fallback(text, title, "rejected", f"answer rejected: {exc}")
        await self._cache.put(key, json.dumps(summary.as_json()))
        return summary

    def _written(self, summary: Summary) -> Summary:
        """``summary`` as this backend's (``parse_answer`` only knows the text)."""
        return dataclasses.replace(summary, backend_name="openai", model=self._client.model)

    def _charge(self, tokens_in: int, tokens_out: int) -> None:
        metrics.LLM_TOKENS.labels("in").inc(tokens_in)
        metrics.LLM_TOKENS.labels("out").inc(tokens_out)
        price_in, price_out = self._prices
        metrics.LLM_COST.inc((tokens_in * price_in + tokens_out * price_out) / 1_000_000)


def _fallback(text: str, title: str, label: str, reason: str) -> Summary:
    metrics.SUMMARY_FALLBACKS.labels(label).inc()
    summary = summarize_text(text, title)
    return dataclasses.replace(summary, backend=f"extractive (fallback: {reason})")
