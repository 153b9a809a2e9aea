"""The summarizer service on the real broker and database with the ``openai`` backend
configured by environment, talking to the scripted local LLM server."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from devoured_core.messages import ArticleExtracted, SourceInfo
from devoured_core.urls import article_id_for
from devoured_infra.db import create_engine
from devoured_infra.kafka import service_app
from devoured_summarizer.service import SERVICE
from tests.integration.test_summarizer_llm import ARTICLE, GOOD, ScriptedLlm, Step
from tests.integration.test_summarizer_llm import llm_server as llm_server  # the fixture
from tests.support.asgi import serve_asgi
from tests.support.kafka import collect, produce_messages, provisioned_settings
from tests.support.services import free_port

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(180)]


def _extracted(n: int, text: str) -> ArticleExtracted:
    url = f"https://news.example/tidal-{n}"
    return ArticleExtracted(
        article_id=article_id_for(url),
        canonical_url=url,
        title="Tidal plant approved",
        text=text,
        word_count=len(text.split()),
        reading_minutes=1,
        content_hash=f"{n}" * 64,
        source=SourceInfo(source_id="wire", name="Wire", section=None),
    )


async def test_service_uses_the_configured_llm_and_falls_back_when_it_fails(
    llm_server: ScriptedLlm,
    kafka_bootstrap_servers: str,
    database_url: str,
    topic_prefix: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEVOURED_SUMMARIZER_BACKEND", "openai")
    monkeypatch.setenv("DEVOURED_SUMMARIZER_OPENAI_BASE_URL", llm_server.base_url)
    monkeypatch.setenv("DEVOURED_SUMMARIZER_OPENAI_MODEL", "test-model")
    monkeypatch.setenv("DEVOURED_SUMMARIZER_OPENAI_MAX_RETRIES", "0")
    llm_server.steps = [Step(content=json.dumps(GOOD)), Step(status=500)]
    settings = await provisioned_settings(
        kafka_bootstrap_servers,
        topic_prefix,
        database_url=database_url,
        topic_partitions=1,
        http_port=free_port(),
        kafka_session_timeout_ms=6000,
    )
    first, second = _extracted(1, ARTICLE), _extracted(2, ARTICLE + "\nA closing line here.")
    async with serve_asgi(service_app(settings, SERVICE), settings.http_port or 0):
        await produce_messages(kafka_bootstrap_servers, settings, [first, second])
        outputs = await collect(
            kafka_bootstrap_servers,
            settings.physical_topic("devoured.article_summarized"),
            until=lambda found: len(found) >= 2,
        )
    by_id = {o["article_id"]: o for o in outputs}
    assert by_id[first.article_id]["backend"] == "openai:test-model"
    assert by_id[first.article_id]["tldr"] == GOOD["tldr"]
    assert (
        by_id[second.article_id]["backend"] == "extractive (fallback: API failed: server error 500)"
    )
    assert by_id[second.article_id]["deep_dive"]
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                sa.text("select article_id, backend from summarizer_summaries")
            )
        ).all()
    await engine.dispose()
    assert {tuple(r) for r in rows} == {(a, o["backend"]) for a, o in by_id.items()}
