"""The edition's editor on real pages: section accuracy, merge precision/recall, an edition.

Reads ``../shared/extraction-dev/`` (601 real pages) and ``../shared/seed/dev_stories.json`` at
run time and our labels in ``tests/testdata/editor/`` (ids and labels only). Every page goes
through the extractor core and the extractive summariser, then the editor's classifier as the
publisher's ``receive_story`` applies it; the whole set then makes one edition
(``assemble_edition``), as if a broad feed had listed it all in one day.

    python -m bench.editor.run            # dev labels only (four in five)
    python -m bench.editor.run --final    # also the held-out labels (every fifth)
    python -m bench.editor.run --show     # print each dev label's prediction

Figures: accuracy of section-or-off-topic per label on dev and held-out; on-topic precision
and recall; merging precision and recall over every pair of the corpus, for clustering's
current rule and ``merging.same_story`` (labelled "same" pairs are the positives; everything
else, including the "related" pairs, must stay apart; merge labels are held out every second
line, other pairs by a fixed hash); the edition's counts against its caps.
"""

import argparse
import gzip
import json
import sys
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

from devoured_core.errors import SkippedInput
from devoured_core.model import Story
from devoured_core.similarity import is_near_duplicate, simhash, title_overlap, title_words, words
from devoured_core.titles import clean_title
from devoured_extractor.extract import extract
from devoured_extractor.guards import decode_bytes
from devoured_publisher.edition import assemble_edition
from devoured_publisher.editor import (
    DEFAULT_POLICY,
    Classification,
    EditorPolicy,
    classify,
    source_keys,
)
from devoured_publisher.merging import TEXT_MIN_WORDS, StoryText, prepare, same_story
from devoured_publisher.sections import QUICK_LINKS
from devoured_summarizer.backends import summarize_text

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "extraction-dev"
SEED = SHARED / "seed" / "dev_stories.json"
LABELS = ROOT / "tests" / "testdata" / "editor"
OFF = "off-topic"
DAY = date(2026, 11, 30)
NOON = datetime(2026, 11, 30, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    story: Story
    note: Classification


def labelled(name: str) -> Iterator[tuple[int, list[str]]]:
    """Data lines of a labels file with their position (0-based, comments skipped)."""
    rows = [
        line.split("\t")
        for line in (LABELS / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    yield from enumerate(rows)


def held_out(position: int) -> bool:
    return position % 5 == 4


def _story(
    article_id: str, *, title: str, url: str, source: str, text: str, minutes: int, n: int
) -> tuple[Story, str]:
    summary = summarize_text(text, title)
    story = Story(
        article_id=article_id,
        edition_date=DAY,
        section=None,
        title=title,
        url=url,
        source_name=source,
        source_weight=1.0,
        reading_minutes=max(1, minutes),
        published_at=NOON - timedelta(minutes=n),
        tldr=summary.tldr,
        deep_dive=list(summary.deep_dive),
        decoder=[],
        text=text,
        received_at=NOON,
    )
    return story, summary.tldr


def pages(policy: EditorPolicy) -> dict[str, Item]:
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    items: dict[str, Item] = {}
    for n, page_id in enumerate(sorted(truth)):
        url = truth[page_id].get("url") or f"https://{page_id}.pages.example/{page_id}"
        html = decode_bytes(gzip.decompress((CORPUS / "html" / f"{page_id}.html.gz").read_bytes()))
        try:
            content = extract(html, url)
        except SkippedInput:  # a page the extractor skips never reaches the publisher
            continue
        host = (urlsplit(url).hostname or page_id).removeprefix("www.")
        title = clean_title(content.title, site_name=content.site_name, url=url)
        story, tldr = _story(
            page_id,
            title=title or content.title,
            url=url,
            source=content.site_name or host,
            text=content.text,
            minutes=content.reading_minutes,
            n=n,
        )
        note = classify(
            title=story.title,
            text=story.text,
            tldr=tldr,
            source_keys=source_keys(source_id=host, source_name=story.source_name, url=url),
            policy=policy,
        )
        items[page_id] = Item(story, replace(note, language=content.language))
    return items


def seed_stories(policy: EditorPolicy) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for n, raw in enumerate(json.loads(SEED.read_text(encoding="utf-8"))["stories"]):
        article_id = f"seed:{raw['id']}"
        text = raw["article"]
        title = (raw.get("title") or "").strip() or " ".join(text.split()[:12])
        story, tldr = _story(
            article_id,
            title=title,
            url=f"https://seed.example/{raw['id']}",
            source=f"seed source {raw['id']}",
            text=text,
            minutes=int(raw.get("read_minutes") or 1),
            n=n,
        )
        note = classify(title=story.title, text=text, tldr=tldr, policy=policy)
        items[article_id] = Item(story, replace(note, language="en"))
    return items


def predicted(note: Classification, policy: EditorPolicy) -> str:
    return OFF if note.relevance < policy.min_relevance else note.section


def section_report(
    items: dict[str, Item], policy: EditorPolicy, *, final: bool, show: bool
) -> None:
    parts: dict[str, list[tuple[str, str, str]]] = {"dev": [], "held-out": []}
    for position, (item_id, label) in labelled("sections.tsv"):
        if item_id not in items:
            print(f"  (not extracted: {item_id})")
            continue
        guess = predicted(items[item_id].note, policy)
        parts["held-out" if held_out(position) else "dev"].append((item_id, label, guess))
    for part, rows in parts.items():
        if part == "held-out" and not final:
            print(f"held-out: {len(rows)} labels kept aside (run with --final)")
            continue
        right = sum(label == guess for _, label, guess in rows)
        print(
            f"\n{part}: {right}/{len(rows)} = {right / max(1, len(rows)):.1%} section-or-off-topic"
        )
        per: dict[str, list[bool]] = {}
        for _, label, guess in rows:
            per.setdefault(label, []).append(label == guess)
        for label, hits in sorted(per.items()):
            print(f"  {label:32s} {sum(hits):3d}/{len(hits):3d} = {sum(hits) / len(hits):.0%}")
        on_true = sum(1 for _, lab, g in rows if lab != OFF and g != OFF)
        on_pred = sum(1 for _, _, g in rows if g != OFF)
        on_gold = sum(1 for _, lab, _ in rows if lab != OFF)
        print(
            f"  on-topic precision {on_true / max(1, on_pred):.0%} ({on_true}/{on_pred}), "
            f"recall {on_true / max(1, on_gold):.0%} ({on_true}/{on_gold})"
        )
        sections_right = [lab == g for _, lab, g in rows if lab != OFF and g != OFF]
        print(
            f"  section accuracy where both on topic: {sum(sections_right)}/{len(sections_right)}"
        )
        if show and part == "dev":
            for item_id, label, guess in rows:
                if label != guess:
                    note = items[item_id].note
                    print(
                        f"    {item_id:16s} label {label:30s} got {guess:30s} "
                        f"rel {note.relevance:.2f} conf {note.confidence:.2f}"
                    )


def merge_held_out(position: int) -> bool:
    """Merge labels: every second data line is held out (fixed before tuning)."""
    return position % 2 == 1


def _pair_held_out(pair: frozenset[str], positions: dict[frozenset[str], int]) -> bool:
    """A labelled pair by its line; any other pair by a fixed hash of its ids."""
    if pair in positions:
        return merge_held_out(positions[pair])
    return zlib.crc32("+".join(sorted(pair)).encode()) % 2 == 1


def former_same_event(a: Story, b: Story, hash_a: int | None, hash_b: int | None) -> bool:
    """The rule clustering used before ``merging.same_story``: one URL, SimHash within 8 bits,
    or titles sharing 3+ content words and 60% of their union (kept here for the comparison)."""
    if a.url == b.url:
        return True
    if hash_a is not None and hash_b is not None and is_near_duplicate(hash_a, hash_b, max_bits=8):
        return True
    shared = title_words(a.title) & title_words(b.title)
    return len(shared) >= 3 and title_overlap(a.title, b.title) >= 0.6


def merge_report(items: dict[str, Item], *, final: bool) -> None:
    """Pairwise precision and recall over every pair of the corpus, for clustering's former
    rule (``former_same_event``) and ``merging.same_story`` (its rule now). Positives: the
    labelled "same" pairs; every other merged pair is a false merge (the "related" pairs are
    the hard negatives)."""
    stories = [i.story for i in items.values()]
    ids = [s.article_id for s in stories]
    hashes = [simhash(s.text) if len(words(s.text)) >= TEXT_MIN_WORDS else None for s in stories]
    prepared = prepare(
        [StoryText(s.title, s.url, s.text, h) for s, h in zip(stories, hashes, strict=True)]
    )
    current: set[frozenset[str]] = set()
    proposed: set[frozenset[str]] = set()
    for i, j in combinations(range(len(stories)), 2):
        pair = frozenset((ids[i], ids[j]))
        if former_same_event(stories[i], stories[j], hashes[i], hashes[j]):
            current.add(pair)
        if same_story(prepared[i], prepared[j]):
            proposed.add(pair)
    gold: dict[frozenset[str], str] = {}
    positions: dict[frozenset[str], int] = {}
    for position, (a, b, kind) in labelled("merge_pairs.tsv"):
        gold[frozenset((a, b))] = kind
        positions[frozenset((a, b))] = position
    print(f"\nmerging: {len(stories)} stories, {len(ids) * (len(ids) - 1) // 2} pairs")
    for part in ("dev", "held-out"):
        if part == "held-out" and not final:
            print("  held-out: kept aside (run with --final)")
            continue
        held = part == "held-out"
        same = {
            p
            for p, k in gold.items()
            if k == "same" and p <= items.keys() and _pair_held_out(p, positions) == held
        }
        related = {
            p for p, k in gold.items() if k == "related" and _pair_held_out(p, positions) == held
        }
        print(f"  {part}: {len(same)} same-event pairs, {len(related)} related pairs")
        for name, merged in (("former rule", current), ("merging.same_story", proposed)):
            mine = {p for p in merged if _pair_held_out(p, positions) == held}
            _pr(f"{part} {name}", mine, same, related)


def _pr(
    name: str, merged: set[frozenset[str]], same: set[frozenset[str]], related: set[frozenset[str]]
) -> None:
    hits = merged & same
    print(
        f"  {name}: precision {len(hits)}/{len(merged)} = {len(hits) / max(1, len(merged)):.0%}, "
        f"recall {len(hits)}/{len(same)} = {len(hits) / max(1, len(same)):.0%}, "
        f"related pairs merged {len(merged & related)}/{len(related)}"
    )
    for pair in sorted(merged - same, key=sorted):
        print(f"    merged, not labelled same: {' + '.join(sorted(pair))}")
    for pair in sorted(same - merged, key=sorted):
        print(f"    missed: {' + '.join(sorted(pair))}")


def edition_report(items: dict[str, Item], policy: EditorPolicy) -> None:
    stories = [i.story for i in items.values()]
    notes = {k: i.note for k, i in items.items()}
    stories = [
        s.model_copy(
            update={"section": notes[s.article_id].section if s.deep_dive else QUICK_LINKS}
        )
        for s in stories
    ]
    edition = assemble_edition(stories, digest_name="Devoured", day=DAY, notes=notes, policy=policy)
    placements = Counter(d.placement for d in edition.decisions.values())
    lead = [(n, len(s)) for n, s in edition.sections if not edition.brief(n)]
    print(f"\nedition of {len(stories)} stories: {dict(sorted(placements.items()))}")
    for name, stories_in in edition.sections:
        cap = "" if edition.brief(name) else f" (cap {policy.cap_of(name)})"
        print(f"  {name:32s} {len(stories_in):3d}{cap}")
    total = sum(n for _, n in lead)
    within = total <= policy.max_stories and all(n <= policy.cap_of(s) for s, n in lead)
    print(f"  lead stories {total} (cap {policy.max_stories}): within caps: {within}")
    print(f"\noverview ({len(edition.overview.split())} words): {edition.overview}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--final", action="store_true", help="score the held-out labels too")
    parser.add_argument("--show", action="store_true", help="list the dev labels it got wrong")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir() or not SEED.is_file():
        print(f"skipped: {CORPUS} or {SEED} is missing")
        return 0
    policy = DEFAULT_POLICY
    items = pages(policy) | seed_stories(policy)
    section_report(items, policy, final=args.final, show=args.show)
    merge_report(items, final=args.final)
    edition_report(items, policy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
