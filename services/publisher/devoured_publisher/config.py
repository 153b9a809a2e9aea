"""The publisher's own settings (``DEVOURED_PUBLISHER_*``) and its sections file."""

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from devoured_publisher.sections import DEFAULT_SECTIONS


class PublisherSettings(BaseSettings):
    """Edition cadence, web links, and delivery by email and webhooks."""

    model_config = SettingsConfigDict(env_prefix="DEVOURED_PUBLISHER_", extra="ignore")

    cadence: Literal["daily", "weekly", "hourly"] = "daily"
    cutoff_hour: int = Field(0, ge=0, le=23)
    sections_file: Path | None = None
    base_url: str = "http://localhost:9104"
    feed_items: int = 30

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    email_from: str = "digest@devoured.local"
    email_to: str = ""

    webhook_urls: str = ""
    webhook_format: Literal["slack", "discord", "json"] = "json"
    webhook_secret: str = ""
    delivery_attempts: int = 4
    delivery_backoff_s: float = 2.0

    @property
    def subscribers(self) -> list[str]:
        return [a.strip() for a in self.email_to.split(",") if a.strip()]

    @property
    def webhooks(self) -> list[str]:
        return [u.strip() for u in self.webhook_urls.split(",") if u.strip()]


class _SectionsFile(BaseModel):
    sections: dict[str, list[str]]


def load_sections(path: Path | None) -> dict[str, tuple[str, ...]]:
    """Sections and their keywords, in display order: from ``path`` (YAML) or the defaults.

    The file looks like ``sections: {"AI": ["llm", "model"], "Security": ["cve"]}``.
    """
    if path is None:
        return dict(DEFAULT_SECTIONS)
    document = _SectionsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return {name: tuple(keywords) for name, keywords in document.sections.items()}
