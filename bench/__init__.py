"""Devoured benchmarks: ``make bench`` (``python -m bench``)."""
