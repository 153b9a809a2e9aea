"""Assembling an edition from stories (pure): clusters, the editor's cut, order, title and
overview.

Clusters of the same event (``clustering``) go to the editor (``editor.edit``), which ranks
them by importance, files them in sections within the caps, sends the rest to Quick Links and
off-topic stories to "Other" (or drops them), and records why for every story.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from devoured_core.messages import CoveredBy, DigestItem, DigestPublished, DigestSection
from devoured_core.model import Story
from devoured_publisher.clustering import cluster_stories
from devoured_publisher.editor import (
    BRIEF_SECTIONS,
    DEFAULT_POLICY,
    OFF_TOPIC,
    QUICK_LINKS,
    Classification,
    Decision,
    EditorPolicy,
    edit,
    importance,
    keep_language,
    write_overview,
)
from devoured_publisher.features import TextFeatures
from devoured_publisher.sections import SECTION_ORDER


@dataclass(frozen=True)
class Edition:
    edition_id: str
    edition_date: date
    title: str
    overview: str
    sections: list[tuple[str, list[Story]]]
    also_covered: dict[str, list[Story]] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return sum(len(stories) for _, stories in self.sections)

    @property
    def story_count(self) -> int:
        return self.item_count + sum(len(also) for also in self.also_covered.values())

    def also(self, story: Story) -> list[Story]:
        return self.also_covered.get(story.article_id, [])

    def decision(self, story: Story) -> Decision | None:
        """Where the editor put ``story`` and why (None for an edition built without it)."""
        return self.decisions.get(story.article_id)

    @staticmethod
    def brief(section: str) -> bool:
        """Stories of ``section`` show as headline and TL;DR only (Quick Links, Other)."""
        return section in BRIEF_SECTIONS

    def top_stories(self) -> list[Story]:
        """The lead sections' stories, best first (by the editor's score)."""
        lead = [s for name, stories in self.sections if not self.brief(name) for s in stories]
        return sorted(lead, key=lambda s: (-self._score(s), s.article_id))

    def _score(self, story: Story) -> float:
        decision = self.decisions.get(story.article_id)
        return decision.score if decision else story.source_weight

    def editor_json(self) -> list[dict[str, object]]:
        """Every decision, in the edition's order (each shown story, then the ones merged
        into it), then the stories it left out."""
        shown = self.shown()
        merged = [o.article_id for lead in shown for o in self.also_covered.get(lead, [])]
        order = {article_id: i for i, article_id in enumerate(shown + merged)}
        ranked = sorted(
            self.decisions.values(),
            key=lambda d: (order.get(d.article_id, len(order)), d.article_id),
        )
        return [d.as_json() for d in ranked]

    def shown(self) -> list[str]:
        """The article ids of the stories the edition shows, section by section."""
        return [s.article_id for _, stories in self.sections for s in stories]

    def filled(self, stories: Mapping[str, Story]) -> "Edition":
        """The edition with the stories it shows read in full (``stories``, by article id), and
        its overview written from them: an edition built from stories read without their
        texts (``features``) renders the same as one built from the whole stories."""
        sections = [
            (name, [stories.get(s.article_id, s) for s in shown]) for name, shown in self.sections
        ]
        scores = {article_id: d.score for article_id, d in self.decisions.items()}
        return replace(self, sections=sections, overview=overview(sections, scores))

    def shown_only(self) -> "Edition":
        """The edition without the "also covered" lists of stories it does not show (what is
        rendered is the same; a cut handed between processes is smaller)."""
        shown = set(self.shown())
        also = {lead: others for lead, others in self.also_covered.items() if lead in shown}
        return replace(self, also_covered=also)

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
    """The importance of a story told by ``cluster_size`` sources (``editor.importance``)."""
    return importance(story, newest=newest, sources=cluster_size)


def assemble_edition(
    stories: list[Story],
    *,
    digest_name: str,
    day: date,
    edition_id: str | None = None,
    section_order: tuple[str, ...] = SECTION_ORDER,
    notes: Mapping[str, Classification] | None = None,
    previous_titles: Sequence[str] = (),
    policy: EditorPolicy = DEFAULT_POLICY,
    features: Mapping[str, TextFeatures] | None = None,
) -> Edition:
    """Cluster ``stories``, let the editor place the clusters, order the sections, and write
    the overview. ``notes`` are the editor's classifications stored with the stories;
    ``previous_titles`` the headlines of the previous editions (novelty); ``features`` their
    texts' features stored when they arrived (stories read without their text need them; the
    edition is then ``filled`` with the shown stories before it is rendered)."""
    notes = notes or {}
    language_out = [s for s in stories if not keep_language(notes.get(s.article_id), policy)]
    kept = [s for s in stories if keep_language(notes.get(s.article_id), policy)]
    newest = max((s.published_at or s.received_at for s in kept), default=datetime.min)
    clusters = cluster_stories(kept, score=lambda s: story_score(s, newest), features=features)
    cut = edit(
        [(c.lead, c.also) for c in clusters],
        notes=notes,
        newest=newest,
        previous_titles=previous_titles,
        policy=policy,
    )
    decisions = dict(cut.decisions)
    for story in language_out:
        note = notes[story.article_id]
        decisions[story.article_id] = Decision(
            article_id=story.article_id,
            placement="dropped",
            section=note.section,
            relevance=note.relevance,
            confidence=note.confidence,
            score=0.0,
            reason=f"language {note.language} not in the edition's languages",
        )
    order = {name: i for i, name in enumerate(section_order)}
    sections = [
        (name, cut.sections[name])
        for name in sorted(cut.sections, key=lambda n: (_rank(n, order), n))
    ]
    return Edition(
        edition_id=edition_id or day.isoformat(),
        edition_date=day,
        title=edition_title(digest_name, day),
        overview=overview(sections, cut.scores),
        sections=sections,
        also_covered={c.lead.article_id: c.also for c in clusters if c.also},
        decisions=decisions,
    )


def _rank(name: str, order: dict[str, int]) -> float:
    """Configured sections in order; sections nobody configured just before Quick Links; the
    off-topic list last."""
    if name == OFF_TOPIC and name not in order:
        return len(order) + 1
    if name in order:
        return order[name]
    return order.get(QUICK_LINKS, len(order)) - 0.5


def overview(
    sections: list[tuple[str, list[Story]]], scores: dict[str, float] | None = None
) -> str:
    """Two or three sentences about the day's top stories, from their TL;DRs: the best story
    of the lead sections first (Quick Links and Other only when nothing else is there)."""
    ranking = scores or {}
    lead = [s for name, stories in sections if not Edition.brief(name) for s in stories]
    pool = lead or [s for _, stories in sections for s in stories]
    top = sorted(pool, key=lambda s: (-ranking.get(s.article_id, s.source_weight), s.article_id))
    return write_overview(top)
