"""Delivering a closed edition: email over SMTP and webhooks (Slack, Discord or plain JSON).

Email goes over TLS only: implicit TLS (SMTPS, usually port 465) or STARTTLS, with the
server's certificate verified; cleartext only where the operator allows it for a loopback
relay. Webhook calls are signed with HMAC-SHA256 over a timestamp and the body
(``X-Devoured-Signature: t=<unix>,v1=<hex>``, see ``signature.py``) when a secret is
configured. Every delivery is retried with exponential backoff.

Webhook URLs are credentials (whoever knows a Slack or Discord hook URL can post to it), and
so are the SMTP password and the signing secret: none of them is ever put in an error
message. Deliveries are recorded under ``target_id(target)``, never under the URL itself.
"""

import asyncio
import hashlib
import json
import smtplib
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from devoured_core.errors import TransientError
from devoured_publisher.edition import Edition
from devoured_publisher.pages import render_email_html
from devoured_publisher.render import render_text
from devoured_publisher.sanitize import safe_url
from devoured_publisher.signature import HEADER, sign


class Channel(Protocol):
    name: str
    targets: list[str]

    async def send(self, edition: Edition, target: str) -> None: ...


class DeliveryFailed(TransientError):
    """A channel could not deliver after its retries."""


def target_id(target: str) -> str:
    """A stable name for a delivery target that gives no secret away, stored and logged
    instead of it: an email address stays as it is; a URL, whose path, query or user info is
    often the credential itself (Slack, Discord), becomes its origin and a hash of the whole:
    ``https://hooks.slack.com/…#1a2b3c4d5e6f``."""
    if "://" not in target:
        return target
    parts = urlsplit(target)
    digest = hashlib.sha256(target.encode()).hexdigest()[:12]
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}/…#{digest}"


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (URL, password) replaced by ``target_id`` or ``***``."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, target_id(secret) if "://" in secret else "***")
    return text


@dataclass
class EmailChannel:
    host: str
    port: int
    sender: str
    targets: list[str]
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = True
    implicit_tls: bool = False
    allow_plaintext: bool = False
    ca_file: Path | None = None
    name: str = "email"

    async def send(self, edition: Edition, target: str) -> None:
        message = EmailMessage()
        try:  # a header value with CR or LF is refused, not folded into a new header
            message["Subject"] = edition.title
            message["From"] = self.sender
            message["To"] = target
        except ValueError as exc:
            raise DeliveryFailed(f"email: to {target!r}: {exc}") from None
        message.set_content(render_text(edition))
        message.add_alternative(render_email_html(edition), subtype="html")
        try:
            await asyncio.to_thread(self._send_sync, message)
        except (OSError, smtplib.SMTPException) as exc:
            secret = self.password.get_secret_value() if self.password else ""
            detail = redact(f"{type(exc).__name__}: {exc}", [secret])
            raise DeliveryFailed(f"email: to {target} via {self.host}: {detail}") from None

    def _send_sync(self, message: EmailMessage) -> None:
        context = ssl.create_default_context(cafile=self.ca_file)
        smtp = (
            smtplib.SMTP_SSL(self.host, self.port, timeout=30, context=context)
            if self.implicit_tls
            else smtplib.SMTP(self.host, self.port, timeout=30)
        )
        with smtp:
            smtp.ehlo()  # has_extn() knows only what EHLO answered
            if not self.implicit_tls:
                if self.starttls and smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
                elif not self.allow_plaintext:
                    raise DeliveryFailed(
                        f"email: {self.host}:{self.port} offers no STARTTLS; refusing to send "
                        "in cleartext (DEVOURED_PUBLISHER_SMTP_ALLOW_PLAINTEXT is for a "
                        "loopback relay)"
                    )
            if self.username and self.password:
                smtp.login(self.username, self.password.get_secret_value())
            smtp.send_message(message)


@dataclass
class WebhookChannel:
    targets: list[str]
    style: Literal["slack", "discord", "json"] = "json"
    secret: SecretStr = field(default_factory=lambda: SecretStr(""))
    base_url: str = ""
    name: str = "webhook"
    clock: Callable[[], float] = time.time

    async def send(self, edition: Edition, target: str) -> None:
        body = json.dumps(webhook_payload(edition, self.style, self.base_url)).encode()
        headers = {"content-type": "application/json"}
        secret = self.secret.get_secret_value()
        if secret:
            headers[HEADER] = sign(body, secret, int(self.clock()))
        try:
            async with httpx.AsyncClient(timeout=15) as client:
                response = await client.post(target, content=body, headers=headers)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            detail = redact(f"{type(exc).__name__}: {exc}", [target, secret])
            raise DeliveryFailed(f"webhook: {target_id(target)}: {detail}") from None
        if response.status_code >= 300:
            raise DeliveryFailed(
                f"webhook: {target_id(target)} answered HTTP {response.status_code}"
            )


def webhook_payload(edition: Edition, style: str, base_url: str) -> dict[str, object]:
    """The body of a webhook call. Stories' text is escaped for the chat's markup, links are
    http(s) only, and no one is pinged: an article cannot write Slack's ``<!channel>`` or
    make Discord's ``@everyone`` notify."""
    link = f"{base_url}/editions/{edition.edition_id}" if base_url else ""
    chat = _slack if style == "slack" else _discord
    lines = [f"*{chat(edition.title)}*", chat(edition.overview)]
    for name, stories in edition.sections:
        lines.append(f"\n*{chat(name)}*")
        lines += [f"• {_chat_link(s.title, s.url, style)}: {chat(s.tldr)}" for s in stories]
    if link:
        lines.append(link)
    text = "\n".join(lines)
    if style == "slack":
        return {"text": text}
    if style == "discord":
        return {"content": text[:1990], "allowed_mentions": {"parse": []}}
    return edition.to_message().model_dump(mode="json")


def _chat_link(title: str, url: str, style: str) -> str:
    """A story's title, linked when its URL is a safe http(s) one."""
    target = safe_url(url)
    if style == "slack":
        return f"<{_slack(target)}|{_slack(title)}>" if target != "#" else _slack(title)
    return f"[{_discord(title)}](<{target}>)" if target != "#" else _discord(title)


def _slack(text: str) -> str:
    """Slack mrkdwn: ``&``, ``<`` and ``>`` are its only control characters (links, pings)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _discord(text: str) -> str:
    """Discord markdown: its control characters escaped (no forged links or formatting);
    pings are off through ``allowed_mentions``."""
    for char in "\\[]()<>*_`~|":
        text = text.replace(char, "\\" + char)
    return text


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
