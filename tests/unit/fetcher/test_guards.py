"""SSRF classification, the bomb-proof body reader, politeness, robots.txt and OPML."""

import asyncio
import gzip
import itertools
import time
import zlib
from collections.abc import AsyncIterator
from ipaddress import ip_address, ip_network

import pytest

from devoured_core.errors import DevouredError, PermanentError
from devoured_fetcher.bodies import (
    DecompressionBomb,
    ResponseTooLarge,
    UnsupportedEncoding,
    read_capped,
)
from devoured_fetcher.decode import charset_of, decode_body
from devoured_fetcher.opml import OpmlFeed, parse_opml, render_opml
from devoured_fetcher.outcome import canonical_link
from devoured_fetcher.politeness import HostLimiter
from devoured_fetcher.robots import RobotsCache
from devoured_fetcher.ssrf import blocked_reason
from devoured_fetcher.xmlsafe import UnsafeXml


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "private"),  # cloud metadata: link-local and private in Python
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "private"),
        ("::1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("fe80::1", "private"),
        ("100.64.0.1", "non-global"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_blocked_reason(address: str, reason: str | None) -> None:
    assert blocked_reason(ip_address(address), ()) == reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", "private"),  # 6to4 of 169.254.169.254
        ("2002:c0a8:101::1", "private"),  # 6to4 of 192.168.1.1
        ("2002:808:808::1", None),  # 6to4 of 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client 127.0.0.1
        ("2001:0:a00:1:8000:63bf:f7f7:f7f7", "private"),  # Teredo, server 10.0.0.1
        ("2001:0:808:808:0:0:f7ff:f7f7", None),  # Teredo, 8.8.8.8 and client 8.0.8.8
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "private"),  # NAT64 of 169.254.169.254
        ("64:ff9b::808:808", None),  # NAT64 of 8.8.8.8
        ("64:ff9b:1:7f00:1::", "loopback"),  # local-use NAT64 (/48 layout) of 127.0.0.1
        ("64:ff9b:1:808:8:800::", None),  # local-use NAT64 of 8.8.8.8
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::127.0.0.1", "loopback"),  # IPv4-compatible
        ("::ffff:0:a00:1", "private"),  # IPv4-translated (SIIT) of 10.0.0.1
        ("::1", "loopback"),
        ("::", "private"),
    ],
)
def test_addresses_that_embed_ipv4_are_judged_by_it(address: str, reason: str | None) -> None:
    """6to4, Teredo, NAT64, mapped, compatible and translated addresses (issue 13)."""
    assert blocked_reason(ip_address(address), ()) == reason


def test_allowed_networks_open_a_hole() -> None:
    allowed = (ip_network("10.0.0.0/8"),)
    assert blocked_reason(ip_address("10.9.9.9"), allowed) is None
    assert blocked_reason(ip_address("192.168.1.1"), allowed) == "private"


async def _chunks(data: bytes, size: int = 16384) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


async def test_bodies_decode_gzip_and_deflate() -> None:
    text = b"hello " * 1000
    assert (
        await read_capped(_chunks(gzip.compress(text)), encoding="gzip", max_bytes=10_000) == text
    )
    assert (
        await read_capped(_chunks(zlib.compress(text)), encoding="deflate", max_bytes=10_000)
        == text
    )


async def test_bodies_stop_bombs_and_big_bodies_at_the_cap() -> None:
    with pytest.raises(DecompressionBomb):
        await read_capped(
            _chunks(gzip.compress(b"\0" * 10_000_000)), encoding="gzip", max_bytes=100_000
        )
    with pytest.raises(ResponseTooLarge):
        await read_capped(_chunks(b"x" * 200_000), encoding="", max_bytes=100_000)
    assert (
        len(await read_capped(_chunks(b"x" * 100_000), encoding="", max_bytes=100_000)) == 100_000
    )


async def test_bodies_refuse_unknown_or_corrupt_encodings() -> None:
    with pytest.raises(UnsupportedEncoding):
        await read_capped(_chunks(b"x"), encoding="br", max_bytes=10)
    with pytest.raises(PermanentError, match="corrupt"):
        await read_capped(_chunks(b"not gzip at all"), encoding="gzip", max_bytes=1000)


def test_charset_detection_after_header_bom_and_meta() -> None:
    latin = "Café crème brûlée, déjà vu à la française. ".encode("cp1252") * 20
    assert decode_body(None, latin).startswith("Café crème brûlée, déjà vu à la française.")
    cyrillic = "Привет, как дела? Это тест кодировки. ".encode("cp1251") * 20
    assert decode_body(None, cyrillic).startswith("Привет, как дела?")
    assert charset_of("text/html; charset=iso-8859-2", latin) == "iso-8859-2"
    assert charset_of(None, "é".encode() * 10) == "utf-8"
    assert decode_body(None, b"ok \xff\xfe\xfd") is not None  # never raises


