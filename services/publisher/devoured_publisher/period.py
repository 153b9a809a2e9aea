"""Which edition a story belongs to (pure): daily by default, or weekly or hourly.

A daily edition dated D collects what arrived from the cut-off hour of D-1 to the cut-off hour
of D, in the configured time zone; with the default cut-off 0 that is simply the local day D.
Weekly editions are dated by the Monday that starts their week, hourly ones by their hour.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

Cadence = Literal["daily", "weekly", "hourly"]


@dataclass(frozen=True)
class EditionPeriod:
    edition_id: str
    edition_date: date
    starts_at: datetime
    ends_at: datetime


def period_for(
    moment: datetime, *, timezone: tzinfo, cadence: Cadence = "daily", cutoff_hour: int = 0
) -> EditionPeriod:
    """The edition period containing ``moment``."""
    local = moment.astimezone(timezone)
    if cadence == "hourly":
        start = local.replace(minute=0, second=0, microsecond=0)
        return EditionPeriod(
            start.strftime("%Y-%m-%dT%H"), start.date(), start, start + timedelta(hours=1)
        )
    shifted = local + timedelta(hours=24 - cutoff_hour) if cutoff_hour else local
    day = shifted.date()
    if cadence == "weekly":
        monday = day - timedelta(days=day.weekday())
        start = _at(monday - timedelta(days=1 if cutoff_hour else 0), cutoff_hour, timezone)
        year, week, _ = monday.isocalendar()
        return EditionPeriod(f"{year}-W{week:02d}", monday, start, start + timedelta(days=7))
    start = _at(day - timedelta(days=1 if cutoff_hour else 0), cutoff_hour, timezone)
    return EditionPeriod(day.isoformat(), day, start, start + timedelta(days=1))


def period_of_edition(
    edition_id: str, *, timezone: tzinfo, cadence: Cadence = "daily", cutoff_hour: int = 0
) -> EditionPeriod:
    """The period of an edition given its id (``2026-11-29``, ``2026-W48``, ``2026-11-29T14``)."""
    if cadence == "hourly":
        start = datetime.strptime(edition_id, "%Y-%m-%dT%H").replace(tzinfo=timezone)
    else:
        day = (
            datetime.strptime(edition_id + "-1", "%G-W%V-%u").date()
            if cadence == "weekly"
            else date.fromisoformat(edition_id)
        )
        start = _at(day - timedelta(days=1 if cutoff_hour else 0), cutoff_hour, timezone)
    return period_for(start, timezone=timezone, cadence=cadence, cutoff_hour=cutoff_hour)


def _at(day: date, hour: int, timezone: tzinfo) -> datetime:
    return datetime.combine(day, time(hour % 24), tzinfo=timezone)
