"""The on-disk element cache: validated element files, each object's element history, fetch history, a lock.

One element file per satellite (``<norad>.json`` or ``.tle``, exactly as received and
validated), a copy of every set fetched in the last 60 days (``history-<norad>-<epoch>``),
and one state file with each object's fetch history, all written atomically. Nothing read
back is trusted: a damaged file or entry counts as absent and is reported by
:meth:`ElementCache.problems` — never raised, never silently skipped.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .config import APP_NAME
from .elements import Elements, decode_elements
from .errors import CacheError, ElementsError
from .storage import atomic_write
from .utc import now_posix, utc_from_posix

CACHE_ENV = "ISSPASS_CACHE_DIR"
_STATE_FILE = "state.json"
_LOCK_FILE = ".lock"

#: The largest element or state file read back (a GP answer for one object is a few hundred bytes).
MAX_FILE_BYTES = 1 << 20
#: How far ahead of this machine's clock a recorded fetch time or an element epoch may lie.
#: Clocks drift and get set by hand; anything further ahead is not believed, so that a time
#: written under a wrong clock can delay updates by a day at most, never block them for ever.
CLOCK_SKEW_S = 86400.0
#: Consecutive failures kept in the history (the back-off stops growing long before).
MAX_FAILURES = 1000
#: Longest error text kept in the history or shown from it.
MAX_ERROR_CHARS = 300
#: Each object's element history keeps the sets fetched within this many days of its newest.
HISTORY_DAYS = 60.0
#: ... and at most this many of them (four fetches a day for 60 days).
MAX_HISTORY_SETS = 240
#: An answer larger than this (bytes) is not kept in the history (one object's set is ~1 KB).
MAX_HISTORY_FILE_BYTES = 64 * 1024
_HISTORY_PREFIX = "history-"
_HISTORY_STAMP = "%Y%m%dT%H%M%S"
_LISTED_BAD_ENTRIES = 5
_LAST_POSIX_S = 253402300799.0  # 9999-12-31 23:59:59 UTC, the last time datetime can show
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


def cache_dir() -> Path:
    """``$ISSPASS_CACHE_DIR``, else isspass's folder in the platform's user cache directory."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


