"""Devoured infrastructure: settings, database, Kafka wiring and metrics.

The only home of SQLAlchemy, FastStream/aiokafka and prometheus_client in the shared library.
"""
