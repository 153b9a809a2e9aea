"""What ``devoured summarize`` does: one article in, one JSON object out."""

import asyncio
import json
import os
from typing import Literal

BACKEND_VARIABLE = "DEVOURED_SUMMARIZER_BACKEND"


def summarize_to_json(
    text: str, title: str = "", backend: Literal["extractive", "openai"] | None = None
) -> tuple[str, str]:
    """(the summary as one JSON line, the backend that wrote it); the backend's settings come
    from ``DEVOURED_SUMMARIZER_*``, and ``backend`` overrides which one is used."""
    chosen = backend or os.environ.get(BACKEND_VARIABLE, "extractive").strip().lower()
    if chosen == "extractive":
        # The offline default needs no settings, LLM client or database layer: start fast.
        from devoured_summarizer.offline import summarize_text

        summary = summarize_text(text, title)
    else:
        from devoured_summarizer.bootstrap import build_summarizer
        from devoured_summarizer.settings import SummarizerSettings

        settings = SummarizerSettings()
        if backend is not None:
            settings = settings.model_copy(update={"backend": backend})
        summary = asyncio.run(build_summarizer(settings)(text, title))
    return json.dumps(summary.as_json(), ensure_ascii=False), summary.backend
