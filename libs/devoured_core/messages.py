"""Message contracts exchanged between the stages, one pydantic model per topic.

Messages are frozen and reject unknown fields. Each carries ``schema_version`` (bumped on any
incompatible change), ``message_id`` and ``occurred_at``. ``TOPIC`` names the topic a message is
published on and ``key()`` its partition key: the host for fetch requests, so one worker owns a
host's politeness, and the article id for everything about an article, so one article's events
stay ordered.
"""

import contextlib
import datetime as dt
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)

from devoured_core import topics
from devoured_core.urls import article_id_for, host_of


def _new_id() -> str:
    return uuid.uuid4().hex


def _now() -> datetime:
    return datetime.now(UTC)


class Message(BaseModel):
    """Base of every message: identity, time and schema version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TOPIC: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1  # the newest schema_version this code understands

    schema_version: int = Field(1, description="Version of this message's schema.", examples=[1])
    message_id: str = Field(
        default_factory=_new_id,
        description="Unique id of this message (hex UUID).",
        examples=["8f14e45fceea167a5a36dedd4bea2543"],
    )
    occurred_at: datetime = Field(
        default_factory=_now,
        description="When the event happened (UTC).",
    )

    def key(self) -> bytes:
        """Partition key of this message."""
        raise NotImplementedError

    @classmethod
    def log_ids(cls, raw: Mapping[str, object]) -> dict[str, object]:
        """The ids worth logging from ``raw``, a record of this type parsed as JSON but not
        validated (it may be invalid): its ``article_id`` and ``url`` when they are strings.
        Never raises."""
        return {k: raw[k] for k in ("article_id", "url") if isinstance(raw.get(k), str)}

    @field_validator("schema_version")
    @classmethod
    def _understood(cls, version: int) -> int:
        # A record from a newer producer may mean something this version would get wrong:
        # it is a bad record here (dead-lettered, to replay after the upgrade), not a guess.
        if not 1 <= version <= cls.SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {version} is not one this version understands "
                f"(1 to {cls.SCHEMA_VERSION})"
            )
        return version


class FeedEntry(BaseModel):
    """What a feed said about an entry, carried along with the article it points to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = Field(None, description="Entry title from the feed.")
    link: str = Field(description="Entry link as the feed gave it (absolute).")
    guid: str | None = Field(None, description="Entry id or GUID from the feed.")
    published_at: datetime | None = Field(None, description="Entry publication time.")
    summary: str | None = Field(None, description="Entry description or summary, plain text.")
    categories: list[str] = Field(default_factory=list, description="Entry categories/tags.")


