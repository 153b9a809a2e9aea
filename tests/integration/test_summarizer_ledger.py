"""The LLM answer cache and token budget in the real PostgreSQL, shared by replicas.

Each "replica" is its own ``LlmSummarizer`` with its own engine, as two service processes
would have; the scripted OpenAI-compatible server counts what they send.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.migrate import upgrade_async
from devoured_summarizer.backends import MAX_ANSWER_TOKENS, LlmSummarizer
from devoured_summarizer.budget import DatabaseTokenBudget
from devoured_summarizer.cache import DatabaseAnswerCache
from devoured_summarizer.llm import LlmClient, RetryPolicy
from devoured_summarizer.prompt import build_messages
from devoured_summarizer.uow import SummarizerUnitOfWork
from tests.integration.test_summarizer_llm import ARTICLE, GOOD, ScriptedLlm, Step
from tests.integration.test_summarizer_llm import llm_server as llm_server  # the fixture

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]

UnitOfWorkFactory = Callable[[], SummarizerUnitOfWork]
Replica = Callable[[], UnitOfWorkFactory]


@pytest.fixture
async def replica(database_url: str) -> AsyncIterator[Replica]:
    """Makes unit-of-work factories, each on an engine of its own (one per replica)."""
    engines: list[AsyncEngine] = []

    def new_replica() -> UnitOfWorkFactory:
        engine = create_engine(database_url)
        engines.append(engine)
        sessions = create_sessionmaker(engine)
        return lambda: SummarizerUnitOfWork(sessions, service="test")

    yield new_replica
    for engine in engines:
        await engine.dispose()


def _summarizer(server: ScriptedLlm, new_uow: UnitOfWorkFactory, budget: int) -> LlmSummarizer:
    client = LlmClient(
        api_key="k",
        model="test-model",
        base_url=server.base_url,
        timeout_s=5,
        retry=RetryPolicy(max_retries=0, backoff_s=0, max_retry_after_s=0),
    )
    return LlmSummarizer(
        client,
        budget=DatabaseTokenBudget(new_uow, budget),
        cache=DatabaseAnswerCache(new_uow),
    )


async def test_replay_on_another_replica_costs_nothing(
    llm_server: ScriptedLlm, replica: Replica
) -> None:
    llm_server.steps = [Step(content=json.dumps(GOOD))]
    first = await _summarizer(llm_server, replica(), 1_000_000)(ARTICLE, "T")
    # A restarted or second replica: nothing in memory is shared with the first.
    again = await _summarizer(llm_server, replica(), 1_000_000)(ARTICLE, "T")
    assert first.backend == again.backend == "openai:test-model"
    assert first == again
    assert len(llm_server.requests) == 1


async def test_budget_holds_for_all_replicas_together(
    llm_server: ScriptedLlm, replica: Replica
) -> None:
    llm_server.steps = [Step(content=json.dumps(GOOD), delay_s=0.2)]
    articles = [f"{ARTICLE}\nStory number {i} has its own closing line." for i in range(9)]
    # Each call reserves its prompt estimate plus the largest answer, then settles to the 420
    # tokens the server reports; the limit fits 3 reservations at once, so the first wave of
    # 9 concurrent calls (3 per replica) gets 3 through and the rest fall back.
    estimate = sum(len(m["content"]) for m in build_messages(articles[0], "T")) // 3
    limit = 3 * (estimate + MAX_ANSWER_TOKENS) + 10
    replicas = [_summarizer(llm_server, replica(), budget=limit) for _ in range(3)]
    results = await asyncio.gather(
        *(replicas[i % 3](article, "T") for i, article in enumerate(articles))
    )
    called = [r for r in results if r.backend == "openai:test-model"]
    refused = [r for r in results if r.backend == "extractive (fallback: budget spent)"]
    assert len(called) == len(llm_server.requests)
    assert len(called) + len(refused) == 9
    # At least the first wave's 3 went through, and the shared limit refused some
    # (a per-process budget would have let all 9 through: each replica alone stays under it).
    assert len(called) >= 3
    assert len(refused) >= 3
    async with replica()() as uow:
        spent = await uow.llm_ledger.spent(datetime.now(UTC).date().isoformat())
    assert spent == 420 * len(called)  # reservations settled to what the API reported


async def test_concurrent_reservations_never_overshoot_the_limit(replica: Replica) -> None:
    budgets = [DatabaseTokenBudget(replica(), limit=1_000) for _ in range(4)]
    granted = await asyncio.gather(*(budgets[i % 4].reserve(100) for i in range(40)))
    assert sum(g is not None for g in granted) == 10
    async with replica()() as uow:
        assert await uow.llm_ledger.spent(datetime.now(UTC).date().isoformat()) == 1_000


async def test_old_answers_are_pruned(replica: Replica) -> None:
    now = [datetime(2026, 11, 1, tzinfo=UTC)]
    cache = DatabaseAnswerCache(replica(), keep=timedelta(days=30), clock=lambda: now[0])
    await cache.put("old", "{}")
    now[0] += timedelta(days=31)
    await cache.put("new", "{}")
    assert (await cache.get("old"), await cache.get("new")) == (None, "{}")


async def test_embedded_mode_keeps_the_ledger_in_sqlite(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'devoured.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    try:
        budget = DatabaseTokenBudget(
            lambda: SummarizerUnitOfWork(sessions, service="test"), limit=500
        )
        first = await budget.reserve(400)
        assert first is not None
        assert await budget.reserve(200) is None
        await budget.settle(first, 100)
        assert await budget.reserve(400) is not None
        cache = DatabaseAnswerCache(lambda: SummarizerUnitOfWork(sessions, service="test"))
        await cache.put("k", '{"tldr": "x"}')
        assert await cache.get("k") == '{"tldr": "x"}'
    finally:
        await engine.dispose()
