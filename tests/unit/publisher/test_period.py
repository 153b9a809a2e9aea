"""Edition periods: daily with a cut-off, weekly, hourly, across a DST change."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from devoured_publisher.period import Cadence, period_for, period_of_edition

BERLIN = ZoneInfo("Europe/Berlin")


def test_default_daily_edition_is_the_local_day() -> None:
    late_utc = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # already Nov 30 in Berlin
    assert period_for(late_utc, timezone=BERLIN).edition_id == "2026-11-30"
    assert period_for(late_utc, timezone=UTC).edition_id == "2026-11-29"


def test_cutoff_moves_late_arrivals_to_the_next_edition() -> None:
    before = datetime(2026, 11, 29, 5, 59, tzinfo=UTC)
    after = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    assert period_for(before, timezone=UTC, cutoff_hour=6).edition_id == "2026-11-29"
    assert period_for(after, timezone=UTC, cutoff_hour=6).edition_id == "2026-11-30"


def test_weekly_and_hourly_ids() -> None:
    moment = datetime(2026, 11, 29, 14, 20, tzinfo=UTC)  # a Sunday
    assert period_for(moment, timezone=UTC, cadence="weekly").edition_id == "2026-W48"
    hourly = period_for(moment, timezone=UTC, cadence="hourly")
    assert (hourly.edition_id, hourly.ends_at - hourly.starts_at) == (
        "2026-11-29T14",
        timedelta(hours=1),
    )


@pytest.mark.parametrize("cadence", ["daily", "weekly", "hourly"])
@pytest.mark.parametrize("cutoff", [0, 6, 23])
def test_every_moment_lies_in_its_period_and_ids_round_trip(cadence: Cadence, cutoff: int) -> None:
    start = datetime(2026, 3, 20, 0, 17, tzinfo=UTC)  # spans the March DST change
    for hours in range(0, 24 * 21, 5):
        moment = start + timedelta(hours=hours)
        period = period_for(
            moment,
            timezone=BERLIN,
            cadence=cadence,
            cutoff_hour=cutoff,
        )
        assert period.starts_at <= moment < period.ends_at
        assert (
            period_of_edition(
                period.edition_id, timezone=BERLIN, cadence=cadence, cutoff_hour=cutoff
            )
            == period
        )
