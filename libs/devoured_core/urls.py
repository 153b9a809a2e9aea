"""URL canonicalisation and the article id derived from it."""

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "yclid",
        "igshid",
        "_hsenc",
        "_hsmi",
        "ref_src",
        "mkt_tok",
    }
)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Normalise ``url`` so that the same article always gets the same string.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters, and
    sorts the remaining query parameters.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    )
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def article_id_for(url: str) -> str:
    """Stable article id: the first 20 hex digits of SHA-256 of the canonical URL."""
    return hashlib.sha256(canonicalize_url(url).encode()).hexdigest()[:20]


def host_of(url: str) -> str:
    """Lower-case host name of ``url`` (the fetch topic's partition key)."""
    return (urlsplit(url).hostname or "").lower()


def trusted_canonical(claimed: str | None, page_url: str) -> str:
    """The URL a page at ``page_url`` may be known by: its claimed canonical URL when that is
    an absolute http(s) URL on the page's own site (``www.`` aside), else ``page_url``.

    A page may not claim another site's URL: that would take over the other article's id and
    mark it fetched. The fetcher and the extractor both ask this one rule.
    """
    if not claimed or not claimed.startswith(("http://", "https://")):
        return page_url
    if _site(host_of(claimed)) != _site(host_of(page_url)):
        return page_url
    return claimed


def _site(host: str) -> str:
    return host.removeprefix("www.")
