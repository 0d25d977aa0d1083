"""Reading outside input with a bound: files, FIFOs and stdin, capped in size and in time.

Nothing is read past its cap plus one byte, and no pipe, FIFO or terminal is waited on forever.
"""

from __future__ import annotations

import math
import os
import stat
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

from .errors import IsspassError
from .text import inert

#: Element files and stdin: CelesTrak's whole catalogue is a few MB as TLE, ~20 MB as OMM JSON.
ELEMENTS_LIMIT_BYTES = 32 * 1024 * 1024
#: The TOML config file holds a dozen settings.
CONFIG_LIMIT_BYTES = 1024 * 1024
#: One line of a streamed file (a batch location row): no whole-file cap, but each line is bounded.
LINE_LIMIT_BYTES = 64 * 1024
#: A pipe, FIFO, terminal or socket: the whole read, from opening it to its end, seconds
#: (for line streams, the longest wait for the next bytes). Regular files are not timed.
INPUT_TIMEOUT_S = 60.0

#: What the caller wants raised, built from a one-line message: ``ElementsError``, ``ConfigError``…
ErrorFactory = Callable[[str], Exception]

_CHUNK = 64 * 1024
_BOM = b"\xef\xbb\xbf"


def read_file_bounded(
    path: str | os.PathLike[str],
    limit_bytes: int,
    what: str,
    *,
    error: ErrorFactory = IsspassError,
    missing_error: ErrorFactory | None = None,
    timeout_s: float = INPUT_TIMEOUT_S,
) -> bytes:
    """The bytes of the file at ``path``, at most ``limit_bytes`` of them.

    ``what`` names the input in messages (``"config file"`` gives ``config file
    /x/config.toml: …``). Refused with ``error(message)``: a larger file (a multi-GB
    sparse file is refused from its size, ``/dev/zero`` after ``limit_bytes + 1`` bytes),
    a directory, an unreadable file, and a FIFO, device or socket that does not reach its
    end within ``timeout_s`` seconds of opening (a FIFO with no writer among them). A
    missing file raises ``missing_error`` (by default ``error``).

    >>> read_file_bounded("/dev/zero", 1024, "element file", error=ValueError)
    Traceback (most recent call last):
    ValueError: element file /dev/zero: larger than the 1 KiB limit
    """
    label = _label(what, path)
    fd, status = _open(path, label, error, missing_error)
    try:
        return _read_all(fd, status, limit_bytes, label, error, timeout_s)
    finally:
        os.close(fd)


def read_stream_bounded(
    stream: IO[bytes],
    limit_bytes: int,
    what: str,
    *,
    error: ErrorFactory = IsspassError,
    timeout_s: float = INPUT_TIMEOUT_S,
) -> bytes:
    """The bytes of a binary stream to its end (e.g. ``sys.stdin.buffer``), at most ``limit_bytes``.

    Same refusals as :func:`read_file_bounded`, with ``what`` (e.g. ``"stdin"``) as the
    name. A stream with a file descriptor is read through it, so that the time bound
    holds on a pipe or terminal: nothing must have been read through the stream before.
    A closed stream is refused too.
    """
    fd = _descriptor(stream, what, error)
    if fd is None:
        return _read_all_from(_object_reader(stream), limit_bytes, what, error)
    return _read_all(fd, os.fstat(fd), limit_bytes, what, error, timeout_s)


def iter_lines_bounded(
    stream: IO[bytes],
    what: str,
    *,
    limit_bytes: int = LINE_LIMIT_BYTES,
    error: ErrorFactory = IsspassError,
    idle_timeout_s: float = INPUT_TIMEOUT_S,
) -> Iterator[str]:
    """The lines of a binary stream, decoded (UTF-8, a leading BOM dropped), ``\\n`` kept.

    No cap on the number of lines; a line longer than ``limit_bytes`` (its end of line
    aside), bytes that are not UTF-8, or ``idle_timeout_s`` seconds without new bytes from
    a pipe, FIFO or terminal raise ``error(message)`` naming the line:
    ``locations.csv, line 7: longer than the 64 KiB limit``. The lines suit
    :func:`csv.reader`, quoted line breaks included.
    """
    fd = _descriptor(stream, what, error)
    read = _object_reader(stream) if fd is None else _fd_reader(fd, os.fstat(fd))
    yield from _lines(read, limit_bytes, what, error, idle_timeout_s)


def iter_file_lines_bounded(
    path: str | os.PathLike[str],
    what: str,
    *,
    limit_bytes: int = LINE_LIMIT_BYTES,
    error: ErrorFactory = IsspassError,
    missing_error: ErrorFactory | None = None,
    idle_timeout_s: float = INPUT_TIMEOUT_S,
) -> Iterator[str]:
    """The lines of the file at ``path``, as :func:`iter_lines_bounded` reads a stream.

    The file is opened (and refused, see :func:`read_file_bounded`) at the first line
    asked for, and closed when the lines run out or the iterator is closed.
    """
    label = _label(what, path)
    fd, status = _open(path, label, error, missing_error)
    try:
        yield from _lines(_fd_reader(fd, status), limit_bytes, label, error, idle_timeout_s)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- opening


def _label(what: str, path: str | os.PathLike[str]) -> str:
    shown = inert(os.fspath(path))
    return f"{what} {shown}" if what else shown