def safe_text(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """``text`` as one inert line of at most ``limit`` characters.

    Line breaks and tabs become spaces, other unprintable characters (escape sequences,
    bidirectional overrides, lone surrogates) become ``?``: safe to store and to print.
    """
    head = text[: 2 * limit + 1]
    cleaned = "".join(c if c.isprintable() else (" " if c.isspace() else "?") for c in head)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > limit or len(text) > len(head):
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned


@dataclass(frozen=True)
class FetchRecord:
    """What happened the last times one object was fetched (UTC POSIX seconds)."""

    last_success: float | None = None
    last_attempt: float | None = None
    failures: int = 0  # consecutive failures since the last success
    last_error: str | None = None
    #: Whether the last failed attempt reached a server (False: the name lookup or the
    #: connection failed, and no request was sent).
    reached: bool = True

    def with_success(self, when: float) -> FetchRecord:
        return FetchRecord(last_success=when, last_attempt=when)

    def with_failure(self, when: float, error: str, reached: bool = True) -> FetchRecord:
        return replace(
            self,
            last_attempt=when,
            failures=min(self.failures + 1, MAX_FAILURES),
            last_error=safe_text(error),
            reached=reached,
        )


# --------------------------------------------------------------------------- the state file


def parse_state(
    data: bytes, now: float, source: str = _STATE_FILE
) -> tuple[dict[int, FetchRecord], list[str]]:
    """Read a fetch-history file: its valid entries, and one message per problem found.

    Never raises. A file that is not a JSON object of entries counts as empty. Each entry is
    checked field by field; one that fails, or whose times lie more than
    :data:`CLOCK_SKEW_S` ahead of ``now`` (UTC POSIX seconds), counts as absent. Fields this
    version does not know are ignored (a later version may add some); ``last_error`` is
    made inert with :func:`safe_text`.
    """

    def empty(reason: str) -> tuple[dict[int, FetchRecord], list[str]]:
        return {}, [f"{source}: {reason}; the fetch history starts afresh"]

    if len(data) > MAX_FILE_BYTES:
        return empty(f"larger than {MAX_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return empty("not UTF-8 text")
    try:
        raw = json.loads(text)
    except RecursionError:
        return empty("nested too deeply to be a fetch history")
    except ValueError as exc:  # not JSON, or an integer too long to convert
        return empty(f"not valid JSON ({safe_text(str(exc), 80)})")
    if not isinstance(raw, dict):
        return empty(f"a JSON {type(raw).__name__}, not an object of entries")
    records: dict[int, FetchRecord] = {}
    bad: list[str] = []
    for key, value in raw.items():
        checked = _state_entry(key, value, now)
        if isinstance(checked, str):
            bad.append(f"{source}: ignoring the entry {_shown(key)}: {checked}")
        else:
            records[int(key)] = checked
    if len(bad) > _LISTED_BAD_ENTRIES:
        more = len(bad) - _LISTED_BAD_ENTRIES
        bad = [*bad[:_LISTED_BAD_ENTRIES], f"{source}: ignoring {more} more invalid entries"]
    return records, bad


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=True)
    except ValueError:  # an integer too long to print
        text = "a huge number"
    return safe_text(text, 40)


def _state_entry(key: str, value: Any, now: float) -> FetchRecord | str:
    """One validated history entry, or why it is not one."""
    if not (key.isascii() and key.isdigit() and len(key) <= 9 and str(int(key)) == key and int(key) > 0):
        return "not a catalogue number"
    return parse_record(value, now)


def parse_record(value: Any, now: float) -> FetchRecord | str:
    """The value of one fetch-history entry, validated; or why it is not one (never raises).

    Also used for histories kept by other keys than catalogue numbers (the groups').
    """
    if not isinstance(value, dict):
        return "not an object"
    times: dict[str, float | None] = {}
    for name in ("last_success", "last_attempt"):
        given = value.get(name)
        if given is None:
            times[name] = None
            continue
        if isinstance(given, bool) or not isinstance(given, (int, float)):
            return f"{name} {_shown(given)} is not a time"
        seconds = float(given) if isinstance(given, float) or abs(given) < 10**18 else math.inf
        if not math.isfinite(seconds) or seconds < 0:
            return f"{name} {_shown(given)} is not a time"
        if seconds > now + CLOCK_SKEW_S:
            return f"{name} {_show_time(seconds)} is in the future (was the clock wrong?)"
        times[name] = seconds
    failures = value.get("failures", 0)
    if isinstance(failures, bool) or not isinstance(failures, int) or not 0 <= failures <= MAX_FAILURES:
        return f"failures {_shown(failures)} is not a count"
    error = value.get("last_error")
    if error is not None and not isinstance(error, str):
        return f"last_error {_shown(error)} is not a text"
    reached = value.get("reached", True)
    if not isinstance(reached, bool):
        return f"reached {_shown(reached)} is not true or false"
    return FetchRecord(
        last_success=times["last_success"],
        last_attempt=times["last_attempt"],
        failures=failures,
        last_error=None if error is None else safe_text(error),
        reached=reached,
    )


def _show_time(seconds: float) -> str:
    if seconds > _LAST_POSIX_S:
        return "after the year 9999"
    return f"{utc_from_posix(seconds):%Y-%m-%d %H:%M} UTC"


# --------------------------------------------------------------------------- reading files


class _NotAFile(Exception):
    """A cache path that exists but cannot be one of the cache's files."""


def _read_small_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises OSError (FileNotFoundError when absent) or _NotAFile. Opened without blocking,
    so that a FIFO planted in the cache cannot hang a cron job.
    """
    fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotAFile("not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise _NotAFile(f"larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- the cache


class ElementCache:
    """Cached element sets under one directory. Cheap to create; touches disk only when asked.

    Reading never raises: what cannot be read counts as absent, and :meth:`problems` lists
    why, for the caller to show as warnings. Writing raises :class:`CacheError`.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = cache_dir() if directory is None else Path(directory)
        # The cache may be created inside the home directory, never the home itself:
        # HOME=/nonexistent (a service account's) is meant never to exist.
        self._home = _home_above(self.directory) if directory is None else None
        self._problems: dict[str, None] = {}  # insertion-ordered set

    def problems(self) -> list[str]:
        """Every problem found in the cache by this object so far, each once, oldest first.

        Damaged element files, fetch-history entries or files ignored, a directory that
        cannot be read: one line each, naming the file.
        """
        return list(self._problems)

    def add_problem(self, message: str) -> None:
        """Note a problem with the cache found by a caller (listed by :meth:`problems`)."""
        self._problems.setdefault(safe_text(message, 500), None)

    def _element_files(self, norad_id: int) -> list[Path]:
        return [self.directory / f"{norad_id}.{ext}" for ext in ("json", "tle")]

    def _directory_problem(self, exc: OSError) -> str:
        where = f"the cache directory {self.directory}"
        if os.path.lexists(self.directory) and not os.path.isdir(self.directory):
            kind = "a broken symbolic link" if os.path.islink(self.directory) else "a file"
            return f"{where} is {kind}, not a directory"
        if exc.errno == errno.ENOTDIR:
            return f"{where} cannot be used: part of its path is a file, not a directory"
        if self._home is not None and exc.errno == errno.ENOENT and not os.path.lexists(self._home):
            return f"{where} cannot be used: the home directory {self._home} does not exist"
        return f"{where} cannot be used: {exc.strerror or exc}"

    def _read(self, path: Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, str | None]:
        """A cache file's bytes; else None and why (None too when it is simply absent)."""
        try:
            return _read_small_file(path, limit), None
        except FileNotFoundError:
            return None, None
        except NotADirectoryError as exc:
            self.add_problem(self._directory_problem(exc))
            return None, None
        except _NotAFile as exc:
            return None, str(exc)
        except OSError as exc:
            return None, f"cannot read it ({exc.strerror or exc})"

    # ---- element sets

    def load(self, norad_id: int) -> list[Elements]:
        """The cached element sets of one satellite ([] when none or unreadable: see problems())."""
        for path in self._element_files(norad_id):
            data, why = self._read(path)
            if data is None:
                if why is not None:
                    self.add_problem(f"ignoring the cached elements {path}: {why}")
                continue
            try:
                found = decode_elements(data, str(path))
            except ElementsError as exc:
                self.add_problem(f"ignoring the cached elements: {exc}")
                continue
            mine = [replace(e, source=f"cache ({path})") for e in found if e.norad_id == norad_id]
            if len(mine) < len(found):
                others = ", ".join(str(n) for n in sorted({e.norad_id for e in found} - {norad_id})[:5])
                self.add_problem(f"ignoring elements for {others} in {path}: it is the file of {norad_id}")
            if mine:
                return mine
        return []

    def load_all(self) -> list[Elements]:
        """Every cached element set."""
        try:
            with os.scandir(self.directory) as entries:
                names = [entry.name for entry in entries]
        except FileNotFoundError:
            return []
        except OSError as exc:
            self.add_problem(self._directory_problem(exc))
            return []
        ids = set()
        for name in names:
            stem, _, ext = name.partition(".")
            if ext in ("json", "tle") and stem.isascii() and stem.isdigit() and len(stem) <= 9:
                ids.add(int(stem))
        return [e for norad_id in sorted(ids) for e in self.load(norad_id)]

    # ---- each object's element history

    def _history_files(self) -> dict[int, list[tuple[datetime, Path]]]:
        """The history files in the directory, by object, newest first; names that do not fit are ignored."""
        try:
            with os.scandir(self.directory) as entries:
                names = [entry.name for entry in entries if entry.name.startswith(_HISTORY_PREFIX)]
        except OSError:
            return {}  # a missing or unusable directory is reported by the other readers
        found: dict[int, list[tuple[datetime, Path]]] = {}
        for name in names:
            parsed = _history_name(name)
            if parsed is not None:
                norad_id, epoch = parsed
                found.setdefault(norad_id, []).append((epoch, self.directory / name))
        for files in found.values():
            files.sort(reverse=True)
        return found

    def load_history(self, norad_id: int) -> list[Elements]:
        """Every cached set of one satellite: its element file's, then its history's, newest first.

        At most :data:`MAX_HISTORY_SETS` history files are read, each of at most
        :data:`MAX_HISTORY_FILE_BYTES`; damaged ones are ignored and listed by problems().
        """
        files = self._history_files().get(norad_id, [])
        return self.load(norad_id) + self._load_history_files(files, norad_id)

    def load_histories(self) -> list[Elements]:
        """The history sets of every cached satellite (without their element files': see load_all)."""
        return [
            e
            for norad_id, files in sorted(self._history_files().items())
            for e in self._load_history_files(files, norad_id)
        ]

    def _load_history_files(self, files: list[tuple[datetime, Path]], norad_id: int) -> list[Elements]:
        sets: list[Elements] = []
        for _, path in files[:MAX_HISTORY_SETS]:
            try:
                data = _read_small_file(path, MAX_HISTORY_FILE_BYTES)
            except FileNotFoundError:
                continue
            except _NotAFile as exc:
                self.add_problem(f"ignoring the cached history file {path}: {exc}")
                continue
            except OSError as exc:
                self.add_problem(f"ignoring the cached history file {path}: {exc.strerror or exc}")
                continue
            try:
                found = decode_elements(data, str(path))
            except ElementsError as exc:
                self.add_problem(f"ignoring the cached history file: {exc}")
                continue
            sets.extend(replace(e, source=f"cache ({path})") for e in found if e.norad_id == norad_id)
        return sets

    def _keep_in_history(self, norad_id: int, body: bytes, fmt: str, epoch: datetime) -> None:
        """Write one set's copy into the object's history, then forget what is too old or too many."""
        if len(body) > MAX_HISTORY_FILE_BYTES:
            return
        name = f"{_HISTORY_PREFIX}{norad_id}-{epoch.astimezone(timezone.utc):{_HISTORY_STAMP}}.{fmt}"
        self._write(self.directory / name, body)
        files = self._history_files().get(norad_id, [])
        newest = max(epoch, files[0][0]) if files else epoch
        for rank, (when, path) in enumerate(files):
            if rank >= MAX_HISTORY_SETS or when < newest - timedelta(days=HISTORY_DAYS):
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    self.add_problem(f"cannot remove the outdated {path}: {exc.strerror or exc}")

    def stored_at(self, norad_id: int) -> float | None:
        """When one satellite's element file was last written (UTC POSIX seconds), if it exists."""
        for path in self._element_files(norad_id):
            with contextlib.suppress(OSError):
                return os.stat(path).st_mtime
        return None

    def store(self, norad_id: int, body: bytes, fmt: str, epoch: datetime | None = None) -> Path:
        """Replace one satellite's cached elements atomically with an already validated body.

        With ``epoch`` (the newest set's in ``body``) a copy is kept in the object's element
        history first, and sets older than :data:`HISTORY_DAYS` before the newest are
        forgotten. Raises :class:`CacheError` when a file cannot be written.
        """
        if epoch is not None:
            self._keep_in_history(norad_id, body, fmt, epoch)
        target = self.directory / f"{norad_id}.{fmt}"
        self._write(target, body)
        for other in self._element_files(norad_id):
            if other != target:
                try:
                    other.unlink()
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    self.add_problem(f"cannot remove the outdated {other}: {exc.strerror or exc}")
        return target

    def _make_directory(self) -> None:
        """Create the cache directory and its missing parents, or raise CacheError saying why not."""
        try:
            if self._home is not None:
                os.stat(self._home)
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(self._directory_problem(exc)) from None

    def _write(self, path: Path, data: bytes) -> None:
        self._make_directory()
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise CacheError(f"cannot write {path}: {exc.strerror or exc}") from None

    def ensure_writable(self) -> None:
        """Create the directory if need be and prove that the cache can be written.

        Raises :class:`CacheError` saying why not. An update checks this before it asks the
        server: an answer that could not be recorded would be asked for again at every run.
        """
        self._make_directory()
        try:
            fd, probe = tempfile.mkstemp(dir=self.directory, prefix=".probe.", suffix=".tmp")
            try:
                os.write(fd, bytes(4096))  # a full disk fails here, not after the request
            finally:
                os.close(fd)
                os.unlink(probe)
        except OSError as exc:
            raise CacheError(
                f"cannot write in the cache directory {self.directory}: {exc.strerror or exc}"
            ) from None
        state = self.directory / _STATE_FILE
        if os.path.isdir(state) and not os.path.islink(state):
            raise CacheError(f"{state} is a directory: the fetch history cannot be kept")
        if self._state(now_posix())[1] is not None:
            raise CacheError(f"{state} cannot be read, so it cannot be updated")

    # ---- other files in the same directory, under the same lock (the groups')

    def read_bytes(self, name: str, limit: int) -> tuple[bytes | None, str | None]:
        """The bytes of the cache file ``name`` (at most ``limit``); else None and why (None if absent)."""
        return self._read(self.directory / name, limit)

    def write_bytes(self, name: str, data: bytes) -> Path:
        """Replace the cache file ``name`` atomically; raises :class:`CacheError` when it cannot."""
        path = self.directory / name
        self._write(path, data)
        return path

    # ---- fetch history

    def _state(self, now: float) -> tuple[dict[int, FetchRecord], str | None]:
        """The valid history entries, and why the file could not be read at all (None: it could,
        or it is absent, or it is damaged and may be rewritten)."""
        path = self.directory / _STATE_FILE
        try:
            data = _read_small_file(path)
        except (FileNotFoundError, NotADirectoryError) as exc:
            if isinstance(exc, NotADirectoryError):
                self.add_problem(self._directory_problem(exc))
            return {}, None
        except _NotAFile as exc:
            self.add_problem(f"{path}: {exc}; the fetch history starts afresh")
            return {}, None
        except OSError as exc:
            why = exc.strerror or str(exc)
            self.add_problem(f"{path}: cannot read it ({why}); the fetch history is unknown")
            return {}, why
        records, problems = parse_state(data, now, str(path))
        for problem in problems:
            self.add_problem(problem)
        return records, None

    def records(self, now: float | None = None) -> dict[int, FetchRecord]:
        """Every object's valid fetch history (a missing or damaged state file is an empty one).

        Entries with times more than :data:`CLOCK_SKEW_S` ahead of the clock (or of ``now``,
        if later) are ignored; what was ignored is listed by :meth:`problems`.
        """
        return self._state(_clock(now))[0]

    def record(self, norad_id: int, now: float | None = None) -> FetchRecord:
        return self.records(now).get(norad_id, FetchRecord())

    def save_record(self, norad_id: int, record: FetchRecord, now: float | None = None) -> None:
        """Replace one object's history entry atomically, keeping every other valid entry.

        A damaged state file is rewritten cleanly. Raises :class:`CacheError` when the file
        cannot be written, or could not be read (it is then left alone rather than emptied).
        """
        records, unreadable = self._state(_clock(now))
        path = self.directory / _STATE_FILE
        if unreadable is not None:
            raise CacheError(f"cannot read {path} ({unreadable}), so it cannot be updated")
        records[norad_id] = record
        body = json.dumps({str(k): _entry(v) for k, v in sorted(records.items())}, indent=1)
        self._write(path, body.encode("utf-8"))

    # ---- lock

    @contextlib.contextmanager
    def lock(self, timeout_s: float = 60.0) -> Iterator[bool]:
        """Hold the cache's exclusive lock; yields False if it could not be had in time.

        An advisory OS lock on a lock file: released by the OS if the holder dies. Raises
        :class:`CacheError` when the lock file cannot be opened — the directory is unusable,
        or the lock file is a symbolic link (never followed) or not a regular file.
        """
        path = self.directory / _LOCK_FILE
        self._make_directory()
        flags = os.O_RDWR | os.O_CREAT | _O_NOFOLLOW | _O_NONBLOCK | _O_BINARY
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP or os.path.islink(path):
                raise CacheError(f"the lock file {path} is a symbolic link: not following it") from None
            raise CacheError(f"cannot open the lock file {path}: {exc.strerror or exc}") from None
        handle = os.fdopen(fd, "r+b")
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise CacheError(f"the lock file {path} is not a regular file")
            deadline = time.monotonic() + timeout_s
            while not _try_lock(handle):
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
            try:
                yield True
            finally:
                _unlock(handle)
        finally:
            handle.close()


def record_json(record: FetchRecord) -> dict[str, Any]:
    """A history entry as it is stored (the inverse of :func:`parse_record`)."""
    return _entry(record)


def _entry(record: FetchRecord) -> dict[str, Any]:
    """A history entry as stored; ``reached`` only when a failure reached no server."""
    entry = asdict(record)
    if entry.pop("reached"):
        return entry
    return {**entry, "reached": False}


def _history_name(name: str) -> tuple[int, datetime] | None:
    """The object and epoch a history file's name gives (``history-25544-20260903T041321.json``)."""
    stem, dot, ext = name[len(_HISTORY_PREFIX) :].rpartition(".")
    number, dash, stamp = stem.partition("-")
    if not (dot and dash and ext in ("json", "tle")):
        return None
    if not (number.isascii() and number.isdigit() and len(number) <= 9):
        return None
    try:
        epoch = datetime.strptime(stamp, _HISTORY_STAMP).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(number), epoch


def _home_above(directory: Path) -> Path | None:
    """The user's home directory when ``directory`` lies inside it."""
    home = Path(os.path.expanduser("~"))
    return home if home.is_absolute() and directory.is_relative_to(home) else None


def _clock(now: float | None) -> float:
    """The time against which recorded times are checked: the clock, or a later ``now``."""
    return now_posix() if now is None else max(now, now_posix())


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle) -> bool:  # type: ignore[no-untyped-def]
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle) -> None:  # type: ignore[no-untyped-def]
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle) -> bool:  # type: ignore[no-untyped-def]
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(handle) -> None:  # type: ignore[no-untyped-def]
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

