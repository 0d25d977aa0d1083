"""Files that must never be left half-written, and the files a user names with ``--output``.

Regular files are replaced atomically; devices and FIFOs are written straight into.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import OutputError
from .text import inert

#: How long an output FIFO may go without a reader before the write is given up, seconds.
FIFO_WAIT_S = 10.0
_FIFO_RETRY_S = 0.02
#: Files isspass keeps for itself (the cache) are readable by their owner only.
PRIVATE_PERMISSIONS = 0o600

_CLOEXEC = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike[str],
    mode: str = "w",
    encoding: str | None = "utf-8",
    *,
    permissions: int | None = PRIVATE_PERMISSIONS,
) -> Iterator[IO[Any]]:
    """A file to write into that replaces ``path`` atomically when the block succeeds.

    Temp file in the same directory, fsync, rename, fsync of the directory: readers see
    the old file or the new one, never a mix. On an exception the temporary file is
    removed and ``path`` is left as it was. ``mode`` is ``"w"`` (text) or ``"wb"``.
    ``permissions`` are the new file's mode bits; ``None`` gives what a plain ``open``
    would (0o666 less the umask). Errors are the ``OSError`` of the failing call.
    """
    with _replacing(Path(path), mode, encoding, permissions=permissions) as handle:
        yield handle


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


@contextlib.contextmanager
def open_output(
    path: str | os.PathLike[str],
    mode: str = "w",
    encoding: str | None = "utf-8",
    *,
    fifo_wait_s: float = FIFO_WAIT_S,
) -> Iterator[IO[Any]]:
    """A handle on the file a user asked the output to go to (``--output FILE``).

    - a symlink is followed, and its target written;
    - a regular file is replaced atomically (see :func:`atomic_open`) and keeps its mode
      bits and, where allowed, its owner; a new file gets 0o666 less the umask;
    - a device, FIFO or other special file is written straight into; a FIFO nobody
      reads is given up after ``fifo_wait_s`` seconds;
    - a directory, a missing directory or a read-only target (no write bit at all) is
      refused before anything is written.

    Every failure, including a write that fails inside the block (a full disk, a reader
    that went away), is an :class:`OutputError` with a one-line message naming the path;
    the previous content of a regular file is then left as it was. Any other exception
    raised inside the block passes through unchanged, and nothing replaces the file.
    """
    label = inert(os.fspath(path))
    target, status = _examine(path, label)
    if status is None:
        chosen = _replacing(target, mode, encoding, permissions=None, label=label)
    elif stat.S_ISREG(status.st_mode):
        chosen = _replacing(
            target,
            mode,
            encoding,
            permissions=stat.S_IMODE(status.st_mode) & 0o777,
            owner=(status.st_uid, status.st_gid),
            label=label,
        )
    else:
        chosen = _writing_into(target, stat.S_ISFIFO(status.st_mode), mode, encoding, label, fifo_wait_s)
    with chosen as handle:
        yield handle


def write_output(path: str | os.PathLike[str], data: bytes, *, fifo_wait_s: float = FIFO_WAIT_S) -> None:
    """Write ``data`` to the file a user named, by the rules of :func:`open_output`."""
    with open_output(path, "wb", fifo_wait_s=fifo_wait_s) as handle:
        handle.write(data)


# --------------------------------------------------------------------------- the rules


def _examine(path: str | os.PathLike[str], label: str) -> tuple[Path, os.stat_result | None]:
    """The real file behind ``path`` and its status (``None``: to be created), or OutputError."""
    given = os.fspath(path)
    if not given:
        raise OutputError("cannot write to a file with an empty name")
    target = Path(os.path.realpath(given))
    try:
        status = os.stat(target)
    except FileNotFoundError:
        _check_directory(target.parent, label)
        return target, None
    except OSError as exc:
        raise OutputError(_cannot(label, exc)) from None
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(f"cannot write {label}: it is a directory")
    if status.st_mode & 0o222 == 0:
        mode = stat.S_IMODE(status.st_mode)
        raise OutputError(f"cannot write {label}: it is read-only (mode {mode:04o})")
    return target, status


def _check_directory(directory: Path, label: str) -> None:
    try:
        status = os.stat(directory)
    except FileNotFoundError:
        raise OutputError(f"cannot write {label}: no such directory {inert(str(directory))}") from None
    except OSError as exc:
        raise OutputError(_cannot(label, exc)) from None
    if not stat.S_ISDIR(status.st_mode):
        raise OutputError(f"cannot write {label}: {inert(str(directory))} is not a directory")


def _cannot(label: str, exc: OSError) -> str:
    return f"cannot write {label}: {inert(exc.strerror or str(exc))}"


# --------------------------------------------------------------------------- the mechanisms


@contextlib.contextmanager
def _replacing(
    target: Path,
    mode: str,
    encoding: str | None,
    *,
    permissions: int | None,
    owner: tuple[int, int] | None = None,
    label: str | None = None,
) -> Iterator[IO[Any]]:
    """Temp file beside ``target``, fsync, rename, directory fsync.

    With a ``label``, failures of these steps become OutputError naming it; without, the
    OSError itself is raised (the cache's callers expect that).
    """
    directory = target.parent
    try:
        fd, temp = _create_temp(directory, target.name, permissions, owner)
    except OSError as exc:
        if label is None:
            raise
        reason = inert(exc.strerror or str(exc))
        raise OutputError(
            f"cannot write {label}: no temporary file in {inert(str(directory))} ({reason})"
        ) from None
    handle = _wrap(fd, mode, encoding, label)
    try:
        yield handle
    except BaseException:
        _discard(handle, temp)
        raise
    try:
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(temp, target)
    except BaseException as exc:
        _discard(handle, temp)
        if label is not None and isinstance(exc, OSError):
            raise OutputError(_cannot(label, exc)) from None
        raise
    _sync_directory(directory)


def _create_temp(
    directory: Path, name: str, permissions: int | None, owner: tuple[int, int] | None
) -> tuple[int, Path]:
    """A new empty file beside the target, with the target's mode bits (and owner, if allowed)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC
    for _ in range(100):
        temp = directory / f".{name[:200]}.{os.urandom(4).hex()}.tmp"
        try:
            # 0o666 lets the kernel apply the umask (and any default ACL) as for any new file.
            fd = os.open(temp, flags, 0o666 if permissions is None else 0o600)
        except FileExistsError:
            continue
        try:
            if owner is not None and hasattr(os, "fchown"):
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.fchown(fd, *owner)
            if permissions is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, permissions)  # after fchown, which may clear bits
        except BaseException:
            os.close(fd)
            os.unlink(temp)
            raise
        return fd, temp
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(directory))


