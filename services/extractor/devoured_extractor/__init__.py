"""Devoured extractor: main text and metadata from fetched pages."""
