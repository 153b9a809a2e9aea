"""Devoured summarizer: TL;DR, Deep dive and Decoder for every article.

``summarize_text(text, title)`` is the extractive backend as a plain function; see
docs/summarizer.md for the ``openai`` backend and the settings.
"""