class SourceInfo(BaseModel):
    """The source an article came from, carried along so later stages need no lookup."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_id: str = Field(description="Stable id of the source.", examples=["hn-frontpage"])
    name: str = Field(description="Human-readable source name.", examples=["Hacker News"])
    section: str | None = Field(None, description="Default digest section for this source.")
    weight: float = Field(1.0, description="Relative importance of the source (ranking).")


class UrlSubmitted(Message):
    """Command: fetch this single article URL (a reader's or another system's submission)."""

    TOPIC: ClassVar[str] = topics.URL_SUBMITTED

    url: str = Field(description="Article URL (http or https).", examples=["https://example.org/a"])
    section: str | None = Field(None, description="Digest section to file it under.")
    submitted_by: str | None = Field(None, description="Who submitted it, shown as its source.")

    def key(self) -> bytes:
        return host_of(self.url).encode()


class FetchRequested(Message):
    """Command: fetch one URL (a feed to poll or an article page)."""

    # On the wire one topic and one schema (docs/schemas), told apart by ``kind``; in code two
    # types, ``PollFeed`` and ``FetchArticle``. Validating a ``FetchRequested`` (as the
    # transport does) and constructing one both give the type its ``kind`` names.

    TOPIC: ClassVar[str] = topics.FETCH_REQUESTED

    url: str = Field(description="URL to fetch.", examples=["https://example.org/feed.xml"])
    kind: Literal["feed", "article"] = Field(description="What the URL is expected to be.")
    source: SourceInfo = Field(description="The source this request belongs to.")
    attempt: int = Field(0, ge=0, description="How many times this fetch was tried before.")
    entry: FeedEntry | None = Field(None, description="Feed entry metadata, for articles.")

    def __new__(cls, *args: Any, **data: Any) -> Self:
        # ``FetchRequested(kind=...)`` (older call sites) builds the typed command.
        if cls is FetchRequested:
            typed = _FETCH_KINDS.get(data.get("kind"))
            if typed is not None:
                return super().__new__(typed)  # type: ignore[return-value]
        return super().__new__(cls)

    @model_validator(mode="wrap")
    @classmethod
    def _typed(
        cls, data: Any, handler: ModelWrapValidatorHandler[Self], info: ValidationInfo
    ) -> Self:
        # ``FetchRequested.model_validate(_json)`` gives the typed command its kind names.
        if cls is FetchRequested and isinstance(data, Mapping):
            typed = _FETCH_KINDS.get(data.get("kind"))
            if typed is not None:
                return typed.model_validate(data, context=info.context)  # type: ignore[return-value]
        return handler(data)

    def key(self) -> bytes:
        return host_of(self.url).encode()

    @classmethod
    def log_ids(cls, raw: Mapping[str, object]) -> dict[str, object]:
        """An article fetch request has no id yet: it is derived from the URL, as the fetcher
        does (only for the logs: an unparsable URL must not stop the record)."""
        found = super().log_ids(raw)
        if "article_id" not in found and raw.get("kind") == "article" and "url" in found:
            with contextlib.suppress(Exception):
                found["article_id"] = article_id_for(str(found["url"]))
        return found


class PollFeed(FetchRequested):
    """Command: poll the feed at ``url`` (``kind`` "feed"); it carries no entry."""

    kind: Literal["feed"] = Field("feed", description="What the URL is expected to be.")
    entry: None = Field(None, description="Always null for a feed poll.")

    @field_validator("entry", mode="before")
    @classmethod
    def _no_entry(cls, entry: object) -> None:
        # The schema lets any request carry an entry; a feed poll never used one.
        return None


class FetchArticle(FetchRequested):
    """Command: fetch the article page at ``url`` (``kind`` "article")."""

    kind: Literal["article"] = Field("article", description="What the URL is expected to be.")


_FETCH_KINDS: dict[object, type[FetchRequested]] = {"feed": PollFeed, "article": FetchArticle}


class PageFetched(Message):
    """Event: an article page was fetched successfully."""

    TOPIC: ClassVar[str] = topics.PAGE_FETCHED

    article_id: str = Field(description="Hash of the requested URL's canonical form.")
    url: str = Field(description="URL that was requested.")
    final_url: str = Field(description="URL after redirects.")
    status: int = Field(description="HTTP status code.", examples=[200])
    headers: dict[str, str] = Field(
        default_factory=dict, description="Response headers we keep (content-type, etag, ...)."
    )
    fetched_at: datetime = Field(description="When the response was received (UTC).")
    body: str = Field(description="Response body decoded to text.")
    source: SourceInfo = Field(description="The source that listed this article.")
    entry: FeedEntry | None = Field(None, description="Feed entry metadata, when from a feed.")

    def key(self) -> bytes:
        return self.article_id.encode()


class ArticleExtracted(Message):
    """Event: the main text and metadata of an article were extracted."""

    TOPIC: ClassVar[str] = topics.ARTICLE_EXTRACTED

    article_id: str = Field(description="Hash of the canonical URL; the partition key.")
    canonical_url: str = Field(description="Canonical URL of the article.")
    title: str = Field(description="Article headline.")
    author: str | None = Field(None, description="Author name(s).")
    published_at: datetime | None = Field(None, description="Publication time (UTC).")
    language: str | None = Field(None, description="ISO 639-1 language code.", examples=["en"])
    text: str = Field(description="Main text: headings and paragraphs one per line.")
    word_count: int = Field(ge=0, description="Words in the main text.")
    reading_minutes: int = Field(ge=1, description="Reading time in whole minutes.")
    content_hash: str = Field(description="SHA-256 of the normalised main text.")
    source: SourceInfo = Field(description="The source that listed this article.")
    tags: list[str] = Field(default_factory=list, description="Feed categories and keywords.")
    authors: list[str] = Field(default_factory=list, description="Each author, in page order.")
    updated_at: datetime | None = Field(None, description="Last update time (UTC), if stated.")
    site_name: str | None = Field(None, description="Publication name.", examples=["The Ledger"])
    lead_image: str | None = Field(None, description="URL of the article's lead image.")
    simhash: str | None = Field(
        None,
        description="64-bit SimHash of the text as 16 hex digits; near duplicates differ in "
        "at most 3 bits.",
        examples=["9f3a5c0d12e4b788"],
    )

    def key(self) -> bytes:
        return self.article_id.encode()


class DecoderTerm(BaseModel):
    """One jargon term and its one-line definition."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(description="The term as it appears in the article.", examples=["RAG"])
    definition: str = Field(description="One-line definition for a non-specialist.")


