"""The ``extractive`` backend: offline, deterministic, fast (pure; stdlib only).

``summarize(text, title)`` picks the article's own sentences for the TL;DR and the Deep dive
and builds the Decoder from the article's definitions and our shipped glossary.
"""

from devoured_summarizer.extractive.compose import BACKEND, summarize

__all__ = ["BACKEND", "summarize"]