def test_canonical_link() -> None:
    html = '<html><head><link href="https://a.test/x" rel="canonical"></head></html>'
    assert canonical_link(html) == "https://a.test/x"
    assert canonical_link("<link rel='stylesheet' href='/s.css'>") is None


async def test_host_limiter_spaces_starts_and_caps_concurrency() -> None:
    limiter = HostLimiter(concurrency=1, min_delay_s=0.05)
    starts: list[float] = []
    in_flight = 0
    peak = 0

    async def request(host: str) -> None:
        nonlocal in_flight, peak
        async with limiter.slot(host):
            starts.append(time.monotonic())
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1

    await asyncio.gather(*(request("a.test") for _ in range(4)))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert peak == 1
    assert min(gaps) >= 0.045
    other: list[float] = []
    t0 = time.monotonic()
    async with limiter.slot("b.test"):  # another host does not wait for a.test
        other.append(time.monotonic() - t0)
    assert other[0] < 0.04


async def test_robots_cache_fetches_once_per_origin_and_obeys_rules() -> None:
    served: list[str] = []

    async def get(url: str) -> tuple[int, bytes]:
        served.append(url)
        if "down" in url:
            return 503, b""
        if "none" in url:
            return 404, b""
        return 200, b"User-agent: DevouredBot\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"

    robots = RobotsCache(get, user_agent="DevouredBot")
    assert await robots.allowed("https://a.test/post")
    assert not await robots.allowed("https://a.test/private/x")
    assert await robots.allowed("https://none.test/anything")
    assert not await robots.allowed("https://down.test/anything")
    assert served == [
        "https://a.test/robots.txt",
        "https://none.test/robots.txt",
        "https://down.test/robots.txt",
    ]


async def test_robots_network_failure_disallows_for_a_while() -> None:
    async def get(url: str) -> tuple[int, bytes]:
        raise DevouredError("boom")

    assert not await RobotsCache(get, user_agent="x").allowed("https://a.test/")


def test_opml_round_trip_with_categories() -> None:
    feeds = [
        OpmlFeed("Lantern & Co", "https://lantern.test/feed", "Data"),
        OpmlFeed("Plain", "https://plain.test/rss", None),
    ]
    parsed = parse_opml(render_opml(feeds).encode())
    assert sorted(parsed, key=lambda f: f.url) == sorted(feeds, key=lambda f: f.url)


def test_opml_refuses_entities_and_skips_non_http() -> None:
    with pytest.raises(UnsafeXml):
        parse_opml(b'<!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>')
    body = b'<opml><body><outline text="x" xmlUrl="file:///etc/passwd"/></body></opml>'
    assert parse_opml(body) == []


async def test_robots_crawl_delay_and_request_rate_for_our_agent() -> None:
    bodies = {
        "https://slow.test/robots.txt": b"User-agent: *\nCrawl-delay: 7\nDisallow: /private\n",
        "https://rate.test/robots.txt": b"User-agent: DevouredBot\nRequest-rate: 1/20\n",
        "https://mixed.test/robots.txt": (
            b"User-agent: DevouredBot\nCrawl-delay: 3\nRequest-rate: 2/10\n\n"
            b"User-agent: *\nCrawl-delay: 60\n"
        ),
        "https://plain.test/robots.txt": b"User-agent: *\nDisallow: /private\n",
    }

    async def get(url: str) -> tuple[int, bytes]:
        return (200, bodies[url]) if url in bodies else (404, b"")

    robots = RobotsCache(get, user_agent="DevouredBot")
    assert await robots.crawl_delay("https://slow.test/a") == 7.0
    assert await robots.crawl_delay("https://rate.test/a") == 20.0
    assert await robots.crawl_delay("https://mixed.test/a") == 5.0  # our group, the longer
    assert await robots.crawl_delay("https://plain.test/a") == 0.0
    assert await robots.crawl_delay("https://none.test/a") == 0.0


async def test_host_spacing_from_robots_replaces_the_default_delay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]
    waits: list[float] = []
    limiter = HostLimiter(concurrency=1, min_delay_s=1.0, clock=lambda: now[0])
    real_sleep = asyncio.sleep

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    limiter.space_host("slow.test", 7.0)
    limiter.space_host("fast.test", 0.5)  # less than the default: the default stays
    assert (limiter.spacing("slow.test"), limiter.spacing("fast.test")) == (7.0, 1.0)
    for host in ("slow.test", "slow.test", "fast.test", "fast.test"):
        async with limiter.slot(host):
            pass
    assert waits == [7.0, 1.0]
