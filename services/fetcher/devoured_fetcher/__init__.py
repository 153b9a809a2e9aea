"""Devoured fetcher: polls sources and fetches article pages, politely and safely."""
