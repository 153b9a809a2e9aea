"""Local SMTP servers for the delivery tests: plain, STARTTLS or implicit TLS, with AUTH,
on a certificate made for 127.0.0.1 at test time (``openssl``)."""

import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.services import free_port

USER = "digest"
PASSWORD = "pw-Zq8-SECRET-d41d8cd9"


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass
class Mailbox:
    """What the server saw: logins (user, password, over TLS?) and delivered messages."""

    logins: list[tuple[str, str, bool]] = field(default_factory=list)
    messages: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope.content)
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.logins.append((user, password, tls))
        return AuthResult(success=(user, password) == (USER, PASSWORD), handled=False)


@contextmanager
def smtp_server(mode: str, cert: tuple[Path, Path] | None = None) -> Iterator[tuple[int, Mailbox]]:
    """``mode``: ``plain`` (AUTH allowed in cleartext), ``starttls`` or ``implicit``."""
    box = Mailbox()
    context = None
    if cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*cert)
    options: dict[str, Any] = {
        "authenticator": box.authenticate,
        "auth_require_tls": False,
    }
    if mode == "starttls":
        options |= {"tls_context": context, "auth_require_tls": True}
    if mode == "implicit":
        options |= {"ssl_context": context, "server_hostname": "127.0.0.1"}
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller.port, box
    finally:
        controller.stop()
