"""Extraction quality benchmark: generated corpus, shingle scorer, peers in one run."""
