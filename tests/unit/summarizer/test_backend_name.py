"""Which backend wrote a summary is a typed value; the message's free text is unchanged."""

import json

from devoured_core.messages import ArticleSummarized
from devoured_infra.metrics import REGISTRY
from devoured_summarizer.backends import LlmSummarizer, summarize_text
from devoured_summarizer.bootstrap import wire
from devoured_summarizer.budget import DailyTokenBudget
from devoured_summarizer.cache import MemoryAnswerCache
from devoured_summarizer.llm import Completion, LlmClient
from devoured_summarizer.summary import Summary
from devoured_summarizer.uow import SummarizerUnitOfWork
from tests.support.sqlite import TestDatabase
from tests.unit import samples

ARTICLE = (
    "The council approved four tidal turbines.\n"
    "They should power five percent of homes from 2028 and sit on the seabed."
)
ANSWER = {
    "tldr": "The council approved four tidal turbines that should power five percent of homes.",
    "deep_dive": ["Four turbines will sit on the seabed.", "Power flows from 2028."],
    "decoder": [{"term": "Tidal turbine", "definition": "An underwater rotor driven by tides."}],
}


class ScriptedClient(LlmClient):
    def __init__(self, answer: str) -> None:
        super().__init__(api_key="unused", model="tiny-1")
        self.answer = answer

    async def complete(
        self, messages: list[dict[str, str]], response_format: dict[str, object]
    ) -> Completion:
        return Completion(self.answer, tokens_in=10, tokens_out=5)


def _llm(answer: str, budget: int = 100_000) -> LlmSummarizer:
    return LlmSummarizer(
        ScriptedClient(answer), budget=DailyTokenBudget(budget), cache=MemoryAnswerCache()
    )


def _articles(backend: str) -> float:
    value = REGISTRY.get_sample_value("devoured_summarizer_articles_total", {"backend": backend})
    return value or 0.0


async def test_an_llm_summary_names_its_backend_and_model() -> None:
    summary = await _llm(json.dumps(ANSWER))(ARTICLE, "Tidal turbines")
    assert (summary.backend_name, summary.model, summary.backend) == (
        "openai",
        "tiny-1",
        "openai:tiny-1",
    )
    assert summary.backend_label == "openai:tiny-1"


async def test_a_fallback_is_extractive_with_its_reason_in_the_text() -> None:
    summary = await _llm("not json")(ARTICLE, "Tidal turbines")
    assert (summary.backend_name, summary.model) == ("extractive", None)
    assert summary.backend.startswith("extractive (fallback: answer rejected: ")
    assert summary.backend_label == "extractive"


def test_the_extractive_backend_notes_stay_out_of_the_name() -> None:
    summary = summarize_text("One short line about the tidal plant.", "Tidal")
    assert summary.backend == "extractive (too short for a Deep dive)"
    assert (summary.backend_name, summary.backend_label) == ("extractive", "extractive")


async def test_the_metric_label_comes_from_the_typed_name_not_the_text(
    database: TestDatabase,
) -> None:
    async def odd(text: str, title: str) -> Summary:
        # A text that the old split would have read as "openai:x".
        return Summary("A sentence.", backend="openai:x (note)", backend_name="extractive")

    before = (_articles("extractive"), _articles("openai:x"))
    stage = wire(database.uow(SummarizerUnitOfWork, "summarizer"), summarizer=odd)
    [message] = await stage.handle(samples.article_extracted())
    assert isinstance(message, ArticleSummarized)
    assert message.backend == "openai:x (note)"  # the wire field is the free text
    assert (_articles("extractive"), _articles("openai:x")) == (before[0] + 1, before[1])


async def test_an_llm_summary_is_counted_under_backend_and_model(database: TestDatabase) -> None:
    before = _articles("openai:tiny-1")
    stage = wire(
        database.uow(SummarizerUnitOfWork, "summarizer"), summarizer=_llm(json.dumps(ANSWER))
    )
    article = samples.article_extracted(text=ARTICLE, title="Tidal turbines")
    [message] = await stage.handle(article)
    assert isinstance(message, ArticleSummarized)
    assert message.backend == "openai:tiny-1"
    assert _articles("openai:tiny-1") == before + 1
