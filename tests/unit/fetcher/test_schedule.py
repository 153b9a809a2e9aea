"""The adaptive polling policy (pure)."""

from datetime import UTC, datetime, timedelta

import pytest

from devoured_fetcher.schedule import (
    PollBounds,
    PollOutcome,
    plan_next_poll,
    posting_interval,
    retry_after_s,
    server_hint_s,
    skip_hours,
)

NOW = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
BOUNDS = PollBounds(min_s=300, max_s=86_400, default_s=900, jitter=0.0)


def hourly(n: int) -> list[datetime]:
    return [NOW - timedelta(hours=i) for i in range(n)]


def plan(outcome: PollOutcome, rand: float = 0.5, bounds: PollBounds = BOUNDS) -> float:
    return plan_next_poll(outcome, now=NOW, bounds=bounds, rand=rand).interval_s


def test_hourly_feed_polls_every_half_hour() -> None:
    assert plan(PollOutcome(200, entry_times=hourly(10))) == 1800


def test_unknown_rate_uses_the_default_interval() -> None:
    assert plan(PollOutcome(200)) == 900
    assert posting_interval([NOW], BOUNDS) == 900


def test_busy_feed_is_clamped_to_the_lower_bound() -> None:
    minutes = [NOW - timedelta(minutes=i) for i in range(10)]
    assert plan(PollOutcome(200, entry_times=minutes)) == 300


def test_quiet_feed_is_clamped_to_the_upper_bound() -> None:
    monthly = [NOW - timedelta(days=30 * i) for i in range(5)]
    assert plan(PollOutcome(200, entry_times=monthly)) == 86_400


def test_server_hints_only_lengthen_the_interval() -> None:
    assert (
        plan(PollOutcome(200, entry_times=hourly(5), headers={"Cache-Control": "max-age=7200"}))
        == 7200
    )
    assert (
        plan(PollOutcome(200, entry_times=hourly(5), headers={"cache-control": "max-age=60"}))
        == 1800
    )
    assert plan(PollOutcome(304, ttl_minutes=180)) == 10_800
    expires = "Sun, 29 Nov 2026 10:00:00 GMT"
    assert plan(PollOutcome(200, headers={"expires": expires})) == 4 * 3600


def test_errors_back_off_exponentially_but_never_past_the_upper_bound() -> None:
    intervals = [plan(PollOutcome(500, error_count=n)) for n in range(1, 12)]
    assert intervals[:4] == [300, 600, 1200, 2400]
    assert intervals == sorted(intervals)
    assert intervals[-1] == 86_400


def test_retry_after_is_honoured_on_429_and_503() -> None:
    assert plan(PollOutcome(429, error_count=1, headers={"retry-after": "5000"})) == 5000
    date = "Sun, 29 Nov 2026 08:00:00 GMT"
    assert plan(PollOutcome(503, error_count=1, headers={"Retry-After": date})) == 7200
    assert plan(PollOutcome(429, error_count=1, headers={"retry-after": "9999999"})) == 86_400


def test_gone_is_marked_and_retried_at_the_upper_bound() -> None:
    result = plan_next_poll(PollOutcome(410, error_count=1), now=NOW, bounds=BOUNDS, rand=0.5)
    assert result.gone
    assert result.interval_s == 86_400


def test_jitter_spreads_polls_within_bounds() -> None:
    bounds = PollBounds(300, 86_400, 900, jitter=0.1)
    low, high = plan(PollOutcome(200), 0.0, bounds), plan(PollOutcome(200), 0.999, bounds)
    assert low == pytest.approx(810)
    assert high == pytest.approx(989.8, abs=0.5)


def test_skip_hours_move_the_poll_to_the_next_allowed_hour() -> None:
    at = datetime(2026, 11, 29, 1, 30, tzinfo=UTC)
    assert skip_hours(at, frozenset({1, 2, 3})) == datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
    assert skip_hours(at, frozenset()) == at
    outcome = PollOutcome(200, skip_hours=frozenset({6, 7}))
    assert plan(outcome) == 2 * 3600  # 06:15 is skipped: 08:00


def test_header_parsers_tolerate_garbage() -> None:
    assert retry_after_s("soon", now=NOW) is None
    assert retry_after_s(None, now=NOW) is None
    assert server_hint_s({"cache-control": "no-cache", "expires": "0"}, None, now=NOW) is None
