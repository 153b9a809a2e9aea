"""Assembling an edition from stories (pure): clusters, sections, order, title and overview.

Ranking within a section (``story_score``): the source's weight, plus up to one point for
recency (a tenth of a point lost per hour older than the edition's newest story), plus half a
point for every other source that covered the same event.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from devoured_core.messages import CoveredBy, DigestItem, DigestPublished, DigestSection
from devoured_core.model import Story
from devoured_publisher.clustering import cluster_stories
from devoured_publisher.sections import OTHER_NEWS, QUICK_LINKS, SECTION_ORDER


@dataclass(frozen=True)
class Edition:
    edition_id: str
    edition_date: date
    title: str
    overview: str
    sections: list[tuple[str, list[Story]]]
    also_covered: dict[str, list[Story]] = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return sum(len(stories) for _, stories in self.sections)

    @property
    def story_count(self) -> int:
        return self.item_count + sum(len(also) for also in self.also_covered.values())

    def also(self, story: Story) -> list[Story]:
        return self.also_covered.get(story.article_id, [])

    def to_message(self) -> DigestPublished:
        return DigestPublished(
            edition_id=self.edition_id,
            date=self.edition_date,
            title=self.title,
            overview=self.overview,
            item_count=self.item_count,
            sections=[
                DigestSection(name=name, items=[self._item(s) for s in stories])
                for name, stories in self.sections
            ],
        )

    def _item(self, story: Story) -> DigestItem:
        return DigestItem(
            article_id=story.article_id,
            title=story.title,
            url=story.url,
            source_name=story.source_name,
            reading_minutes=story.reading_minutes,
            tldr=story.tldr,
            also_covered_by=[
                CoveredBy(title=o.title, url=o.url, source_name=o.source_name)
                for o in self.also(story)
            ],
        )


def edition_title(digest_name: str, day: date) -> str:
    """``<Digest name> - <Month D, YYYY>``."""
    return f"{digest_name} - {day:%B} {day.day}, {day.year}"


def story_score(story: Story, newest: datetime, cluster_size: int = 1) -> float:
    moment = story.published_at or story.received_at
    hours_old = max(0.0, (newest - moment).total_seconds() / 3600)
    return story.source_weight + max(0.0, 1.0 - hours_old / 10) + 0.5 * (cluster_size - 1)


def assemble_edition(
    stories: list[Story],
    *,
    digest_name: str,
    day: date,
    edition_id: str | None = None,
    section_order: tuple[str, ...] = SECTION_ORDER,
) -> Edition:
    """Cluster ``stories``, group the clusters by section in order, best first, with an
    overview."""
    newest = max((s.published_at or s.received_at for s in stories), default=datetime.min)
    clusters = cluster_stories(stories, score=lambda s: story_score(s, newest))
    scores = {c.lead.article_id: story_score(c.lead, newest, 1 + len(c.also)) for c in clusters}
    by_section: dict[str, list[Story]] = {}
    for cluster in clusters:
        by_section.setdefault(cluster.lead.section or OTHER_NEWS, []).append(cluster.lead)
    order = {name: i for i, name in enumerate(section_order)}
    sections = [
        (name, sorted(by_section[name], key=lambda s: (-scores[s.article_id], s.article_id)))
        for name in sorted(by_section, key=lambda n: (_rank(n, order), n))
    ]
    return Edition(
        edition_id=edition_id or day.isoformat(),
        edition_date=day,
        title=edition_title(digest_name, day),
        overview=overview(sections, scores),
        sections=sections,
        also_covered={c.lead.article_id: c.also for c in clusters if c.also},
    )


def _rank(name: str, order: dict[str, int]) -> float:
    """Configured sections in order; sections nobody configured just before Quick Links."""
    if name in order:
        return order[name]
    return order.get(QUICK_LINKS, len(order)) - 0.5


def overview(
    sections: list[tuple[str, list[Story]]], scores: dict[str, float] | None = None
) -> str:
    """Two or three sentences naming the day's top stories, from their TL;DRs."""
    leads = [stories[0] for name, stories in sections if stories and name != QUICK_LINKS]
    if not leads:
        leads = [stories[0] for _, stories in sections if stories]
    if not leads:
        return "No stories today."
    ranking = scores or {}
    top = sorted(leads, key=lambda s: -ranking.get(s.article_id, s.source_weight))
    sentences = [_sentence(top[0].tldr)]
    if len(top) > 1:
        sentences.append(f"Also in this edition: {_join([s.title for s in top[1:3]])}.")
    return " ".join(sentences)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _join(titles: list[str]) -> str:
    return titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} and {titles[-1]}"
