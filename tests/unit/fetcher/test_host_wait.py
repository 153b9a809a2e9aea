"""The fetcher's lanes ask how long a request would wait for its host (``host_wait``), so a
lane leaves a record whose host asked for a long pause rather than hold its poll."""

import pytest

from devoured_core.messages import FetchArticle, PollFeed, SourceInfo
from devoured_fetcher.bootstrap import build_http, host_wait, wire
from devoured_fetcher.settings import FetcherSettings

SOURCE = SourceInfo(source_id="s", name="S")


async def test_the_wait_is_the_host_s_own_and_nobody_else_s() -> None:
    http = build_http(FetcherSettings(host_delay_s=1.0))
    assert http.limiter is not None
    http.limiter.delay_host("slow.example", 30.0)
    try:
        slow = FetchArticle(url="https://slow.example/a.html", source=SOURCE)
        feed = PollFeed(url="https://slow.example/feed.xml", source=SOURCE)
        other = FetchArticle(url="https://other.example/a.html", source=SOURCE)

        assert 29.0 < host_wait(http, slow) <= 30.0
        assert 29.0 < host_wait(http, feed) <= 30.0
        assert host_wait(http, other) == 0.0
    finally:
        await http.aclose()


async def test_the_fetcher_stage_asks_it() -> None:
    stage, deps = wire(lambda: pytest.fail("no unit of work needed"))
    try:
        assert deps.http.limiter is not None
        deps.http.limiter.delay_host("slow.example", 12.0)
        assert stage.wait_of is not None
        request = FetchArticle(url="https://slow.example/b.html", source=SOURCE)
        assert 11.0 < stage.wait_of(request) <= 12.0
    finally:
        await deps.http.aclose()
