"""Devoured summarizer: TL;DR, Deep dive and Decoder for every article."""
