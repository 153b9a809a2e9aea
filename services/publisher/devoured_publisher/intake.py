"""What the publisher keeps of a summarised article (pure): the story as plain text, filed in
its edition, the editor's note on it (relevance, section, confidence, language) and its text's
features (what an edition build compares)."""

from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from devoured_core.messages import ArticleSummarized
from devoured_core.model import Story
from devoured_core.titles import clean_title
from devoured_publisher.article import outside_code
from devoured_publisher.editor import Classification, EditorPolicy, classify, source_keys
from devoured_publisher.features import TextFeatures, text_features
from devoured_publisher.period import EditionPeriod
from devoured_publisher.sanitize import plain_text, safe_url
from devoured_publisher.sections import QUICK_LINKS


class Intake(NamedTuple):
    story: Story
    note: Classification
    features: TextFeatures


def story_of(
    msg: ArticleSummarized, *, period: EditionPeriod, policy: EditorPolicy, received_at: datetime
) -> Intake:
    """The story of ``msg`` in the edition of ``period``, the editor's note on it and its
    text's features."""
    title = clean_title(
        plain_text(msg.title), site_name=msg.site_name or msg.source.name, url=msg.canonical_url
    )
    note = classify(
        title=title,
        text=msg.text,
        tldr=msg.tldr,
        tags=msg.tags,
        source_section=msg.source.section,
        source_keys=source_keys(
            source_id=msg.source.source_id, source_name=msg.source.name, url=msg.canonical_url
        ),
        policy=policy,
    )
    note = replace(note, language=msg.language)
    story = Story(
        article_id=msg.article_id,
        edition_date=period.edition_date,
        edition_id=period.edition_id,
        section=note.section if msg.deep_dive else QUICK_LINKS,
        title=title or plain_text(msg.title),
        url=safe_url(msg.canonical_url),
        source_name=plain_text(msg.source.name),
        source_weight=msg.source.weight,
        reading_minutes=msg.reading_minutes,
        published_at=msg.published_at,
        tldr=plain_text(msg.tldr),
        deep_dive=[plain_text(b) for b in msg.deep_dive],
        decoder=[
            t.model_copy(
                update={"term": plain_text(t.term), "definition": plain_text(t.definition)}
            )
            for t in msg.decoder
        ],
        text=outside_code(msg.text, plain_text),
        received_at=received_at,
    )
    return Intake(story, note, text_features(story.text))
