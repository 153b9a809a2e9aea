"""Webhook signatures: HMAC-SHA256 over a timestamp and the body, so a captured call cannot be
replayed later (the scheme of Stripe and Slack).

The header is ``X-Devoured-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
``HMAC-SHA256(secret, f"{t}." + body)``. A receiver recomputes it and refuses a timestamp
older (or newer) than its tolerance: ``verify_signature`` is the sample verifier of
docs/publisher.md.
"""

import hashlib
import hmac

HEADER = "x-devoured-signature"
DEFAULT_TOLERANCE_S = 300


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},v1={_mac(body, secret, timestamp)}"


def verify_signature(
    header: str, body: bytes, secret: str, *, now: float, tolerance_s: int = DEFAULT_TOLERANCE_S
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` at most ``tolerance_s`` from ``now``."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = _mac(body, secret, timestamp)
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))


def _mac(body: bytes, secret: str, timestamp: int) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