def _open(
    path: str | os.PathLike[str], label: str, error: ErrorFactory, missing_error: ErrorFactory | None
) -> tuple[int, os.stat_result]:
    """A descriptor on ``path``: never blocks, even on a FIFO that has no writer yet."""
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOCTTY", 0)
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise (missing_error or error)(f"{label}: no such file") from None
    except IsADirectoryError:
        raise error(f"{label}: is a directory") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise error(f"{label}: cannot read ({_reason(exc)})") from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise error(f"{label}: is a directory")
        if not stat.S_ISFIFO(status.st_mode) and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # only opening a FIFO needed it; a terminal is polled
    except BaseException:
        os.close(fd)
        raise
    return fd, status


def _descriptor(stream: IO[bytes] | None, what: str, error: ErrorFactory) -> int | None:
    """The stream's file descriptor, ``None`` for an in-memory stream; a closed stream is refused."""
    if stream is None or getattr(stream, "closed", False):
        raise error(f"{what} is closed")
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return None


# --------------------------------------------------------------------------- reading

Reader = Callable[[int, float], bytes]  # (at most this many bytes, before this monotonic time)


class _TimedOut(Exception):
    """No bytes before the deadline."""


def _object_reader(stream: Any) -> Reader:
    """``read(size, deadline)`` on an in-memory stream, which never makes anyone wait."""

    def read(size: int, _deadline: float) -> bytes:
        chunk = stream.read(size)
        return chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk or b"")

    return read


def _fd_reader(fd: int, status: os.stat_result) -> Reader:
    """``read(size, deadline)`` on a descriptor; anything but a regular file is polled first."""
    if stat.S_ISREG(status.st_mode) or not hasattr(os, "set_blocking"):
        return lambda size, _deadline: os.read(fd, size)
    import select  # here: the common case, a regular file, never needs it

    poller = select.poll()
    poller.register(fd, select.POLLIN)

    def read(size: int, deadline: float) -> bytes:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(math.ceil(left * 1000)):
                raise _TimedOut
            try:
                return os.read(fd, size)
            except BlockingIOError:  # a FIFO's writer came and left nothing yet
                continue

    return read


def _read_all(
    fd: int, status: os.stat_result, limit_bytes: int, label: str, error: ErrorFactory, timeout_s: float
) -> bytes:
    first = _CHUNK
    if stat.S_ISREG(status.st_mode):
        try:
            left_in_file = status.st_size - os.lseek(fd, 0, os.SEEK_CUR)
        except OSError:
            left_in_file = status.st_size
        if left_in_file > limit_bytes:  # a sparse 8 GB file is refused without reading it
            raise error(f"{label}: larger than the {amount(limit_bytes)} limit")
        first = left_in_file + 1  # one read for the whole file, and one to see its end
    return _read_all_from(_fd_reader(fd, status), limit_bytes, label, error, timeout_s, first)


def _read_all_from(
    read: Reader,
    limit_bytes: int,
    label: str,
    error: ErrorFactory,
    timeout_s: float = math.inf,
    first: int = _CHUNK,
) -> bytes:
    deadline = time.monotonic() + timeout_s
    chunks: list[bytes] = []
    size, want = 0, first
    while True:
        try:
            chunk = read(min(want, limit_bytes + 1 - size), deadline)
        except _TimedOut:
            raise error(_timed_out(label, timeout_s, size)) from None
        except OSError as exc:
            raise error(f"{label}: cannot read ({_reason(exc)})") from None
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > limit_bytes:
            raise error(f"{label}: larger than the {amount(limit_bytes)} limit")
        want = _CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _lines(
    read: Reader, limit_bytes: int, label: str, error: ErrorFactory, idle_timeout_s: float
) -> Iterator[str]:
    pending = bytearray()
    number = 1
    while True:
        deadline = time.monotonic() + idle_timeout_s
        try:
            chunk = read(_CHUNK, deadline)
        except _TimedOut:
            raise error(f"{label}, line {number}: nothing arrived for {idle_timeout_s:g} s") from None
        except OSError as exc:
            raise error(f"{label}, line {number}: cannot read ({_reason(exc)})") from None
        if not chunk:
            break
        start = len(pending)
        pending += chunk
        begin = 0
        while (end := pending.find(b"\n", start)) >= 0:
            if end - begin > limit_bytes:
                raise error(_too_long(label, number, limit_bytes))
            yield _decode(pending[begin : end + 1], number, label, error)
            number += 1
            begin = start = end + 1
        del pending[:begin]
        if len(pending) > limit_bytes:
            raise error(_too_long(label, number, limit_bytes))
    if pending:
        yield _decode(pending, number, label, error)


def _decode(line: bytes | bytearray, number: int, label: str, error: ErrorFactory) -> str:
    if number == 1 and line.startswith(_BOM):
        line = line[len(_BOM) :]
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{label}, line {number}: not UTF-8 text") from None


# --------------------------------------------------------------------------- messages


def amount(size_bytes: int) -> str:
    """A byte count as people write caps: ``32 MiB``, ``64 KiB``, ``1000 bytes``."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size_bytes >= scale and size_bytes % scale == 0:
            return f"{size_bytes // scale} {unit}"
    return f"{size_bytes} bytes"


def _timed_out(label: str, timeout_s: float, size: int) -> str:
    if size == 0:
        return f"{label}: nothing arrived within {timeout_s:g} s (is anything writing to it?)"
    return f"{label}: did not end within {timeout_s:g} s ({size} bytes read)"


def _too_long(label: str, number: int, limit_bytes: int) -> str:
    return f"{label}, line {number}: longer than the {amount(limit_bytes)} limit"


def _reason(exc: BaseException) -> str:
    return inert(getattr(exc, "strerror", None) or str(exc))
