"""Delivering a closed edition: email over SMTP and webhooks (Slack, Discord or plain JSON).

Webhook bodies are signed with HMAC-SHA256 (``X-Devoured-Signature: sha256=<hex>``) when a
secret is configured, and every delivery is retried with exponential backoff.
"""

import asyncio
import hashlib
import hmac
import json
import smtplib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal, Protocol

import httpx

from devoured_core.errors import TransientError
from devoured_publisher.edition import Edition
from devoured_publisher.pages import render_email_html
from devoured_publisher.render import render_text


class Channel(Protocol):
    name: str
    targets: list[str]

    async def send(self, edition: Edition, target: str) -> None: ...


class DeliveryFailed(TransientError):
    """A channel could not deliver after its retries."""


@dataclass
class EmailChannel:
    host: str
    port: int
    sender: str
    targets: list[str]
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    name: str = "email"

    async def send(self, edition: Edition, target: str) -> None:
        message = EmailMessage()
        message["Subject"] = edition.title
        message["From"] = self.sender
        message["To"] = target
        message.set_content(render_text(edition))
        message.add_alternative(render_email_html(edition), subtype="html")
        await asyncio.to_thread(self._send_sync, message)

    def _send_sync(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls and smtp.has_extn("starttls"):
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)


@dataclass
class WebhookChannel:
    targets: list[str]
    style: Literal["slack", "discord", "json"] = "json"
    secret: str = ""
    base_url: str = ""
    name: str = "webhook"

    async def send(self, edition: Edition, target: str) -> None:
        body = json.dumps(webhook_payload(edition, self.style, self.base_url)).encode()
        headers = {"content-type": "application/json"}
        if self.secret:
            headers["x-devoured-signature"] = "sha256=" + sign(body, self.secret)
        async with httpx.AsyncClient(timeout=15) as client:
            response = await client.post(target, content=body, headers=headers)
        if response.status_code >= 300:
            raise DeliveryFailed(f"webhook: {target} answered HTTP {response.status_code}")


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_payload(edition: Edition, style: str, base_url: str) -> dict[str, object]:
    link = f"{base_url}/editions/{edition.edition_id}" if base_url else ""
    lines = [f"*{edition.title}*", edition.overview]
    for name, stories in edition.sections:
        lines.append(f"\n*{name}*")
        lines += [
            f"• <{s.url}|{s.title}>: {s.tldr}"
            if style == "slack"
            else f"• [{s.title}]({s.url}): {s.tldr}"
            for s in stories
        ]
    if link:
        lines.append(link)
    text = "\n".join(lines)
    if style == "slack":
        return {"text": text}
    if style == "discord":
        return {"content": text[:1990]}
    return edition.to_message().model_dump(mode="json")


async def with_retries(
    send: Callable[[], Awaitable[None]], *, attempts: int, backoff_s: float
) -> str | None:
    """Run ``send`` up to ``attempts`` times; returns the last error, or None on success."""
    error = None
    for attempt in range(attempts):
        try:
            await send()
            return None
        except (OSError, httpx.HTTPError, smtplib.SMTPException, TransientError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            if attempt + 1 < attempts:
                await asyncio.sleep(backoff_s * 2**attempt)
    return error
