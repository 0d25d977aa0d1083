"""Real SMTP servers on 127.0.0.1 for the tests: aiosmtpd in plain, STARTTLS and implicit TLS.

``server.messages`` holds every message the server accepted; ``refuse_rcpt``/``refuse_data``
make it answer 5xx; :class:`HangUp` accepts a connection and drops it mid-conversation.
"""

from __future__ import annotations

import socket
import ssl
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Authority:
    """A throwaway certificate authority and a certificate for 127.0.0.1, made in the test."""

    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA()
        self.cert = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = directory / "test-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.cert.configure_cert(context)
        return context


class _Handler:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_RCPT(self, smtp: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.server.refuse_rcpt:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        if self.server.refuse_data:
            return "554 5.7.1 message refused"
        with self.server.lock:
            self.server.received.append(
                (envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content), session.auth_data)
            )
        return "250 2.0.0 accepted"


class _TLSController(Controller):
    """aiosmtpd's controller, with a readiness check that speaks TLS when the server does."""

    def __init__(self, *args: Any, client_context: ssl.SSLContext | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client_context = client_context

    def _trigger_server(self) -> None:
        with socket.create_connection((self.hostname, self.port), timeout=5) as sock:
            if self.client_context is not None:
                with self.client_context.wrap_socket(sock, server_hostname="127.0.0.1") as tls:
                    tls.recv(1024)
            else:
                sock.recv(1024)


class SMTPServer:
    """One SMTP server on an ephemeral port of 127.0.0.1.

    ``security``: ``none`` (plain), ``starttls`` (offered, and required before MAIL), or
    ``ssl`` (implicit TLS). With ``password`` set, AUTH is required, for user ``user``.
    """

    def __init__(
        self,
        security: str = "none",
        authority: Authority | None = None,
        user: str = "cron",
        password: str | None = None,
        offer_starttls: bool = True,
    ) -> None:
        self.security = security
        self.user, self.password = user, password
        self.received: list[tuple[str, list[str], bytes, Any]] = []
        self.refuse_rcpt: set[str] = set()
        self.refuse_data = False
        self.logins: list[str] = []
        self.lock = threading.Lock()
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        client_context = None
        if security == "starttls" and offer_starttls:
            assert authority is not None
            kwargs.update(tls_context=authority.server_context(), require_starttls=True)
        if security == "ssl":
            assert authority is not None
            kwargs["ssl_context"] = authority.server_context()
            client_context = ssl.create_default_context(cafile=str(authority.ca_file))
        if password is not None:
            # Implicit TLS is TLS from the first byte; aiosmtpd only knows STARTTLS as TLS.
            kwargs.update(authenticator=self._authenticate, auth_required=True,
                          auth_require_tls=security == "starttls")  # fmt: skip
        self.controller = _TLSController(
            _Handler(self), hostname="127.0.0.1", port=self.port, client_context=client_context, **kwargs
        )

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and data.login == self.user.encode() and (
            data.password == (self.password or "").encode()
        )
        if ok:
            with self.lock:
                self.logins.append(data.login.decode())
        return AuthResult(success=ok, handled=False)

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message_from_bytes(raw, policy=policy.default) for _, _, raw, _ in self.received]

    @property
    def options(self) -> list[str]:
        """The command-line options that send through this server."""
        return ["--smtp-host", "127.0.0.1", "--smtp-port", str(self.port), "--smtp-security", self.security]

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class HangUp:
    """Greets, answers EHLO, then drops the connection at the command ``at`` (e.g. ``DATA``)."""

    def __init__(self, at: str = "DATA") -> None:
        self.at = at.upper()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            conn.sendall(b"220 127.0.0.1 ESMTP ready\r\n")
            reader = conn.makefile("rb")
            for line in reader:
                command = line.strip().upper()
                if command.startswith(self.at.encode()):
                    return  # hang up without a word
                if command.startswith((b"EHLO", b"HELO")):
                    conn.sendall(b"250-127.0.0.1\r\n250 8BITMIME\r\n")
                else:
                    conn.sendall(b"250 OK\r\n")

    @property
    def options(self) -> list[str]:
        return ["--smtp-host", "127.0.0.1", "--smtp-port", str(self.port), "--smtp-security", "none"]

    def __enter__(self) -> HangUp:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.listener.close()
        self.thread.join(5)
