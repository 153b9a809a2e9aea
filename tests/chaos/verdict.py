"""Judging what a scenario left behind against its promises; pure, so it is tested on its own.

Each function fills its figures into the ``ScenarioResult`` and appends one line per broken
promise to ``result.failures``.
"""

from collections import Counter

from tests.chaos.audit import DeadLetterSeen
from tests.chaos.poison import Poison
from tests.chaos.results import ScenarioResult

SAMPLE = 5  # how many URLs a failure line lists


def judge_published(
    result: ScenarioResult,
    offered: set[str],
    published: Counter[str],
    in_edition_files: Counter[str],
) -> None:
    """Every offered article published once (``publisher_items``), and once in the editions'
    files; nothing published that was never offered."""
    failures = result.failures
    lost = sorted(offered - set(published))
    extra = sorted(set(published) - offered)
    doubled = sorted(
        url
        for url in set(published) | set(in_edition_files)
        if published[url] > 1 or in_edition_files[url] > 1
    )
    not_once_in_files = sorted(url for url in offered if in_edition_files[url] != 1)
    result.offered = len(offered)
    result.published = sum(published.values())
    result.lost, result.extra, result.doubled = len(lost), len(extra), len(doubled)
    result.in_edition_files = len(offered) - len(not_once_in_files)
    if lost:
        failures.append(f"{len(lost)} of {len(offered)} offered articles lost: {lost[:SAMPLE]}")
    if doubled:
        failures.append(f"{len(doubled)} articles doubled: {doubled[:SAMPLE]}")
    if extra:
        failures.append(f"{len(extra)} published articles never offered: {extra[:SAMPLE]}")
    if not_once_in_files:
        failures.append(
            f"{len(not_once_in_files)} offered articles not exactly once in the edition files: "
            f"{not_once_in_files[:SAMPLE]}"
        )


def judge_dead_letters(
    result: ScenarioResult, poison: list[Poison], letters: list[DeadLetterSeen]
) -> None:
    """The dead-letter topics hold each injected poison record once, and nothing else: above
    all, nothing dead-lettered for a fault that passes (a database or broker outage)."""
    failures = result.failures
    injected = {(p.topic, p.partition, p.offset): p for p in poison}
    seen = Counter((d.topic, d.partition, d.offset) for d in letters)
    unexpected = [d for d in letters if (d.topic, d.partition, d.offset) not in injected]
    transient = [d for d in letters if d.transient]
    twice = [injected[at] for at, count in seen.items() if at in injected and count > 1]
    missing = [p for at, p in injected.items() if at not in seen]
    result.poison_injected = len(poison)
    result.dead_letters = len(letters)
    result.dead_letter_causes = dict(Counter(f"{d.service}: {d.cause}" for d in letters))
    result.unexpected_dead_letters = len(unexpected)
    result.transient_dead_letters = len(transient)
    result.poison_not_dead_lettered = len(missing)
    if unexpected:
        causes = Counter(f"{d.topic}: {d.error[:160]}" for d in unexpected)
        failures.append(f"{len(unexpected)} dead letters that are no poison: {dict(causes)}")
    if transient:
        failures.append(
            f"{len(transient)} dead letters for a passing fault: "
            f"{sorted({d.error[:160] for d in transient})[:SAMPLE]}"
        )
    if twice:
        failures.append(f"poison dead-lettered more than once: {_kinds(twice)}")
    if missing:
        failures.append(f"{len(missing)} poison records not dead-lettered: {_kinds(missing)}")


def _kinds(poison: list[Poison]) -> list[str]:
    return sorted(f"{p.topic}/{p.kind}" for p in poison)
