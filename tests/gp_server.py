"""A real HTTP server on 127.0.0.1 that plays CelesTrak's GP endpoint, for the tests.

``server.reply`` decides the next answers; ``server.requests`` counts what arrived.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = Callable[[BaseHTTPRequestHandler], None]


def body(status: int, content: bytes, content_type: str = "application/json") -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(content)))
        handler.end_headers()
        handler.wfile.write(content)

    return reply


def cut_short(content: bytes, declared: int) -> Reply:
    """Declares ``declared`` bytes, sends ``content`` and closes: a truncated transfer."""

    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        handler.wfile.write(content)
        handler.wfile.flush()
        handler.close_connection = True

    return reply


def silent(release: threading.Event) -> Reply:
    """Accepts the connection and never answers (until the test ends)."""

    def reply(handler: BaseHTTPRequestHandler) -> None:
        release.wait(30)

    return reply


def endless(release: threading.Event) -> Reply:
    """200, no length, and bytes for ever (until the client hangs up or the test ends)."""

    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        chunk = b"1 25544U " * 4096
        try:
            while not release.is_set():
                handler.wfile.write(chunk)
        except OSError:
            pass

    return reply


def trickle(content: bytes, seconds: float, release: threading.Event) -> Reply:
    """Sends ``content`` a byte at a time over ``seconds``."""

    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(content)))
        handler.end_headers()
        try:
            for i in range(len(content)):
                if release.wait(seconds / len(content)):
                    return
                handler.wfile.write(content[i : i + 1])
                handler.wfile.flush()
        except OSError:
            pass

    return reply


class GPServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.reply: Reply = body(404, b"not set")
        self.release = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(self.path)
                server.reply(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A short poll interval: shutdown() waits for it, at the end of every test.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/NORAD/elements/gp.php"

    def __enter__(self) -> GPServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        time.sleep(0.01)
