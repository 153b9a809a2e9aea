"""Hostile URLs through the fetcher's real HTTP client and SSRF guard, with no allowed networks.

Every case is refused before a byte is sent: ``BlockedAddress`` for a non-public address
(decided on the resolved address, so every spelling of it ends the same way), or
``PermanentError`` for what is no fetchable URL. None needs DNS: the hosts are literals or
``localhost``. Canonical URLs on look-alike hosts go through the one canonical rule.
"""

from collections.abc import AsyncIterator

import pytest

from devoured_core.errors import PermanentError
from devoured_core.urls import trusted_canonical
from devoured_fetcher.http import BlockedAddress, HttpFetcher

BLOCKED = {
    # private, loopback, link-local and other non-public IPv4
    "loopback": "http://127.0.0.1/",
    "loopback-other": "http://127.8.9.10:8080/",
    "private-10": "http://10.0.0.1/",
    "private-172": "http://172.16.5.4/",
    "private-192": "http://192.168.1.1/",
    "metadata-link-local": "http://169.254.169.254/latest/meta-data/",
    "carrier-grade-nat": "http://100.64.0.1/",
    "this-network": "http://0.0.0.0/",
    "broadcast": "http://255.255.255.255/",
    "multicast": "http://224.0.0.1/",
    "benchmarking": "http://198.18.0.1/",
    "localhost-name": "http://localhost/",
    # IPv6 and addresses that embed an IPv4 address
    "ipv6-loopback": "http://[::1]/",
    "ipv6-unspecified": "http://[::]/",
    "ipv6-link-local": "http://[fe80::1]/",
    "ipv6-unique-local": "http://[fd00::1]/",
    "ipv4-mapped": "http://[::ffff:127.0.0.1]/",
    "ipv4-mapped-hex": "http://[::ffff:7f00:1]/",
    "ipv4-mapped-metadata": "http://[::ffff:169.254.169.254]/",
    "ipv4-compatible": "http://[::127.0.0.1]/",
    "ipv4-translated": "http://[::ffff:0:10.0.0.1]/",
    "6to4-loopback": "http://[2002:7f00:1::]/",
    "6to4-private": "http://[2002:c0a8:101::1]/",
    "6to4-metadata": "http://[2002:a9fe:a9fe::]/",
    "teredo-loopback-client": "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
    "nat64-loopback": "http://[64:ff9b::7f00:1]/",
    "nat64-metadata": "http://[64:ff9b::a9fe:a9fe]/",
    "nat64-local-use": "http://[64:ff9b:1:7f00:1::]/",
    # encoded IPv4 spellings (the resolver reads them all as 127.0.0.1 or 0.0.0.0)
    "decimal": "http://2130706433/",
    "hex": "http://0x7f000001/",
    "hex-dotted": "http://0x7f.0x0.0x0.0x1/",
    "octal-whole": "http://017700000001/",
    "short-form": "http://127.1/",
    "zero": "http://0/",
    # userinfo and authority tricks: the host is what follows the last @
    "userinfo-public-name": "http://example.com@127.0.0.1/",
    "userinfo-with-password": "http://user:pass@10.0.0.1/",
    "userinfo-looks-like-host": "http://trusted.test:80@192.168.0.1/",
    "fragment-at-sign": "http://127.0.0.1#@example.com/",
    "query-at-sign": "http://127.0.0.1?@example.com/",
    "uppercase-scheme": "HTTP://127.0.0.1/",
}

REFUSED = {
    # not http(s), or no URL we can fetch as written
    "file": "file:///etc/passwd",
    "gopher": "gopher://127.0.0.1:70/_",
    "ftp": "ftp://127.0.0.1/",
    "javascript": "javascript:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "no-host": "http:///etc/passwd",
    "unclosed-ipv6": "http://[::1/",
    "octal-dotted": "http://0177.0.0.1/",
    "fullwidth-digits": "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",
    "roman-numeral-l": "http://\u217cocalhost/",
    "empty-punycode": "http://xn--/",
    "label-too-long": "http://" + "a" * 300 + ".test/",
}


@pytest.fixture(scope="module")
async def http() -> AsyncIterator[HttpFetcher]:
    """The real fetcher as deployed: no network allowed beyond the public Internet."""
    fetcher = HttpFetcher(timeout_s=2.0, max_bytes=64 * 1024, user_agent="DevouredTest/1.0")
    yield fetcher
    await fetcher.aclose()


@pytest.mark.parametrize("url", BLOCKED.values(), ids=BLOCKED.keys())
async def test_non_public_addresses_are_blocked(http: HttpFetcher, url: str) -> None:
    with pytest.raises(BlockedAddress, match=r"^ssrf: .* non-public"):
        await http.get(url)


@pytest.mark.parametrize("url", REFUSED.values(), ids=REFUSED.keys())
async def test_unfetchable_urls_are_refused_as_permanent(http: HttpFetcher, url: str) -> None:
    with pytest.raises(PermanentError, match=r"^http: .*(only http|invalid URL)"):
        await http.get(url)


HOMOGRAPHS = {
    "cyrillic-a": "https://ex\u0430mple.test/a",
    "cyrillic-e-o": "https://\u0435x\u0430mpl\u0435.test/a",
    "greek-omicron": "https://example.test\u03bf/a",
    "punycode-lookalike": "https://xn--exmple-4nf.test/a",
    "fullwidth": "https://\uff45xample.test/a",
    "subdomain-prefix": "https://example.test.evil.test/a",
    "userinfo": "https://example.test@evil.test/a",
    "one-letter-off": "https://example.tes/a",
}


@pytest.mark.parametrize("claimed", HOMOGRAPHS.values(), ids=HOMOGRAPHS.keys())
def test_look_alike_hosts_are_not_the_pages_own_site(claimed: str) -> None:
    """A page on example.test cannot claim a look-alike host's URL as its canonical one."""
    page = "https://example.test/p"
    assert trusted_canonical(claimed, page) == page
