"""When to poll a feed next (pure): adaptive, bounded, jittered, and polite to server hints.

- **Healthy feeds** poll at half the median gap between their recent entries, so a feed that
  posts hourly is read every ~30 minutes and a weekly blog about twice a week.
- **Server hints** can only make us wait longer: Cache-Control ``max-age``, ``Expires`` and RSS
  ``ttl``; RSS ``skipHours`` moves a poll out of the skipped (UTC) hours.
- **Errors** back off exponentially from the lower bound, capped at the upper bound, so a feed
  is never disabled for good. ``Retry-After`` (429/503) is honoured up to the upper bound.
- **410 Gone** marks the source gone; it is still tried once per upper bound.

Everything is clamped to ``[min_s, max_s]`` (default 5 minutes to 24 hours) after a jitter of
``±jitter`` so that feeds added together drift apart.
"""

import itertools
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class PollBounds:
    min_s: float = 300.0
    max_s: float = 86_400.0
    default_s: float = 900.0
    jitter: float = 0.1


@dataclass(frozen=True)
class PollOutcome:
    """What a poll observed; ``status`` None means it failed before a response."""

    status: int | None
    error_count: int = 0
    entry_times: Sequence[datetime] = ()
    headers: Mapping[str, str] | None = None
    ttl_minutes: int | None = None
    skip_hours: frozenset[int] = frozenset()


@dataclass(frozen=True)
class NextPoll:
    at: datetime
    interval_s: float
    gone: bool
    reason: str


def plan_next_poll(
    outcome: PollOutcome, *, now: datetime, bounds: PollBounds, rand: float
) -> NextPoll:
    """The next poll time; ``rand`` in [0, 1) drives the jitter (passed in to stay pure)."""
    headers = {k.lower(): v for k, v in (outcome.headers or {}).items()}
    status = outcome.status
    if status == 410:
        return NextPoll(now + timedelta(seconds=bounds.max_s), bounds.max_s, True, "gone")
    failed = status is None or status >= 400
    if failed:
        interval = bounds.min_s * 2 ** max(0, outcome.error_count - 1)
        reason = f"backoff after {outcome.error_count} error(s)"
    else:
        interval = posting_interval(outcome.entry_times, bounds)
        reason = "posting frequency"
        hint = server_hint_s(headers, outcome.ttl_minutes, now=now)
        if hint is not None and hint > interval:
            interval, reason = hint, "server cache hint"
    interval *= 1 + bounds.jitter * (2 * rand - 1)
    interval = clamp(interval, bounds)
    if status in (429, 503):
        wait = retry_after_s(headers.get("retry-after"), now=now)
        if wait is not None and wait > interval:
            interval, reason = min(wait, bounds.max_s), "retry-after"
    at = skip_hours(now + timedelta(seconds=interval), outcome.skip_hours)
    return NextPoll(at, (at - now).total_seconds(), False, reason)


def clamp(seconds: float, bounds: PollBounds) -> float:
    return max(bounds.min_s, min(bounds.max_s, seconds))


def posting_interval(entry_times: Iterable[datetime], bounds: PollBounds) -> float:
    """Half the median gap between the newest entries; the default when we cannot tell."""
    times = sorted({t for t in entry_times}, reverse=True)[:20]
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(times)]
    gaps = [g for g in gaps if g > 0]
    if not gaps:
        return bounds.default_s
    return statistics.median(gaps) / 2


def server_hint_s(
    headers: Mapping[str, str], ttl_minutes: int | None, *, now: datetime
) -> float | None:
    """The longest of max-age, Expires and RSS ttl, in seconds; None when there is none."""
    hints: list[float] = []
    match = _MAX_AGE.search(headers.get("cache-control", ""))
    if match:
        hints.append(float(match.group(1)))
    expires = _http_date(headers.get("expires"))
    if expires is not None:
        hints.append((expires - now).total_seconds())
    if ttl_minutes and ttl_minutes > 0:
        hints.append(ttl_minutes * 60.0)
    hints = [h for h in hints if h > 0]
    return max(hints) if hints else None


def retry_after_s(value: str | None, *, now: datetime) -> float | None:
    """Retry-After as seconds from ``now`` (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    return max(0.0, (when - now).total_seconds()) if when is not None else None


def skip_hours(at: datetime, hours: frozenset[int]) -> datetime:
    """Move ``at`` to the start of the next hour (UTC) that is not skipped."""
    if not hours or len(hours) >= 24:
        return at
    moved = at.astimezone(UTC)
    while moved.hour in hours:
        moved = moved.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return moved


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
