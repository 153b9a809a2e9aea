"""Assembling an edition from stories (pure): sections, order, title and overview."""

from dataclasses import dataclass
from datetime import date, datetime

from devoured_core.messages import DigestItem, DigestPublished, DigestSection
from devoured_core.model import Story
from devoured_publisher.sections import SECTION_ORDER


@dataclass(frozen=True)
class Edition:
    edition_id: str
    edition_date: date
    title: str
    overview: str
    sections: list[tuple[str, list[Story]]]

    @property
    def item_count(self) -> int:
        return sum(len(stories) for _, stories in self.sections)

    def to_message(self) -> DigestPublished:
        return DigestPublished(
            edition_id=self.edition_id,
            date=self.edition_date,
            title=self.title,
            overview=self.overview,
            item_count=self.item_count,
            sections=[
                DigestSection(
                    name=name,
                    items=[
                        DigestItem(
                            article_id=s.article_id,
                            title=s.title,
                            url=s.url,
                            source_name=s.source_name,
                            reading_minutes=s.reading_minutes,
                            tldr=s.tldr,
                        )
                        for s in stories
                    ],
                )
                for name, stories in self.sections
            ],
        )


def edition_title(digest_name: str, day: date) -> str:
    """``<Digest name> - <Month D, YYYY>``."""
    return f"{digest_name} - {day:%B} {day.day}, {day.year}"


def story_score(story: Story, newest: datetime) -> float:
    """Ranking within a section: source weight, plus up to one point for recency (a story loses
    a tenth of a point per hour older than the newest story of the edition)."""
    moment = story.published_at or story.received_at
    hours_old = max(0.0, (newest - moment).total_seconds() / 3600)
    return story.source_weight + max(0.0, 1.0 - hours_old / 10)


def assemble_edition(stories: list[Story], *, digest_name: str, day: date) -> Edition:
    """Group ``stories`` by section in the standard order, best first, with an overview."""
    newest = max((s.published_at or s.received_at for s in stories), default=None)
    by_section: dict[str, list[Story]] = {}
    for story in stories:
        by_section.setdefault(story.section or "Other News", []).append(story)
    order = {name: i for i, name in enumerate(SECTION_ORDER)}
    sections = []
    for name in sorted(by_section, key=lambda n: (order.get(n, len(order) - 1.5), n)):
        ranked = (
            sorted(by_section[name], key=lambda s: (-story_score(s, newest), s.article_id))
            if newest
            else by_section[name]
        )
        sections.append((name, ranked))
    return Edition(
        edition_id=day.isoformat(),
        edition_date=day,
        title=edition_title(digest_name, day),
        overview=overview(sections),
        sections=sections,
    )


def overview(sections: list[tuple[str, list[Story]]]) -> str:
    """Two or three sentences naming the day's top stories, from their TL;DRs."""
    leads = [stories[0] for name, stories in sections if stories and name != "Quick Links"]
    if not leads:
        leads = [stories[0] for _, stories in sections if stories]
    if not leads:
        return "No stories today."
    top = sorted(leads, key=lambda s: -s.source_weight)
    sentences = [_sentence(top[0].tldr)]
    if len(top) > 1:
        sentences.append(f"Also in this edition: {_join([s.title for s in top[1:3]])}.")
    return " ".join(sentences)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _join(titles: list[str]) -> str:
    return titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} and {titles[-1]}"
