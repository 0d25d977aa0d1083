"""Fetching element sets over HTTP: one request, bounded in time and size, no redirects, no retries.

A malformed URL is a :class:`ConfigError`; every other failure a one-line :class:`NetworkError`.
"""

from __future__ import annotations

import io
import time
import urllib.parse
from typing import Any

from . import __version__
from .errors import ConfigError, NetworkError, UnreachableError
from .text import inert

#: CelesTrak's GP query endpoint; a mirror or a test server can stand in for it.
DEFAULT_ELEMENTS_URL = "https://celestrak.org/NORAD/elements/gp.php"
CONNECT_TIMEOUT_S = 10.0  # also the limit for each wait: name lookup, connection, TLS, each read
TOTAL_TIMEOUT_S = 30.0  # the whole exchange, however slowly the answer (headers too) trickles in
MAX_BYTES = 1 << 20  # a GP answer for one object is a few hundred bytes
MAX_URL_LENGTH = 2048
_CHUNK = 16384
_DEFAULT_PORTS = {"http": 80, "https": 443}


def check_elements_url(url: str) -> str:
    """``url`` unchanged if isspass can fetch from it, else a one-line :class:`ConfigError`.

    It must be ``http://`` or ``https://`` with a host, at most 2048 printable ASCII
    characters (no spaces or control characters: percent-encode them, use punycode for
    a non-ASCII host), and without credentials or a ``#fragment``.

    >>> check_elements_url("ftp://x")
    Traceback (most recent call last):
    isspass.errors.ConfigError: elements URL 'ftp://x': not an http:// or https:// URL
    """
    if not isinstance(url, str) or not url:
        raise ConfigError("the elements URL is empty")

    def bad(why: str) -> ConfigError:
        return ConfigError(f"elements URL '{inert(url, 100)}': {why}")

    if len(url) > MAX_URL_LENGTH:
        raise bad(f"longer than {MAX_URL_LENGTH} characters")
    if not all("!" <= char <= "~" for char in url):
        raise bad("spaces, control or non-ASCII characters (percent-encode them)")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise bad(f"not a URL ({inert(str(exc))})") from None
    if parts.scheme not in _DEFAULT_PORTS:
        raise bad("not an http:// or https:// URL")
    if not parts.hostname:
        raise bad("no host")
    if parts.username is not None or parts.password is not None:
        raise bad("credentials in the URL are not supported")
    if "#" in url:
        raise bad("a #fragment has no place in it")
    if port == 0:
        raise bad("port 0")
    return url


def gp_url(base_url: str, norad_id: int, fmt: str = "JSON") -> str:
    """The GP query for one catalogue number, e.g. ``…/gp.php?CATNR=25544&FORMAT=JSON``.

    ``base_url`` is checked first (:func:`check_elements_url`).
    """
    check_elements_url(base_url)
    query = urllib.parse.urlsplit(base_url).query
    separator = "" if base_url.endswith(("?", "&")) else ("&" if query else "?")
    return f"{base_url}{separator}{urllib.parse.urlencode({'CATNR': norad_id, 'FORMAT': fmt})}"


