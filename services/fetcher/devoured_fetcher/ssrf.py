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
from devoured_infra import metrics

Network = IPv4Network | IPv6Network
Address = IPv4Address | IPv6Address


class BlockedAddress(PermanentError):
    """The URL resolves to an address we refuse to connect to."""


class ResolutionFailed(TransientError):
    """The host name did not resolve (may work later)."""


def blocked_reason(address: Address, allowed: Iterable[Network]) -> str | None:
    """Why ``address`` is refused, or None when it is public or explicitly allowed."""
    if any(address in network for network in allowed):
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return blocked_reason(address.ipv4_mapped, allowed)
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