@contextlib.contextmanager
def _writing_into(
    target: Path, fifo: bool, mode: str, encoding: str | None, label: str, wait_s: float
) -> Iterator[IO[Any]]:
    """Write straight into a device or FIFO: there is nothing to rename over it."""
    handle = _wrap(_open_special(target, fifo, label, wait_s), mode, encoding, label)
    try:
        yield handle
    except BaseException:
        _discard(handle)
        raise
    try:
        handle.close()
    except OSError as exc:
        _discard(handle)
        raise OutputError(_cannot(label, exc)) from None


def _open_special(target: Path, fifo: bool, label: str, wait_s: float) -> int:
    # Non-blocking, so that opening a FIFO with no reader fails (ENXIO) instead of hanging.
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | _CLOEXEC
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(target, flags)
            break
        except OSError as exc:
            left = deadline - time.monotonic()
            if not (fifo and exc.errno == errno.ENXIO):
                raise OutputError(_cannot(label, exc)) from None
            if left <= 0:
                raise OutputError(
                    f"cannot write {label}: no reader opened the FIFO within {wait_s:g} s"
                ) from None
            time.sleep(min(_FIFO_RETRY_S, left))
    try:
        opened = os.fstat(fd).st_mode
        if stat.S_ISREG(opened) or stat.S_ISDIR(opened):
            raise OutputError(f"cannot write {label}: it was replaced while being opened")
        os.set_blocking(fd, True)  # a reader is there now; let writes wait for it
    except BaseException:
        os.close(fd)
        raise
    return fd


class _Sink(io.FileIO):
    """The descriptor under an output handle: with a label, a failed write is an OutputError."""

    label: str | None = None

    def write(self, data: Any) -> int | None:  # type: ignore[override]
        try:
            return super().write(data)
        except OSError as exc:
            if self.label is None:
                raise
            raise OutputError(_cannot(self.label, exc)) from None


def _wrap(fd: int, mode: str, encoding: str | None, label: str | None) -> IO[Any]:
    try:
        raw = _Sink(fd, "wb")
    except BaseException:
        os.close(fd)
        raise
    raw.label = label
    buffered = io.BufferedWriter(raw)
    if "b" in mode:
        return buffered
    return io.TextIOWrapper(buffered, encoding=encoding, newline="")


def _discard(handle: IO[Any], temp: Path | None = None) -> None:
    """Close after a failure: whatever the flush says is no longer news."""
    with contextlib.suppress(Exception):
        handle.close()
    if temp is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _sync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (best effort: not every platform allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)
