"""The HTTP adapter against a real server on 127.0.0.1: guards, caps and redirects."""

import socket
from ipaddress import ip_network

import pytest

from devoured_core.errors import PermanentError, TransientError
from devoured_fetcher.http import (
    MAX_REDIRECTS,
    BlockedAddress,
    FetchFailed,
    HttpFetcher,
    ResponseTooLarge,
)
from tests.unit.localsite import LocalSite, Reply, serving


async def test_get_returns_status_body_and_kept_headers(site: LocalSite, http: HttpFetcher) -> None:
    url = site.route(
        "/page",
        Reply(
            200,
            b"<p>hello</p>",
            {"content-type": "text/html", "etag": '"e1"', "x-powered-by": "nobody"},
        ),
    )
    response = await http.get(url)
    assert (response.status, response.body, response.final_url) == (200, b"<p>hello</p>", url)
    assert response.headers == {"content-type": "text/html", "etag": '"e1"'}
    assert response.content_type == "text/html"
    assert site.requests[0].headers["user-agent"] == "DevouredTest/1.0"


async def test_conditional_headers_are_sent(site: LocalSite, http: HttpFetcher) -> None:
    url = site.route("/feed", Reply(304))
    response = await http.get(url, etag='"v7"', last_modified="Sat, 28 Nov 2026 10:00:00 GMT")
    assert response.status == 304
    sent = site.requests[0].headers
    assert sent["if-none-match"] == '"v7"'
    assert sent["if-modified-since"] == "Sat, 28 Nov 2026 10:00:00 GMT"


async def test_plain_get_sends_no_conditional_headers(site: LocalSite, http: HttpFetcher) -> None:
    await http.get(site.route("/plain", Reply(200, b"x")))
    assert "if-none-match" not in site.requests[0].headers
    assert "if-modified-since" not in site.requests[0].headers


async def test_loopback_is_refused_without_allowed_networks(site: LocalSite) -> None:
    url = site.route("/secret", Reply(200, b"internal"))
    fetcher = HttpFetcher(timeout_s=5.0, max_bytes=1024, user_agent="t")
    try:
        with pytest.raises(BlockedAddress, match=r"127\.0\.0\.1"):
            await fetcher.get(url)
    finally:
        await fetcher.aclose()
    assert site.requests == []


async def test_redirect_into_a_blocked_network_is_refused(site: LocalSite) -> None:
    """Every hop is checked, not just the first URL."""
    other = site.url("/internal").replace("127.0.0.1", "127.0.0.2")
    url = site.route("/hop", Reply(302, b"", {"location": other}))
    fetcher = HttpFetcher(
        timeout_s=5.0,
        max_bytes=1024,
        user_agent="t",
        allowed_networks=(ip_network("127.0.0.1/32"),),
    )
    try:
        with pytest.raises(BlockedAddress, match=r"127\.0\.0\.2"):
            await fetcher.get(url)
    finally:
        await fetcher.aclose()
    assert site.paths() == ["/hop"]


async def test_blocked_address_is_permanent() -> None:
    assert issubclass(BlockedAddress, PermanentError)
    assert issubclass(ResponseTooLarge, PermanentError)
    assert issubclass(FetchFailed, TransientError)


async def test_body_over_the_cap_is_refused(site: LocalSite, http: HttpFetcher) -> None:
    url = site.route("/huge", Reply(200, b"x" * (64 * 1024 + 1), {"content-type": "text/html"}))
    with pytest.raises(ResponseTooLarge):
        await http.get(url)


async def test_body_at_the_cap_is_accepted(site: LocalSite, http: HttpFetcher) -> None:
    url = site.route("/exact", Reply(200, b"x" * (64 * 1024), {"content-type": "text/html"}))
    assert len((await http.get(url)).body) == 64 * 1024


async def test_redirects_are_followed_and_recorded(site: LocalSite, http: HttpFetcher) -> None:
    start = site.route("/old", Reply(301, b"", {"location": "/middle"}))
    site.route("/middle", Reply(302, b"", {"location": site.url("/new")}))
    site.route("/new", Reply(200, b"arrived", {"content-type": "text/html"}))
    response = await http.get(start)
    assert response.final_url == site.url("/new")
    assert response.body == b"arrived"
    assert response.redirects == [start, site.url("/middle")]


async def test_redirect_loop_is_permanent(site: LocalSite, http: HttpFetcher) -> None:
    site.route("/loop-a", Reply(302, b"", {"location": "/loop-b"}))
    site.route("/loop-b", Reply(302, b"", {"location": "/loop-a"}))
    with pytest.raises(PermanentError, match="redirect"):
        await http.get(site.url("/loop-a"))
    assert site.paths() == ["/loop-a", "/loop-b"]


async def test_too_many_redirects_is_permanent(site: LocalSite, http: HttpFetcher) -> None:
    for hop in range(MAX_REDIRECTS + 2):
        site.route(f"/r{hop}", Reply(302, b"", {"location": f"/r{hop + 1}"}))
    with pytest.raises(PermanentError, match="redirect"):
        await http.get(site.url("/r0"))
    assert len(site.requests) == MAX_REDIRECTS + 1


async def test_only_http_urls_are_fetched(http: HttpFetcher) -> None:
    with pytest.raises(PermanentError, match="only http"):
        await http.get("ftp://127.0.0.1/file")


async def test_refused_connection_is_transient(http: HttpFetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchFailed):
        await http.get(f"http://127.0.0.1:{port}/")


async def test_source_headers_do_not_follow_a_redirect_to_another_origin(
    site: LocalSite, http: HttpFetcher
) -> None:
    """Credentials in a source's headers stay on its origin (issue 13)."""
    with serving() as elsewhere:  # same host, another port: another origin
        landing = elsewhere.route("/feed", Reply(200, b"ok", {"content-type": "text/xml"}))
        site.route("/feed", Reply(302, b"", {"location": site.url("/moved")}))
        site.route("/moved", Reply(302, b"", {"location": landing}))
        own = {"authorization": "Bearer s3cret", "cookie": "session=s3cret"}
        response = await http.get(site.url("/feed"), headers=own, accept="text/xml", etag='"v1"')
    assert response.final_url == landing
    same_origin_hop = site.requests[1].headers
    assert same_origin_hop["authorization"] == "Bearer s3cret"
    assert same_origin_hop["cookie"] == "session=s3cret"
    [arrived] = elsewhere.requests
    assert "authorization" not in arrived.headers
    assert "cookie" not in arrived.headers
    assert (arrived.headers["accept"], arrived.headers["if-none-match"]) == ("text/xml", '"v1"')
