"""The on-disk element cache: validated element files, fetch history, and a lock.

One element file per satellite (``<norad>.json`` or ``.tle``, exactly as received and
validated) and one state file with each object's fetch history, all replaced atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .config import APP_NAME
from .elements import Elements, decode_elements
from .errors import ElementsError
from .storage import atomic_write

CACHE_ENV = "ISSPASS_CACHE_DIR"
_STATE_FILE = "state.json"
_LOCK_FILE = ".lock"


def cache_dir() -> Path:
    """``$ISSPASS_CACHE_DIR``, else isspass's folder in the platform's user cache directory."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


@dataclass(frozen=True)
class FetchRecord:
    """What happened the last times one object was fetched (UTC POSIX seconds)."""

    last_success: float | None = None
    last_attempt: float | None = None
    failures: int = 0  # consecutive failures since the last success
    last_error: str | None = None

    def with_success(self, when: float) -> FetchRecord:
        return FetchRecord(last_success=when, last_attempt=when)

    def with_failure(self, when: float, error: str) -> FetchRecord:
        return replace(self, last_attempt=when, failures=self.failures + 1, last_error=error)


class ElementCache:
    """Cached element sets under one directory. Cheap to create; touches disk only when asked."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = cache_dir() if directory is None else Path(directory)

    def _element_files(self, norad_id: int) -> list[Path]:
        return [self.directory / f"{norad_id}.{ext}" for ext in ("json", "tle")]

    # ---- element sets

    def load(self, norad_id: int) -> list[Elements]:
        """The cached element sets of one satellite ([] when none or unreadable)."""
        for path in self._element_files(norad_id):
            if path.is_file():
                try:
                    return [
                        replace(e, source=f"cache ({path})")
                        for e in decode_elements(path.read_bytes(), str(path))
                    ]
                except (ElementsError, OSError):
                    return []
        return []

    def load_all(self) -> list[Elements]:
        """Every cached element set."""
        if not self.directory.is_dir():
            return []
        ids = sorted({int(p.stem) for p in self.directory.iterdir() if p.stem.isdigit()})
        return [e for norad_id in ids for e in self.load(norad_id)]

    def store(self, norad_id: int, body: bytes, fmt: str) -> Path:
        """Replace one satellite's cached elements atomically with an already validated body."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{norad_id}.{fmt}"
        atomic_write(target, body)
        for other in self._element_files(norad_id):
            if other != target:
                with contextlib.suppress(FileNotFoundError):
                    other.unlink()
        return target

    # ---- fetch history

    def records(self) -> dict[int, FetchRecord]:
        """Every object's fetch history (a missing or damaged state file is an empty one)."""
        try:
            raw = json.loads((self.directory / _STATE_FILE).read_text(encoding="utf-8"))
            return {int(k): FetchRecord(**v) for k, v in raw.items()}
        except (OSError, ValueError, TypeError, AttributeError):
            return {}

    def record(self, norad_id: int) -> FetchRecord:
        return self.records().get(norad_id, FetchRecord())

    def save_record(self, norad_id: int, record: FetchRecord) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        records = self.records()
        records[norad_id] = record
        body = json.dumps({str(k): asdict(v) for k, v in sorted(records.items())}, indent=1)
        atomic_write(self.directory / _STATE_FILE, body.encode("utf-8"))

    # ---- lock

    @contextlib.contextmanager
    def lock(self, timeout_s: float = 60.0) -> Iterator[bool]:
        """Hold the cache's exclusive lock; yields False if it could not be had in time.

        An advisory OS lock on a lock file: released by the OS if the holder dies.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = open(self.directory / _LOCK_FILE, "a+b")  # noqa: SIM115 - held across the yield
        try:
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