class ArticleSummarized(Message):
    """Event: an article was summarised into TL;DR, Deep dive and Decoder."""

    TOPIC: ClassVar[str] = topics.ARTICLE_SUMMARIZED

    article_id: str = Field(description="Hash of the canonical URL; the partition key.")
    canonical_url: str = Field(description="Canonical URL of the article.")
    title: str = Field(description="Article headline.")
    published_at: datetime | None = Field(None, description="Publication time (UTC).")
    reading_minutes: int = Field(ge=1, description="Reading time in whole minutes.")
    text: str = Field(description="The extracted article text (the 'Original article').")
    source: SourceInfo = Field(description="The source that listed this article.")
    tags: list[str] = Field(default_factory=list, description="Feed categories and keywords.")
    language: str | None = Field(
        None, description="ISO 639-1 language code from the extractor.", examples=["en"]
    )
    site_name: str | None = Field(
        None, description="Publication name from the page.", examples=["The Ledger"]
    )
    tldr: str = Field(description="One standalone sentence.")
    deep_dive: list[str] = Field(default_factory=list, description="Key-point bullets.")
    decoder: list[DecoderTerm] = Field(default_factory=list, description="Jargon glossary.")
    backend: str = Field(description="Summariser that produced this.", examples=["lead-extractive"])

    def key(self) -> bytes:
        return self.article_id.encode()


class CoveredBy(BaseModel):
    """Another source's article about the same event as a digest item."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(description="Headline at the other source.")
    url: str = Field(description="URL of the other source's article.")
    source_name: str = Field(description="The other source.")


class DigestItem(BaseModel):
    """One story in an edition."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: str = Field(description="Article id of the story.")
    title: str = Field(description="Headline.")
    url: str = Field(description="Canonical URL of the story.")
    source_name: str = Field(description="Source that listed it.")
    reading_minutes: int = Field(ge=1, description="Reading time in whole minutes.")
    tldr: str = Field(description="One-sentence TL;DR.")
    also_covered_by: list[CoveredBy] = Field(
        default_factory=list, description="The same event at other sources."
    )


class DigestSection(BaseModel):
    """A topic section of an edition."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="Section name.", examples=["AI"])
    items: list[DigestItem] = Field(description="Stories in display order.")


class DigestPublished(Message):
    """Event: an edition was (re)built and published."""

    TOPIC: ClassVar[str] = topics.DIGEST_PUBLISHED

    edition_id: str = Field(description="Edition id: its date.", examples=["2026-11-29"])
    date: dt.date = Field(description="Edition date.")
    title: str = Field(description="'<Digest name> - <Month D, YYYY>'.")
    overview: str = Field(description="Short overview naming the top stories.")
    sections: list[DigestSection] = Field(description="Sections with their items.")
    item_count: int = Field(ge=0, description="Number of stories in the edition.")

    def key(self) -> bytes:
        return self.edition_id.encode()


class DeadLetter(Message):
    """A message a stage could not process, with the reason; published on ``<topic>.dlq``."""

    TOPIC: ClassVar[str] = "<topic>.dlq"

    original_topic: str = Field(description="Topic the message was consumed from.")
    partition: int = Field(description="Partition it was consumed from.")
    offset: int = Field(description="Its offset in that partition.")
    message_key: str | None = Field(None, description="Its key, decoded as UTF-8 (lossy).")
    payload: str = Field(description="Its value, decoded as UTF-8 (lossy).")
    error: str = Field(description="Why it could not be processed.")
    service: str = Field(description="Service that gave up on it.")
    failed_at: datetime = Field(default_factory=_now, description="When it was dead-lettered.")
    attempts: int = Field(ge=1, description="How many times processing was attempted.")
    # Optional with defaults, so letters written before they existed still validate.
    payload_truncated: bool = Field(
        False,
        description="True when `payload` holds only the start of the value, because the whole "
        "would not fit in a dead letter under the broker's message size limit. Such a letter "
        "cannot be replayed: the original is at original_topic/partition/offset while that "
        "topic retains it.",
    )
    payload_bytes: int | None = Field(
        None, ge=0, description="Size of the original value in bytes, before decoding."
    )
    payload_sha256: str | None = Field(
        None,
        description="SHA-256 of the original value (hex), to check a copy read from the "
        "original topic.",
        examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    )

    def key(self) -> bytes:
        return (self.message_key or "").encode()


PIPELINE_MESSAGES: tuple[type[Message], ...] = (
    UrlSubmitted,
    FetchRequested,
    PageFetched,
    ArticleExtracted,
    ArticleSummarized,
    DigestPublished,
)
ALL_MESSAGES: tuple[type[BaseModel], ...] = (*PIPELINE_MESSAGES, DeadLetter)