def fetch(
    url: str,
    *,
    timeout_s: float = CONNECT_TIMEOUT_S,
    total_timeout_s: float = TOTAL_TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
) -> bytes:
    """GET ``url`` once and return the body of a 200 answer; anything else raises NetworkError.

    - exactly one request: a redirect (3xx) is reported with where it pointed, never
      followed (so never to another host, never from https to http);
    - each wait (name lookup, connection, TLS handshake, each read) lasts at most
      ``timeout_s``, and the whole exchange at most ``total_timeout_s``: headers or a
      body sent a byte at a time cannot stretch it;
    - a body over ``max_bytes`` is refused (from its Content-Length when declared);
    - ``http_proxy``/``https_proxy``/``no_proxy`` are honoured as by urllib, for
      ``http://`` proxies (an https URL goes through a CONNECT tunnel).

    A malformed URL or proxy setting raises :class:`ConfigError` before anything is sent.
    Messages are one line, with anything the server said made inert.
    """
    import http.client  # here: most runs never touch the network

    check_elements_url(url)
    parts = urllib.parse.urlsplit(url)
    proxy = _proxy_for(parts)
    clock = _Clock(timeout_s, total_timeout_s)
    host = inert(parts.netloc)
    reach = f"{host} through the proxy {inert(proxy.netloc)}" if proxy else host
    exchange = _Exchange(parts, proxy, clock)
    try:
        exchange.connect()
        return exchange.get(max_bytes, host)
    except NetworkError:
        raise
    except TimeoutError:
        if clock.over:
            raise NetworkError(f"{host} did not finish answering within {total_timeout_s:g} s") from None
        if exchange.received:
            raise NetworkError(f"{host} stopped answering for {timeout_s:g} s") from None
        if not exchange.sent:  # the name lookup, the connection or the handshake timed out
            raise UnreachableError(f"no answer from {reach} within {timeout_s:g} s") from None
        raise NetworkError(f"no answer from {reach} within {timeout_s:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # ssl.SSLError is an OSError
        if isinstance(exc, http.client.IncompleteRead):
            raise NetworkError(f"the answer from {host} was cut short") from None
        reason = inert(getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
        if exchange.sent:
            raise NetworkError(f"fetching from {host} failed: {reason}") from None
        raise UnreachableError(f"cannot reach {reach}: {reason}") from None
    finally:
        exchange.close()


# --------------------------------------------------------------------------- time


class _Clock:
    """The per-wait limit and the deadline of the whole exchange."""

    def __init__(self, wait_s: float, total_s: float) -> None:
        self.wait_s = wait_s
        self.deadline = time.monotonic() + total_s
        self.over = False  # the last wait was cut by the deadline

    def wait(self) -> float:
        """How long the next wait may last; raises TimeoutError when nothing is left."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.over = True
            raise TimeoutError("deadline")
        self.over = left <= self.wait_s
        return min(self.wait_s, left)


class _TimedSocket:
    """A connected socket whose every send and receive waits no longer than the clock allows.

    What ``http.client`` needs of a socket: ``sendall``, ``makefile``, ``close``.
    """

    def __init__(self, sock: Any, clock: _Clock) -> None:
        self.sock = sock
        self.clock = clock
        self.received = 0

    def sendall(self, data: bytes) -> None:
        self.sock.settimeout(self.clock.wait())
        self.sock.sendall(data)

    def recv_into(self, buffer: Any) -> int:
        self.sock.settimeout(self.clock.wait())
        count = self.sock.recv_into(buffer)
        self.received += count
        return count

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_TimedReader(self))

    def close(self) -> None:
        """Nothing: http.client closes its connection while the answer is still being read
        (a real socket waits for its files to close); the exchange closes the socket at the end."""


class _TimedReader(io.RawIOBase):
    def __init__(self, sock: _TimedSocket) -> None:
        self.timed = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self.timed.recv_into(buffer)


# --------------------------------------------------------------------------- the exchange


class _Exchange:
    """One connection (direct, through an http proxy, or tunnelled) and one GET on it."""

    def __init__(
        self, parts: urllib.parse.SplitResult, proxy: urllib.parse.SplitResult | None, clock: _Clock
    ) -> None:
        self.parts = parts
        self.proxy = proxy
        self.clock = clock
        self.sock: _TimedSocket | None = None
        self.sent = False

    @property
    def received(self) -> int:
        return self.sock.received if self.sock is not None else 0

    def connect(self) -> None:
        parts, proxy = self.parts, self.proxy
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
        first = proxy if proxy is not None else parts
        raw = _open_socket(first.hostname or "", (first.port or 80) if proxy else port, self.clock)
        self.sock = _TimedSocket(raw, self.clock)
        if parts.scheme == "https":
            if proxy is not None:
                self._tunnel(port)
            import ssl

            context = ssl.create_default_context()
            raw.settimeout(self.clock.wait())  # CPython bounds the whole handshake by it
            self.sock = _TimedSocket(context.wrap_socket(raw, server_hostname=parts.hostname), self.clock)

    def _tunnel(self, port: int) -> None:
        import http.client

        assert self.sock is not None and self.proxy is not None
        authority = f"{_bracketed(self.parts.hostname or '')}:{port}"
        lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}", f"User-Agent: isspass/{__version__}"]
        lines += [f"{name}: {value}" for name, value in _proxy_auth(self.proxy).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        answer = http.client.HTTPResponse(self.sock, method="CONNECT")  # type: ignore[arg-type]
        answer.begin()
        if answer.status != 200:
            raise NetworkError(
                f"the proxy {inert(self.proxy.netloc)} refused the tunnel to {inert(self.parts.netloc)}: "
                f"HTTP {answer.status} {inert(answer.reason or '', 60)}"
            )

    def get(self, max_bytes: int, host: str) -> bytes:
        import http.client

        parts = self.parts
        headers = {
            "Host": parts.netloc,
            "User-Agent": f"isspass/{__version__}",
            "Accept-Encoding": "identity",
            "Connection": "close",
        }
        if self.proxy is not None and parts.scheme == "http":
            target = urllib.parse.urlunsplit(parts)  # absolute form: the proxy forwards it
            headers.update(_proxy_auth(self.proxy))
        else:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = http.client.HTTPConnection(_bracketed(parts.hostname or ""))
        connection.sock = self.sock  # type: ignore[assignment]
        self.sent = True
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        return _body(response, max_bytes, host)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.sock.close()


def _open_socket(host: str, port: int, clock: _Clock) -> Any:
    import socket

    last: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _, address in _resolve(host, port, clock):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(clock.wait())
            sock.connect(address)
            return sock
        except TimeoutError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last = exc
    raise last


def _resolve(host: str, port: int, clock: _Clock) -> list[Any]:
    """getaddrinfo bounded by the clock: it has no timeout of its own, so a thread waits for it."""
    import socket
    import threading

    found: dict[str, Any] = {}

    def look_up() -> None:
        try:
            found["addresses"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            found["error"] = exc

    worker = threading.Thread(target=look_up, name="isspass-resolve", daemon=True)
    worker.start()
    worker.join(clock.wait())
    if worker.is_alive():
        raise TimeoutError("name lookup")
    if "error" in found:
        raise found["error"]
    return found["addresses"]


def _body(response: Any, max_bytes: int, host: str) -> bytes:
    status = response.status
    reason = f"HTTP {status} {inert(response.reason or '', 60)}".rstrip()
    if 300 <= status < 400:
        location = response.getheader("Location")
        where = f", pointing to {inert(location)}" if location else ""
        raise NetworkError(f"{host} answered {reason}{where}; redirects are not followed")
    if status != 200:
        try:
            detail = _first_line(response.read(4096))
        except Exception:  # the status says enough
            detail = ""
        raise NetworkError(f"{host} answered {reason}" + (f": {detail}" if detail else ""))
    too_large = f"the answer from {host} is larger than {max_bytes} bytes: not elements"
    if response.length is not None and response.length > max_bytes:
        raise NetworkError(too_large)
    chunks, size = [], 0
    while True:
        chunk = response.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise NetworkError(too_large)
        chunks.append(chunk)
    if response.length:  # the server closed before sending all it declared
        raise NetworkError(f"the answer from {host} was cut short ({size} of {size + response.length} bytes)")
    return b"".join(chunks)


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return inert(" ".join(text.split()), 160)


# --------------------------------------------------------------------------- proxies


def _proxy_for(parts: urllib.parse.SplitResult) -> urllib.parse.SplitResult | None:
    """The http proxy the environment names for this URL (``no_proxy`` respected), if any."""
    import urllib.request  # only for the environment conventions it knows

    proxies = urllib.request.getproxies_environment()
    setting = proxies.get(parts.scheme)
    if not setting or urllib.request.proxy_bypass_environment(parts.netloc, proxies):
        return None
    spelled = setting if "://" in setting else f"http://{setting}"
    name = f"{parts.scheme}_proxy"
    try:
        proxy = urllib.parse.urlsplit(spelled)
        proxy.port  # noqa: B018 - raises ValueError when malformed
    except ValueError:
        raise ConfigError(f"{name} '{inert(setting, 100)}': not a URL") from None
    if proxy.scheme != "http" or not proxy.hostname:
        raise ConfigError(f"{name} '{inert(setting, 100)}': only http:// proxies are supported")
    return proxy


def _proxy_auth(proxy: urllib.parse.SplitResult) -> dict[str, str]:
    if proxy.username is None:
        return {}
    import base64

    user = urllib.parse.unquote(proxy.username)
    password = urllib.parse.unquote(proxy.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Proxy-Authorization": f"Basic {token}"}


def _bracketed(hostname: str) -> str:
    return f"[{hostname}]" if ":" in hostname else hostname
