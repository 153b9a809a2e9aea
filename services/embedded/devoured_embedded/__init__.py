"""Devoured's command line and embedded mode (every stage in one process, SQLite, no broker)."""
