"""The publisher's own settings (``DEVOURED_PUBLISHER_*``, and four older unprefixed names)
and its sections file."""

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from devoured_publisher.editor import SCOPE_KEYWORDS, EditorPolicy
from devoured_publisher.sections import DEFAULT_SECTIONS


class PublisherSettings(BaseSettings):
    """Where editions go, their name and cadence, web links, and delivery by email and
    webhooks."""

    model_config = SettingsConfigDict(
        env_prefix="DEVOURED_PUBLISHER_", extra="ignore", populate_by_name=True
    )

    out_dir: Path = Field(Path("out"), validation_alias="DEVOURED_OUT_DIR")
    digest_name: str = Field("Devoured Daily", validation_alias="DEVOURED_DIGEST_NAME")
    timezone: str = Field("UTC", validation_alias="DEVOURED_TIMEZONE")
    edition_interval_s: float = Field(30.0, validation_alias="DEVOURED_EDITION_INTERVAL_S")

    cadence: Literal["daily", "weekly", "hourly"] = "daily"
    cutoff_hour: int = Field(0, ge=0, le=23)
    sections_file: Path | None = None
    # The editor (docs/publisher.md): what makes the cut.
    max_stories: int = Field(48, ge=1)
    section_max: int = Field(12, ge=1)
    quick_links_max: int = Field(40, ge=0)
    other_max: int = Field(20, ge=0)
    min_relevance: float = Field(0.5, ge=0.0, le=1.0)
    off_topic: Literal["other", "drop"] = "other"
    always_relevant: str = ""
    languages: str = ""
    base_url: str = "http://localhost:9104"
    feed_items: int = 30
    # An edition of this many stories or more is cut in a process of its own (cutter.py), so
    # the publisher's memory does not keep the size of its largest edition; 0: never.
    cut_worker_from: int = Field(2000, ge=0)

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_implicit_tls: bool = False
    smtp_allow_plaintext: bool = False
    smtp_ca_file: Path | None = None
    email_from: str = "digest@devoured.local"
    email_to: str = ""

    webhook_urls: SecretStr = SecretStr("")
    webhook_format: Literal["slack", "discord", "json"] = "json"
    webhook_secret: SecretStr = SecretStr("")
    delivery_attempts: int = 4
    delivery_backoff_s: float = 2.0

    # The operators' /status page answers only requests carrying this token; unset, it is 404.
    status_token: SecretStr | None = None

    @model_validator(mode="after")
    def _email_needs_tls(self) -> "PublisherSettings":
        if self.smtp_host and not (
            self.smtp_starttls or self.smtp_implicit_tls or self.smtp_allow_plaintext
        ):
            raise ValueError(
                "SMTP without TLS: set DEVOURED_PUBLISHER_SMTP_STARTTLS or _SMTP_IMPLICIT_TLS, "
                "or _SMTP_ALLOW_PLAINTEXT for a loopback relay"
            )
        return self

    @property
    def subscribers(self) -> list[str]:
        return [a.strip() for a in self.email_to.split(",") if a.strip()]

    @property
    def webhooks(self) -> list[str]:
        urls = self.webhook_urls.get_secret_value()
        return [u.strip() for u in urls.split(",") if u.strip()]


class _SectionsFile(BaseModel):
    sections: dict[str, list[str]]
    caps: dict[str, int] = {}
    scope: list[str] | None = None


def _listed(value: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in value.split(",") if part.strip())


def editor_policy(options: PublisherSettings) -> EditorPolicy:
    """The editor's policy from the settings and the sections file (its ``sections``, and
    optional ``caps`` per section and ``scope`` keywords)."""
    document = _read_sections(options.sections_file)
    return EditorPolicy(
        sections=load_sections(options.sections_file),
        scope_keywords=tuple(document.scope) if document and document.scope else SCOPE_KEYWORDS,
        min_relevance=options.min_relevance,
        off_topic=options.off_topic,
        always_relevant=_listed(options.always_relevant),
        languages=_listed(options.languages),
        max_stories=options.max_stories,
        section_max=options.section_max,
        section_caps=dict(document.caps) if document else {},
        quick_links_max=options.quick_links_max,
        other_max=options.other_max,
    )


def _read_sections(path: Path | None) -> _SectionsFile | None:
    if path is None:
        return None
    return _SectionsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_sections(path: Path | None) -> dict[str, tuple[str, ...]]:
    """Sections and their keywords, in display order: from ``path`` (YAML) or the defaults.

    The file looks like ``sections: {"AI": ["llm", "model"], "Security": ["cve"]}``, with
    optional ``caps: {"AI": 10}`` and ``scope: [...]`` (the editor's general keywords).
    """
    document = _read_sections(path)
    if document is None:
        return dict(DEFAULT_SECTIONS)
    return {name: tuple(keywords) for name, keywords in document.sections.items()}
