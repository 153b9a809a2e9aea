"""Summarizer settings, read from ``DEVOURED_SUMMARIZER_*`` environment variables."""

from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SummarizerSettings(BaseSettings):
    """Which backend summarises, and how the ``openai`` backend talks to its API."""

    model_config = SettingsConfigDict(env_prefix="DEVOURED_SUMMARIZER_", extra="ignore")

    backend: Literal["extractive", "openai"] = "extractive"
    openai_base_url: str | None = None  # None: the SDK's default (or OPENAI_BASE_URL)
    openai_api_key: SecretStr = SecretStr("")
    openai_model: str = "gpt-4o-mini"
    openai_timeout_s: float = 60.0
    openai_max_retries: int = 3
    openai_backoff_s: float = 1.0
    openai_max_retry_after_s: float = 60.0
    openai_deadline_s: float = 120.0
    openai_concurrency: int = 4
    openai_daily_token_budget: int = 2_000_000
    # Dollars per million tokens, for the cost metric; 0 for a self-hosted model.
    openai_price_in_per_mtok: float = 0.0
    openai_price_out_per_mtok: float = 0.0
    cache_entries: int = 10_000  # answers kept in memory by `devoured summarize` (no database)
    cache_days: int = 30  # the service keeps answers in its database this long
