"""Reading a response body under a cap, decompressing it ourselves so a bomb cannot expand.

httpx would inflate a whole network chunk at once (a 64 KiB gzip chunk can become gigabytes);
here ``zlib`` gets ``max_length`` so we never hold more than the cap plus one chunk.
"""

import zlib
from collections.abc import AsyncIterator

from devoured_core.errors import PermanentError


class ResponseTooLarge(PermanentError):
    """The body exceeded the configured cap."""


class DecompressionBomb(ResponseTooLarge):
    """The compressed body inflates past the cap."""


class UnsupportedEncoding(PermanentError):
    """A Content-Encoding we neither asked for nor can decode."""


def _decompressor(encoding: str) -> "zlib._Decompress | None":
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise UnsupportedEncoding(f"bodies: content-encoding {encoding!r} is not supported")


async def read_capped(raw: AsyncIterator[bytes], *, encoding: str, max_bytes: int) -> bytes:
    """The decoded body, or ``ResponseTooLarge``/``DecompressionBomb`` past ``max_bytes``."""
    inflater = _decompressor(encoding.strip().lower())
    out = bytearray()
    async for chunk in raw:
        if inflater is None:
            out += chunk
        else:
            _inflate(inflater, chunk, out, max_bytes)
        if len(out) > max_bytes:
            kind = DecompressionBomb if inflater is not None else ResponseTooLarge
            raise kind(f"bodies: body larger than {max_bytes} bytes" + _after(inflater))
    if inflater is not None:
        try:
            out += inflater.flush()
        except zlib.error as exc:
            raise PermanentError(f"bodies: corrupt {encoding} body: {exc}") from exc
        if len(out) > max_bytes:
            raise DecompressionBomb(f"bodies: body larger than {max_bytes} bytes{_after(inflater)}")
    return bytes(out)


def _inflate(inflater: "zlib._Decompress", chunk: bytes, out: bytearray, max_bytes: int) -> None:
    data = chunk
    try:
        while data and len(out) <= max_bytes:
            out += inflater.decompress(data, max_bytes + 1 - len(out))
            data = inflater.unconsumed_tail
    except zlib.error as exc:
        raise PermanentError(f"bodies: corrupt compressed body: {exc}") from exc


def _after(inflater: "zlib._Decompress | None") -> str:
    return " after decompression" if inflater is not None else ""
