"""How hard the chaos suite hits: the short form (inside ``make test``) or the full form.

``make chaos`` sets ``CHAOS_FULL=1``: longer outages, more kills, every scenario. Without it,
only the scenarios marked short run, with short outages, so the suite stays within a few
minutes on a two-core machine. ``CHAOS_SEED`` makes the random moments repeatable.
"""

import os
import random
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class ChaosProfile:
    full: bool
    seed: int
    kills_per_service: int
    db_outage_s: float  # PostgreSQL stopped this long
    db_pause_s: float  # PostgreSQL SIGSTOPped this long: longer than the poll interval
    broker_outage_s: float  # the broker dead this long before its restart
    broker_pause_s: float  # the broker SIGSTOPped this long: beyond the session timeout
    leader_pause_s: float  # the scheduler's leader SIGSTOPped this long: beyond its lease
    slow_answer_s: float  # the summarizer's model answers this slowly ...
    slow_s: float  # ... for this long
    settle_timeout_s: float  # after the last fault, for every offered article to be published
    article_interval_s: float  # a new article this often
    after_fault_s: float  # the feed keeps growing this long after the last fault
    hosts: int  # loopback hosts serving the articles
    scenario_timeout_s: float  # the most one scenario may take, cleanup excluded

    @property
    def form(self) -> str:
        return "full" if self.full else "short"


@cache
def chaos_profile() -> ChaosProfile:
    """The profile of this session (one seed for the whole session)."""
    full = os.environ.get("CHAOS_FULL", "") not in ("", "0")
    seed = int(os.environ.get("CHAOS_SEED") or random.SystemRandom().randrange(1 << 30))
    if full:
        return ChaosProfile(
            full=True,
            seed=seed,
            kills_per_service=3,
            db_outage_s=30,
            db_pause_s=30,
            broker_outage_s=20,
            broker_pause_s=30,
            leader_pause_s=40,
            slow_answer_s=4,
            slow_s=40,
            settle_timeout_s=240,
            article_interval_s=1.0,
            after_fault_s=5,
            hosts=12,
            scenario_timeout_s=900,
        )
    return ChaosProfile(
        full=False,
        seed=seed,
        kills_per_service=1,
        db_outage_s=15,
        db_pause_s=10,
        broker_outage_s=5,
        broker_pause_s=12,
        leader_pause_s=30,
        slow_answer_s=3,
        slow_s=20,
        settle_timeout_s=75,
        article_interval_s=1.0,
        after_fault_s=3,
        hosts=6,
        scenario_timeout_s=240,
    )
