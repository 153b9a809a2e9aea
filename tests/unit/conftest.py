"""Fixtures shared by the unit tests: a local web site and the real fetcher pointed at it."""

from collections.abc import AsyncIterator, Iterator
from ipaddress import ip_network

import pytest

from devoured_fetcher.http import HttpFetcher
from tests.unit.localsite import LocalSite, serving

LOOPBACK = (ip_network("127.0.0.0/8"),)


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with serving() as site:
        yield site


@pytest.fixture
async def http() -> AsyncIterator[HttpFetcher]:
    """The real fetcher, allowed to reach loopback addresses and capped at 64 KiB."""
    fetcher = HttpFetcher(
        timeout_s=5.0, max_bytes=64 * 1024, user_agent="DevouredTest/1.0", allowed_networks=LOOPBACK
    )
    yield fetcher
    await fetcher.aclose()
