"""Security headers on every response of the website and JSON API.

The pages load nothing: no script, image, font or frame, only the one ``<style>`` block of
``templates/base.html``, allowed by its SHA-256 (so an injected ``<style>`` or ``style=``
would not apply). Forms post only to the site, no other site may frame it, and links to
articles carry no referrer.
"""

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from devoured_publisher.pages import render_search


def page_style_hash() -> str:
    """The CSP source of the pages' ``<style>`` block, taken from a rendered page."""
    page = render_search("", [], digest_name="Devoured")
    match = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    css = match.group(1) if match else ""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def security_headers() -> dict[str, str]:
    policy = "; ".join(
        [
            "default-src 'none'",
            f"style-src {page_style_hash()}",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "content-security-policy": policy,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
        "cross-origin-opener-policy": "same-origin",
    }


class SecurityHeaders:
    """ASGI middleware: adds ``security_headers()`` to every HTTP response, errors too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in security_headers().items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
