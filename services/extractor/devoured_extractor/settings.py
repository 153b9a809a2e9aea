"""Extractor settings (environment prefix ``DEVOURED_EXTRACTOR_``)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class ExtractorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEVOURED_EXTRACTOR_", extra="ignore")

    time_limit_s: float = 20.0
    """Hard limit per page; the worker process is killed when it is exceeded."""
    workers: int = 1
    """Worker processes per service instance (pages extracted at the same time)."""
