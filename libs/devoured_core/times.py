"""Timestamps read from feeds, sitemaps and pages."""

from datetime import UTC, datetime


def parse_iso_datetime(value: object) -> datetime | None:
    """ISO 8601 / RFC 3339 text ("Z" included) as an aware datetime, naive ones taken as UTC;
    None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
