"""The element fetch against hostile servers on 127.0.0.1: redirects, trickles, floods, bad URLs, proxies."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from isspass import __version__, download
from isspass.download import check_elements_url, fetch, gp_url
from isspass.errors import ConfigError, NetworkError

#: Short limits keep the tests fast; the defaults are the same code with other numbers.
WAIT_S = 0.25
TOTAL_S = 0.5
BODY = b'[{"OBJECT_NAME": "ISS (ZARYA)"}]'


class Hostile:
    """A TCP server on 127.0.0.1: reads one request head per connection, then does ``behave``.

    ``connections`` counts TCP connections, ``requests`` the request lines that arrived.
    """

    def __init__(self, behave: Callable[[Hostile, socket.socket], None], tls: ssl.SSLContext | None = None):
        self.behave = behave
        self.tls = tls
        self.connections = 0
        self.requests: list[str] = []
        self.heads: list[bytes] = []
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}/NORAD/elements/gp.php?CATNR=25544"

    def __enter__(self) -> Hostile:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        self.listener.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            self.read_head(conn)
            self.behave(self, conn)
        except OSError:
            pass
        finally:
            conn.close()

    def read_head(self, conn: socket.socket) -> bytes:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            piece = conn.recv(4096)
            if not piece:
                break
            head += piece
        if head:
            self.heads.append(head)
            self.requests.append(head.split(b"\r\n")[0].decode("latin-1"))
        return head

    def trickle(self, conn: socket.socket, data: bytes, pause_s: float) -> None:
        for i in range(len(data)):
            if self.stop.wait(pause_s):
                return
            conn.sendall(data[i : i + 1])


def answer(status: str, body: bytes = b"", *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", *headers, f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


def sends(data: bytes) -> Callable[[Hostile, socket.socket], None]:
    return lambda server, conn: conn.sendall(data)


def _fetch(url: str, **kw) -> bytes:
    return fetch(url, timeout_s=kw.pop("timeout_s", WAIT_S), total_timeout_s=kw.pop("total", TOTAL_S), **kw)


def _fails(url: str, **kw) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        _fetch(url, **kw)
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message
    return message, time.monotonic() - started


def test_the_default_limits():
    assert (download.CONNECT_TIMEOUT_S, download.TOTAL_TIMEOUT_S, download.MAX_BYTES) == (10.0, 30.0, 1 << 20)


def test_one_plain_request_with_the_user_agent():
    with Hostile(sends(answer("200 OK", BODY))) as server:
        assert _fetch(server.url) == BODY
    assert server.requests == ["GET /NORAD/elements/gp.php?CATNR=25544 HTTP/1.1"]
    head = server.heads[0].decode()
    assert f"\r\nUser-Agent: isspass/{__version__}\r\n" in head
    assert f"\r\nHost: {server.host}\r\n" in head
    assert "\r\nAccept-Encoding: identity\r\n" in head


# --------------------------------------------------------------------------- redirects


@pytest.mark.parametrize(
    ("status", "location"),
    [
        ("301 Moved Permanently", "http://elements.example/gp.php"),  # another host
        ("302 Found", "/NORAD/elements/gp.php?CATNR=25544"),  # a loop onto itself
        ("303 See Other", "/next"),  # the first of a chain
        ("307 Temporary Redirect", "http://127.0.0.1:9/gp.php"),
        ("308 Permanent Redirect", "ftp://elements.example/"),
    ],
)
def test_redirects_are_reported_not_followed(status, location):
    with Hostile(sends(answer(status, b"", f"Location: {location}"))) as server:
        message, _ = _fails(server.url)
    expected = f"{server.host} answered HTTP {status}, pointing to {location}; redirects are not followed"
    assert message == expected
    assert server.connections == 1 and len(server.requests) == 1


def test_a_redirect_without_a_location():
    with Hostile(sends(answer("302 Found"))) as server:
        message, _ = _fails(server.url)
    assert message == f"{server.host} answered HTTP 302 Found; redirects are not followed"


def test_a_hostile_location_is_shown_inert():
    location = "http://x/\x1b]0;pwned\x07\x1b[2J\u202e"
    reply = b"HTTP/1.1 302 Found\r\nLocation: " + location.encode("utf-8") + b"\r\nContent-Length: 0\r\n\r\n"
    with Hostile(sends(reply)) as server:
        message, _ = _fails(server.url)
    shown = location.encode("utf-8").decode("latin-1")  # http.client reads header bytes as latin-1
    assert message.startswith(f"{server.host} answered HTTP 302 Found, pointing to http://x/\\x1b]0;pwned\\x07")
    assert not any(char in message for char in "\x1b\x07\x9b\u202e") and shown not in message


# --------------------------------------------------------------------------- time


def test_a_trickled_body_cannot_stretch_the_deadline():
    def behave(server, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        server.trickle(conn, b"1" * 1000, 0.02)

    with Hostile(behave) as server:
        message, elapsed = _fails(server.url)
    assert message == f"{server.host} did not finish answering within {TOTAL_S:g} s"
    assert TOTAL_S <= elapsed < TOTAL_S + 0.4
    assert len(server.requests) == 1 and server.connections == 1


def test_trickled_headers_cannot_stretch_the_deadline():
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"z" * 500 + b"\r\n\r\n"
    with Hostile(lambda server, conn: server.trickle(conn, head, 0.02)) as server:
        message, elapsed = _fails(server.url)
    assert message == f"{server.host} did not finish answering within {TOTAL_S:g} s"
    assert TOTAL_S <= elapsed < TOTAL_S + 0.4
    assert len(server.requests) == 1


def test_an_answer_that_stops_midway_hits_the_read_limit():
    def behave(server, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n12345")
        server.stop.wait(5)

    with Hostile(behave) as server:
        message, elapsed = _fails(server.url, total=5.0)
    assert message == f"{server.host} stopped answering for {WAIT_S:g} s"
    assert WAIT_S <= elapsed < WAIT_S + 0.4


def test_a_server_that_never_answers():
    with Hostile(lambda server, conn: server.stop.wait(5)) as server:
        message, elapsed = _fails(server.url, total=5.0)
    assert message == f"no answer from {server.host} within {WAIT_S:g} s"
    assert WAIT_S <= elapsed < WAIT_S + 0.4
    assert len(server.requests) == 1


def test_a_slow_name_lookup_is_bounded(monkeypatch):
    release = threading.Event()

    def stuck(*args, **kw):
        release.wait(5)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    try:
        message, elapsed = _fails("http://elements.example/gp.php")
    finally:
        release.set()
    assert message == f"no answer from elements.example within {WAIT_S:g} s"
    assert elapsed < WAIT_S + 0.4


def test_a_failed_name_lookup(monkeypatch):
    def unknown(*args, **kw):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    message, _ = _fails("https://elements.example/gp.php")
    assert message == "cannot reach elements.example: Name or service not known"


def test_connection_refused():
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    message, _ = _fails(f"http://127.0.0.1:{port}/gp.php")
    assert message == f"cannot reach 127.0.0.1:{port}: Connection refused"


# --------------------------------------------------------------------------- size and shape


def test_an_endless_body_hits_the_size_cap():
    def behave(server, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
        while not server.stop.is_set():
            conn.sendall(b"1 25544U " * 1000)

    with Hostile(behave) as server:
        message, elapsed = _fails(server.url, max_bytes=100_000, total=5.0)
    assert message == f"the answer from {server.host} is larger than 100000 bytes: not elements"
    assert elapsed < 1.0 and len(server.requests) == 1


def test_an_endless_chunked_body_hits_the_size_cap():
    def behave(server, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        while not server.stop.is_set():
            conn.sendall(b"1000\r\n" + b"x" * 4096 + b"\r\n")

    with Hostile(behave) as server:
        message, _ = _fails(server.url, max_bytes=100_000, total=5.0)
    assert message == f"the answer from {server.host} is larger than 100000 bytes: not elements"


def test_a_declared_huge_body_is_refused_before_reading():
    def behave(server, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n")
        server.stop.wait(5)

    with Hostile(behave) as server:
        message, elapsed = _fails(server.url, total=5.0)
    assert message == f"the answer from {server.host} is larger than 1048576 bytes: not elements"
    assert elapsed < WAIT_S


def test_a_flood_of_headers_is_a_clean_error():
    def behave(server, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while not server.stop.is_set():
            conn.sendall(b"X-Flood: 1\r\n" * 100)

    with Hostile(behave) as server:
        message, _ = _fails(server.url, total=5.0)
    assert message == f"fetching from {server.host} failed: got more than 100 headers"


def test_an_endless_header_line_is_a_clean_error():
    def behave(server, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Long: ")
        while not server.stop.is_set():
            conn.sendall(b"z" * 4096)

    with Hostile(behave) as server:
        message, _ = _fails(server.url, total=5.0)
    assert message == (
        f"fetching from {server.host} failed: got more than 65536 bytes when reading header line"
    )


def test_a_garbage_status_line_is_shown_inert():
    with Hostile(sends(b"\x1b[2JPWNED\x07 200\r\n\r\n")) as server:
        message, _ = _fails(server.url)
    assert message == f"fetching from {server.host} failed: \\x1b[2JPWNED\\x07 200\\x0d\\x0a"


def test_a_hostile_error_body_is_shown_inert():
    with Hostile(sends(answer("403 Forbidden", b"\x1b]0;pwned\x07 go away\r\n\r\nnow"))) as server:
        message, _ = _fails(server.url)
    assert message == f"{server.host} answered HTTP 403 Forbidden: \\x1b]0;pwned\\x07 go away now"


def test_a_server_that_hangs_up():
    with Hostile(lambda server, conn: None) as server:
        message, _ = _fails(server.url)
    assert message == f"fetching from {server.host} failed: Remote end closed connection without response"


def test_a_cut_short_chunked_body():
    with Hostile(sends(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100\r\nabc")) as server:
        message, _ = _fails(server.url)
    assert message == f"the answer from {server.host} was cut short"


# --------------------------------------------------------------------------- URLs


UNPRINTABLE = "spaces, control or non-ASCII characters (percent-encode them)"


@pytest.mark.parametrize(
    ("url", "shown", "why"),
    [
        ("not a url", None, UNPRINTABLE),
        ("http://[::1", None, "not a URL (Invalid IPv6 URL)"),
        ("ftp://x", None, "not an http:// or https:// URL"),
        ("file:///etc/passwd", None, "not an http:// or https:// URL"),
        ("celestrak.org/gp.php", None, "not an http:// or https:// URL"),
        ("http:///gp.php", None, "no host"),
        ("http://:80/gp.php", None, "no host"),
        ("http://host:99999/", None, "not a URL (Port out of range 0-65535)"),
        ("http://host:0/", None, "port 0"),
        ("http://host:x/", None, "not a URL (Port could not be cast to integer value as 'x')"),
        ("http://a b/", None, UNPRINTABLE),
        ("http://x/\r\nHost: evil", "http://x/\\x0d\\x0aHost: evil", UNPRINTABLE),
        ("http://x/\x1b[2J", "http://x/\\x1b[2J", UNPRINTABLE),
        ("http://x/\u202egpj.exe", "http://x/\\u202egpj.exe", UNPRINTABLE),
        ("http://zürich.example/", None, UNPRINTABLE),
        ("http://user:secret@host/", None, "credentials in the URL are not supported"),
        ("http://host/gp.php#frag", None, "a #fragment has no place in it"),
        ("http://h/" + "a" * 3000, "http://h/" + "a" * 90 + "…", "longer than 2048 characters"),
    ],
)
def test_bad_urls_are_config_errors(url, shown, why):
    for call in (check_elements_url, lambda u: gp_url(u, 25544), _fetch):
        with pytest.raises(ConfigError) as caught:
            call(url)
        assert str(caught.value) == f"elements URL '{shown or url}': {why}"


def test_an_empty_url():
    with pytest.raises(ConfigError, match=r"^the elements URL is empty$"):
        check_elements_url("")


@pytest.mark.parametrize(
    "url",
    [
        "https://celestrak.org/NORAD/elements/gp.php",
        "http://127.0.0.1:8080/gp.php",
        "http://[::1]:8080/gp.php",
        "HTTPS://Mirror.Example/gp.php?key=a%20b",
    ],
)
def test_good_urls_pass_unchanged(url):
    assert check_elements_url(url) == url


def test_gp_url():
    assert gp_url("http://h/gp.php", 25544) == "http://h/gp.php?CATNR=25544&FORMAT=JSON"
    assert gp_url("http://h/gp.php?key=1", 25544, "TLE") == "http://h/gp.php?key=1&CATNR=25544&FORMAT=TLE"
    assert gp_url("http://h/gp.php?", 25544) == "http://h/gp.php?CATNR=25544&FORMAT=JSON"


# --------------------------------------------------------------------------- proxies


def test_an_http_proxy_gets_the_absolute_url(monkeypatch):
    with Hostile(sends(answer("200 OK", BODY))) as proxy:
        monkeypatch.setenv("http_proxy", f"http://user:p%40ss@{proxy.host}")
        assert _fetch("http://elements.example/gp.php?CATNR=25544") == BODY
    assert proxy.requests == ["GET http://elements.example/gp.php?CATNR=25544 HTTP/1.1"]
    head = proxy.heads[0].decode()
    assert "\r\nHost: elements.example\r\n" in head
    assert "\r\nProxy-Authorization: Basic dXNlcjpwQHNz\r\n" in head  # user:p@ss


def test_no_proxy_goes_direct(monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with Hostile(sends(answer("200 OK", BODY))) as server:
        assert _fetch(server.url) == BODY


def test_a_proxy_that_refuses_the_tunnel(monkeypatch):
    with Hostile(sends(answer("403 Forbidden", b"no"))) as proxy:
        monkeypatch.setenv("https_proxy", proxy.host)
        message, _ = _fails("https://elements.example/gp.php")
    assert proxy.requests == ["CONNECT elements.example:443 HTTP/1.1"]
    assert message == f"the proxy {proxy.host} refused the tunnel to elements.example: HTTP 403 Forbidden"


def test_an_unreachable_proxy_is_named(monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    message, _ = _fails("http://elements.example/gp.php")
    assert message == "cannot reach elements.example through the proxy 127.0.0.1:9: Connection refused"


@pytest.mark.parametrize("setting", ["socks5://127.0.0.1:1080", "https://proxy.example:3128"])
def test_unsupported_proxies_are_config_errors(monkeypatch, setting):
    monkeypatch.setenv("https_proxy", setting)
    with pytest.raises(ConfigError) as caught:
        _fetch("https://elements.example/gp.php")
    assert str(caught.value) == f"https_proxy '{setting}': only http:// proxies are supported"


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls(certificate, monkeypatch) -> ssl.SSLContext:
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this certificate alone
    return context


def test_https(tls):
    with Hostile(sends(answer("200 OK", BODY)), tls=tls) as server:
        assert _fetch(server.url) == BODY
    assert server.requests == ["GET /NORAD/elements/gp.php?CATNR=25544 HTTP/1.1"]


def test_https_is_never_downgraded_by_a_redirect(tls):
    moved = answer("301 Moved Permanently", b"", "Location: http://127.0.0.1/")
    with Hostile(sends(moved), tls=tls) as server:
        message, _ = _fails(server.url)
    assert message.endswith("pointing to http://127.0.0.1/; redirects are not followed")
    assert server.connections == 1 and len(server.requests) == 1


def test_an_untrusted_certificate_is_refused(certificate, monkeypatch):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent.pem")
    with Hostile(sends(answer("200 OK", BODY)), tls=context) as server:
        message, _ = _fails(server.url)
    assert message.startswith(f"cannot reach {server.host}: [SSL: CERTIFICATE_VERIFY_FAILED]")
    assert server.requests == []


def test_a_trickled_tls_handshake_is_bounded(tls):
    def behave(server, conn):
        server.trickle(conn, b"\x16\x03\x03\x10\x00" + b"\x00" * 4096, 0.02)

    with Hostile(behave) as server:  # plain TCP that dribbles a TLS record header and padding
        started = time.monotonic()
        with pytest.raises(NetworkError) as caught:
            fetch(f"https://{server.host}/gp.php", timeout_s=WAIT_S, total_timeout_s=5.0)
        elapsed = time.monotonic() - started
    assert str(caught.value) == f"no answer from {server.host} within {WAIT_S:g} s"
    assert elapsed < WAIT_S + 0.4 and server.connections == 1


def test_https_through_a_tunnel(tls, monkeypatch):
    def proxy_then_server(server, conn):
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        inner = tls.wrap_socket(conn, server_side=True)
        server.read_head(inner)
        inner.sendall(answer("200 OK", BODY))
        inner.close()

    with Hostile(proxy_then_server) as proxy:
        monkeypatch.setenv("https_proxy", f"http://{proxy.host}")
        assert _fetch("https://127.0.0.1/NORAD/elements/gp.php") == BODY
    assert proxy.requests == ["CONNECT 127.0.0.1:443 HTTP/1.1", "GET /NORAD/elements/gp.php HTTP/1.1"]
    assert proxy.connections == 1
