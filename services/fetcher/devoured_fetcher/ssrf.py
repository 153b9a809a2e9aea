"""SSRF guard: refuse non-public addresses, checked on the very address we connect to.

The check runs inside the connection layer (an httpcore network backend), after DNS resolution
and for every new connection, redirects included. The socket is then opened to the address that
was checked, never to the host name, so a second DNS answer cannot slip in a private address
(no DNS-rebinding gap). TLS still verifies the certificate against the URL's host name, because
httpcore passes the origin's host as ``server_hostname``.
"""

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

import httpcore
from httpcore._backends.anyio import AnyIOBackend

from devoured_core.errors import PermanentError, TransientError
from devoured_fetcher import metrics

Network = IPv4Network | IPv6Network
Address = IPv4Address | IPv6Address


class BlockedAddress(PermanentError):
    """The URL resolves to an address we refuse to connect to."""


class ResolutionFailed(TransientError):
    """The host name did not resolve (may work later)."""


# IPv6 ranges whose last 32 bits are an IPv4 address: NAT64 (RFC 6052), IPv4-compatible
# (deprecated) and IPv4-translated (RFC 2765). Mapped, 6to4 and Teredo ``ipaddress`` decodes.
_LAST_32_BITS = (
    IPv6Network("64:ff9b::/96"),
    IPv6Network("::/96"),
    IPv6Network("::ffff:0:0:0/96"),
)
_NAT64_LOCAL = IPv6Network("64:ff9b:1::/48")  # RFC 8215; RFC 6052's /48 layout


def embedded_ipv4(address: IPv6Address) -> list[IPv4Address]:
    """The IPv4 addresses ``address`` carries (and would reach through a translator or a
    tunnel): IPv4-mapped, -compatible, -translated, 6to4, Teredo (server and client) and
    NAT64. Empty for an ordinary IPv6 address."""
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)
    if address.is_loopback or address.is_unspecified:  # ::1 and :: are in ::/96
        return []
    packed = address.packed
    if address in _NAT64_LOCAL:  # bits 48-63 and 72-87; bits 64-71 are the "u" octet
        return [IPv4Address(packed[6:8] + packed[9:11])]
    if any(address in network for network in _LAST_32_BITS):
        return [IPv4Address(packed[12:])]
    return []


def blocked_reason(address: Address, allowed: Iterable[Network]) -> str | None:
    """Why ``address`` is refused, or None when it is public or explicitly allowed.

    An IPv6 address that embeds an IPv4 address is judged by the IPv4 address it leads to.
    """
    if any(address in network for network in allowed):
        return None
    embedded = embedded_ipv4(address) if isinstance(address, IPv6Address) else []
    if embedded:
        reasons = (blocked_reason(ipv4, allowed) for ipv4 in embedded)
        return next((reason for reason in reasons if reason), None)
    for name in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    if not address.is_global:
        return "non-global"
    return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every answer, then connects to the first checked address."""

    def __init__(self, allowed: Iterable[Network] = ()) -> None:
        self._allowed = tuple(allowed)
        self._inner = AnyIOBackend()

    async def resolve(self, host: str, port: int) -> list[Address]:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise ResolutionFailed(f"ssrf: cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(ipaddress.ip_address(i[4][0]) for i in infos))
        for address in addresses:
            # Refuse the host if ANY answer is private: a mixed answer is a rebinding trick.
            reason = blocked_reason(address, self._allowed)
            if reason is not None:
                metrics.FETCH_SSRF_BLOCKS.inc()
                raise BlockedAddress(
                    f"ssrf: {host} resolves to non-public ({reason}) address {address}; "
                    "see DEVOURED_FETCH_ALLOWED_NETWORKS"
                )
        if not addresses:
            raise ResolutionFailed(f"ssrf: {host} has no address")
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        [address, *_] = await self.resolve(host, port)
        return await self._inner.connect_tcp(
            str(address),
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("ssrf: unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
