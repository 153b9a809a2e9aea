"""The tagger's own event, on a topic of its own."""

from typing import ClassVar

from pydantic import Field

from devoured_core.messages import Message


class ArticleTagged(Message):
    """Event: an article was filed under its tags."""

    TOPIC: ClassVar[str] = "devoured.article_tagged"

    article_id: str = Field(description="The article's id; the partition key.")
    tags: list[str] = Field(description="Its tags, most telling first.")

    def key(self) -> bytes:
        return self.article_id.encode()
