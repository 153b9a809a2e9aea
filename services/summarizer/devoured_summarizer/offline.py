"""The extractive backend as a plain function (pure, offline): what ``devoured summarize``,
the ``openai`` backend's fallback and library users call.

Kept apart from ``backends`` so that the command line's default path imports neither the LLM
client nor the metrics and prompt models: ``devoured summarize`` starts fast.
"""

import dataclasses

from devoured_summarizer import extractive
from devoured_summarizer.limits import prepare
from devoured_summarizer.summary import Summary


def summarize_text(text: str, title: str = "") -> Summary:
    """The extractive backend with clear outcomes for empty, huge and non-English text."""
    if not text.strip():
        return Summary(tldr=" ".join(title.split()) or "(no text)", backend="extractive (no text)")
    prepared = prepare(text)
    summary = extractive.summarize(prepared.text, title, use_glossary=prepared.english)
    notes = [prepared.note] if prepared.note else []
    if not summary.deep_dive:
        notes.append("too short for a Deep dive")
    if notes:
        summary = dataclasses.replace(summary, backend=f"{summary.backend} ({'; '.join(notes)})")
    return summary
