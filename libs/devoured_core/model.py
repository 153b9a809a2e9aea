"""Domain values the stages keep in their stores (not messages)."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from devoured_core.messages import DecoderTerm, SourceInfo


class Source(BaseModel):
    """A place Devoured reads from: a feed to poll or a single article URL."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,200}$")
    name: str
    url: str
    kind: Literal["feed", "article"] = "feed"
    section: str | None = None
    weight: float = 1.0
    enabled: bool = True

    def info(self) -> SourceInfo:
        return SourceInfo(
            source_id=self.source_id, name=self.name, section=self.section, weight=self.weight
        )


class SourceSettings(BaseModel):
    """Per-source fetch settings from the sources file, stored with the source as JSON.

    Strict where it is read from the file (an unknown key or a bad value is an error there);
    lenient where it is read back from the store (``from_stored``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    poll_min_s: float | None = None
    poll_max_s: float | None = None
    user_agent: str | None = None
    headers: dict[str, str] | None = None

    def stored(self) -> dict[str, Any] | None:
        """The JSON the store keeps: only the settings given (None when there are none)."""
        return self.model_dump(mode="json", exclude_none=True) or None

    @classmethod
    def from_stored(cls, value: object) -> "SourceSettings":
        """The settings a stored value holds. Never raises: a stored row is not a place to
        stop polling over, so unknown keys and invalid values are left out (defaults apply)."""
        if not isinstance(value, Mapping):
            return cls()
        known = {k: v for k, v in value.items() if k in cls.model_fields}
        try:
            return cls.model_validate(known)
        except ValidationError:
            kept = {}
            for key, item in known.items():
                try:
                    cls.model_validate({key: item})
                except ValidationError:
                    continue
                kept[key] = item
            return cls.model_validate(kept)


class FeedState(BaseModel):
    """What we remember of a feed between polls, for conditional GET and back-off."""

    model_config = ConfigDict(frozen=True)

    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    error_count: int = 0


class Story(BaseModel):
    """A summarised article as the publisher keeps it for its editions."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    edition_date: date
    edition_id: str | None = None
    section: str | None
    title: str
    url: str
    source_name: str
    source_weight: float
    reading_minutes: int
    published_at: datetime | None
    tldr: str
    deep_dive: list[str]
    decoder: list[DecoderTerm]
    text: str
    received_at: datetime
    text_words: int | None = None
    """The words of ``text`` (``len(text.split())``) for a story read without it (the edition
    builder reads only the stories it shows in full); None: count them in ``text``."""

    @property
    def edition_key(self) -> str:
        """The edition this story belongs to (daily editions are keyed by their date)."""
        return self.edition_id or self.edition_date.isoformat()


class EditionRecord(BaseModel):
    """A built edition as stored by the publisher."""

    model_config = ConfigDict(frozen=True)

    edition_id: str
    edition_date: date
    title: str
    overview: str
    item_count: int
    story_count: int = 0
    markdown: str
    html: str
    content_hash: str
    built_at: datetime
