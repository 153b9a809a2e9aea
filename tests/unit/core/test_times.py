from datetime import UTC, datetime, timedelta

from devoured_core.times import parse_iso_datetime


def test_iso_timestamps_are_aware_and_anything_else_is_none() -> None:
    assert parse_iso_datetime("2026-11-29T08:30:00Z") == datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
    plus_two = parse_iso_datetime("2026-11-29T10:30:00+02:00")
    assert plus_two == datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
    assert plus_two is not None
    assert plus_two.utcoffset() == timedelta(hours=2)  # the offset is kept
    assert parse_iso_datetime("2026-11-29") == datetime(2026, 11, 29, tzinfo=UTC)
    for bad in ("", "Sun, 29 Nov 2026 08:30:00 GMT", "yesterday", None, 1764405000):
        assert parse_iso_datetime(bad) is None
