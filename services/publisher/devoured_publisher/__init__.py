"""Devoured publisher: assembles the daily edition and renders it."""
