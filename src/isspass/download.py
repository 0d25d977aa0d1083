"""Fetching element sets over HTTP: one request, bounded in time and size, no retries.

Every failure becomes a one-line :class:`NetworkError`; callers decide on back-off.
"""

from __future__ import annotations

import socket
import time
import urllib.parse

from . import __version__
from .errors import NetworkError

#: CelesTrak's GP query endpoint; a mirror or a test server can stand in for it.
DEFAULT_ELEMENTS_URL = "https://celestrak.org/NORAD/elements/gp.php"
CONNECT_TIMEOUT_S = 10.0  # also the limit for each read from the socket
TOTAL_TIMEOUT_S = 30.0  # the whole answer, however slowly it trickles in
MAX_BYTES = 1 << 20  # a GP answer for one object is a few hundred bytes
_CHUNK = 16384


def gp_url(base_url: str, norad_id: int, fmt: str = "JSON") -> str:
    """The GP query for one catalogue number, e.g. ``…/gp.php?CATNR=25544&FORMAT=JSON``."""
    separator = "&" if urllib.parse.urlsplit(base_url).query else "?"
    return f"{base_url}{separator}{urllib.parse.urlencode({'CATNR': norad_id, 'FORMAT': fmt})}"


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return " ".join(text.split())[:160]


def fetch(
    url: str,
    *,
    timeout_s: float = CONNECT_TIMEOUT_S,
    total_timeout_s: float = TOTAL_TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
) -> bytes:
    """GET ``url`` once and return the body of a 200 answer; anything else raises NetworkError."""
    import http.client  # imported here: most runs never touch the network
    import urllib.error
    import urllib.request

    host = urllib.parse.urlsplit(url).netloc or url
    request = urllib.request.Request(url, headers={"User-Agent": f"isspass/{__version__}"})
    deadline = time.monotonic() + total_timeout_s
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise NetworkError(f"{host} did not finish answering within {total_timeout_s:g} s")
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise NetworkError(
                        f"the answer from {host} is larger than {max_bytes} bytes: not elements"
                    )
                chunks.append(chunk)
            if response.length:  # the server closed before sending all it declared
                raise NetworkError(
                    f"the answer from {host} was cut short ({size} of {size + response.length} bytes)"
                )
            status = response.status
    except urllib.error.HTTPError as exc:
        try:
            detail = _first_line(exc.read(4096))
        except (OSError, ValueError):
            detail = ""
        reason = f"HTTP {exc.code} {exc.reason}"
        raise NetworkError(f"{host} answered {reason}" + (f": {detail}" if detail else "")) from None
    except TimeoutError:
        raise NetworkError(f"no answer from {host} within {timeout_s:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise NetworkError(f"no answer from {host} within {timeout_s:g} s") from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise NetworkError(f"cannot reach {host}: {text}") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, bad URL, cut-short body…
        raise NetworkError(f"fetching from {host} failed: {exc}") from None
    if status != 200:
        raise NetworkError(f"{host} answered HTTP {status}")
    return b"".join(chunks)
