"""What ``devoured summarize`` does: one article in, one JSON object out."""

import asyncio
import json
from typing import Literal

from devoured_summarizer.settings import SummarizerSettings


def summarize_to_json(
    text: str, title: str = "", backend: Literal["extractive", "openai"] | None = None
) -> tuple[str, str]:
    """(the summary as one JSON line, the backend that wrote it); the backend's settings come
    from ``DEVOURED_SUMMARIZER_*``, and ``backend`` overrides which one is used."""
    settings = SummarizerSettings()
    if backend is not None:
        settings = settings.model_copy(update={"backend": backend})
    if settings.backend == "extractive":
        # The offline default needs neither the LLM client nor the database layer: start fast.
        from devoured_summarizer.backends import ExtractiveSummarizer

        summary = asyncio.run(ExtractiveSummarizer()(text, title))
    else:
        from devoured_summarizer.bootstrap import build_summarizer

        summary = asyncio.run(build_summarizer(settings)(text, title))
    return json.dumps(summary.as_json(), ensure_ascii=False), summary.backend
