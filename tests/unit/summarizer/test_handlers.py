"""The summarizer handler, wired by ``bootstrap`` to its unit of work on a real (SQLite)
database."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from devoured_core.messages import ArticleExtracted, ArticleSummarized
from devoured_summarizer.backends import ExtractiveSummarizer, LlmSummarizer
from devoured_summarizer.bootstrap import build_summarizer, wire
from devoured_summarizer.extractive.segment import split_sentences
from devoured_summarizer.settings import SummarizerSettings
from devoured_summarizer.summary import Summary, Term
from devoured_summarizer.tables import summarizer_summaries
from devoured_summarizer.uow import SummarizerUnitOfWork
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit import samples

TEXT = (
    "The port authority opened a new container terminal on the east quay this week.\n"
    "The terminal doubles the number of ships the port can unload at the same time.\n"
    "An automated guided vehicle (AGV) moves each container from the crane to the yard.\n"
    "Dock workers negotiated a retraining programme before the terminal opened.\n"
    "The quay cranes are operated remotely from a control room two kilometres away.\n"
    "Shipping lines had asked for faster turnarounds since the harbour reopened in 2024.\n"
    "The port expects its yearly throughput to rise by 30 percent by the end of 2027."
)


def _uow(database: TestDatabase) -> Callable[[], SummarizerUnitOfWork]:
    return database.uow(SummarizerUnitOfWork, "summarizer")


async def test_extracted_article_becomes_summarized_article(database: TestDatabase) -> None:
    clock = FakeClock(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))
    stage = wire(_uow(database), clock=clock, settings=SummarizerSettings())
    article = samples.article_extracted(text=TEXT, title="Port opens automated terminal")

    [summary] = await stage.handle(article)

    assert stage.message_type is ArticleExtracted
    assert isinstance(summary, ArticleSummarized)
    assert (summary.article_id, summary.canonical_url) == (
        article.article_id,
        article.canonical_url,
    )
    assert (summary.title, summary.text, summary.source) == (
        article.title,
        article.text,
        article.source,
    )
    sentences = [s.text for s in split_sentences(TEXT)]
    assert summary.tldr in sentences
    assert len(summary.deep_dive) >= 3
    assert summary.tldr not in summary.deep_dive
    assert ("AGV", "Automated guided vehicle") in [(t.term, t.definition) for t in summary.decoder]
    assert summary.backend == "extractive"
    assert await database.rows(summarizer_summaries) == [
        {
            "article_id": article.article_id,
            "content_hash": article.content_hash,
            "tldr": summary.tldr,
            "deep_dive": summary.deep_dive,
            "decoder": [{"term": t.term, "definition": t.definition} for t in summary.decoder],
            "backend": summary.backend,
            "summarized_at": clock.now,
            "message_occurred_at": article.occurred_at,
        }
    ]
    assert await database.outbox(ArticleSummarized.TOPIC) == [summary]
    assert database.commits == 1


async def test_replayed_article_overwrites_its_single_summary(database: TestDatabase) -> None:
    stage = wire(_uow(database), settings=SummarizerSettings())
    article = samples.article_extracted(text=TEXT)

    await stage.handle(article)
    await stage.handle(article)

    rows = await database.rows(summarizer_summaries)
    assert [row["article_id"] for row in rows] == [article.article_id]


async def test_the_configured_summarizer_writes_the_message(database: TestDatabase) -> None:
    seen: list[tuple[str, str]] = []

    async def scripted(text: str, title: str) -> Summary:
        seen.append((text, title))
        return Summary("A scripted sentence.", ["One bullet."], [Term("X", "Y")], "scripted")

    stage = wire(_uow(database), summarizer=scripted)
    article = samples.article_extracted(text=TEXT, title="Port")
    [summary] = await stage.handle(article)
    assert seen == [(TEXT, "Port")]
    assert isinstance(summary, ArticleSummarized)
    assert (summary.tldr, summary.deep_dive, summary.backend) == (
        "A scripted sentence.",
        ["One bullet."],
        "scripted",
    )
    assert [(t.term, t.definition) for t in summary.decoder] == [("X", "Y")]


# --- clear outcomes for unusual articles ------------------------------------------------


async def _summarize(
    database: TestDatabase, text: str, title: str = "Headline"
) -> ArticleSummarized:
    stage = wire(_uow(database), settings=SummarizerSettings())
    [summary] = await stage.handle(samples.article_extracted(text=text, title=title))
    assert isinstance(summary, ArticleSummarized)
    assert database.commits == 1
    return summary


async def test_empty_article_gets_its_headline_and_says_so(database: TestDatabase) -> None:
    summary = await _summarize(database, "  \n ", title="Council approves tidal plant")
    assert (summary.tldr, summary.deep_dive, summary.decoder) == (
        "Council approves tidal plant",
        [],
        [],
    )
    assert summary.backend == "extractive (no text)"


async def test_one_line_article_is_its_own_tldr_without_deep_dive(database: TestDatabase) -> None:
    line = "The council approved the tidal plant after a two-hour debate on Monday."
    summary = await _summarize(database, line)
    assert summary.tldr == line
    assert summary.deep_dive == []
    assert summary.backend == "extractive (too short for a Deep dive)"


async def test_fifty_thousand_word_article_is_cut_and_says_so(database: TestDatabase) -> None:
    paragraph = " ".join(
        f"The turbine {i} in the row {i % 7} produced {i * 3} megawatt hours for the city and "
        "the port during a test run that was watched by the engineers of the council."
        for i in range(40)
    )
    text = "\n".join([paragraph] * 60)
    assert len(text.split()) >= 50_000
    summary = await _summarize(database, text)
    assert summary.backend == "extractive (first 20000 words)"
    assert 5 <= len(summary.deep_dive) <= 14
    assert len(summary.tldr.split()) <= 35


async def test_non_english_article_is_summarised_without_the_glossary(
    database: TestDatabase,
) -> None:
    text = (
        "Der Stadtrat hat am Montag den Bau eines Gezeitenkraftwerks im Hafen beschlossen.\n"
        "Die vier Turbinen sollen ab dem Jahr 2028 etwa fünf Prozent des Stroms liefern.\n"
        "Kritiker halten die Kosten für die Wartung der Anlage für deutlich zu niedrig.\n"
        "Die Ingenieure wollen die erste Turbine schon im Sommer 2027 ins Wasser lassen.\n"
        "Das Projekt wird zum größten Teil aus Mitteln der Europäischen Union bezahlt."
    )
    summary = await _summarize(database, text, title="Gezeitenkraftwerk")
    assert summary.backend == "extractive (not English: no glossary)"
    assert summary.tldr in [s.text for s in split_sentences(text)]
    assert summary.decoder == []


# --- backend choice ----------------------------------------------------------------------


def test_backend_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEVOURED_SUMMARIZER_BACKEND", raising=False)
    assert isinstance(build_summarizer(SummarizerSettings()), ExtractiveSummarizer)
    monkeypatch.setenv("DEVOURED_SUMMARIZER_BACKEND", "openai")
    monkeypatch.setenv("DEVOURED_SUMMARIZER_OPENAI_MODEL", "local-model")
    chosen = build_summarizer(SummarizerSettings())
    assert isinstance(chosen, LlmSummarizer)
    assert chosen.backend == "openai:local-model"
