"""Devoured's pure core: message contracts, topic names, ids and errors.

Imports only the standard library and pydantic, so every service and the embedded runner can
share it without pulling in infrastructure.
"""
