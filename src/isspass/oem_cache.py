"""The cached ISS trajectory (NASA's OEM) and its fetch history, beside the element cache.

One trajectory file as received and validated, one history file: replaced atomically, read without trust.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from .cache import MAX_FILE_BYTES, ElementCache, FetchRecord, parse_state, safe_text
from .elements import ISS_NORAD_ID
from .ephemeris import Ephemeris
from .errors import CacheError, TrajectoryError
from .inputs import read_file_bounded
from .storage import atomic_write
from .utc import now_posix

#: The trajectory as fetched (KVN or XML), and its own fetch history (the element
#: history's entries are keyed by catalogue number, one per element file).
OEM_FILE = f"{ISS_NORAD_ID}.oem"
OEM_STATE_FILE = "oem-state.json"


class _Refused(Exception):
    pass


class TrajectoryCache:
    """The ISS trajectory in the element cache's directory, sharing its lock.

    Reading never raises: a damaged file counts as absent and :meth:`problems` says why.
    Writing raises :class:`~isspass.errors.CacheError`.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.elements = ElementCache(directory)
        self.directory = self.elements.directory
        self._problems: dict[str, None] = {}

    @property
    def path(self) -> Path:
        return self.directory / OEM_FILE

    def problems(self) -> list[str]:
        """Every problem found so far, each once, oldest first."""
        return list(self._problems)

    def _note(self, message: str) -> None:
        self._problems.setdefault(safe_text(message, 500), None)

    def _read(self, path: Path, limit: int) -> bytes | None:
        """A regular file's bytes (None when absent or unusable, noted)."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._note(f"{path}: cannot read it ({exc.strerror or exc})")
            return None
        if not stat.S_ISREG(info.st_mode):
            self._note(f"ignoring {path}: not a regular file")
            return None

        def refuse(message: str) -> _Refused:
            return _Refused(message)

        try:
            return read_file_bounded(path, limit, "", error=refuse, timeout_s=1.0)
        except _Refused as exc:
            self._note(f"ignoring {exc}")
            return None

    def load(self) -> Ephemeris | None:
        """The cached trajectory, validated again; None when there is none or it is unusable."""
        try:
            os.stat(self.path)
        except FileNotFoundError:
            return None  # nothing cached: the OEM reader is not even loaded
        except OSError:
            pass  # noted by _read
        from .oem import OEM_LIMIT_BYTES, parse_oem

        data = self._read(self.path, OEM_LIMIT_BYTES)
        if data is None:
            return None
        try:
            ephemeris = parse_oem(data, f"cache ({self.path})")
        except TrajectoryError as exc:
            self._note(f"ignoring the cached trajectory: {exc}")
            return None
        if not ephemeris.is_iss:
            self._note(f"ignoring the cached trajectory {self.path}: it is not the ISS's")
            return None
        return ephemeris

    def stored_at(self) -> float | None:
        """When the trajectory file was last written (UTC POSIX seconds), if it exists."""
        with contextlib.suppress(OSError):
            return os.stat(self.path).st_mtime
        return None

    def store(self, body: bytes) -> Path:
        """Replace the cached trajectory atomically with an already validated body."""
        self._write(self.path, body)
        return self.path

    def _write(self, path: Path, data: bytes) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"the cache directory {self.directory} cannot be used: {exc.strerror or exc}"
            ) from None
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise CacheError(f"cannot write {path}: {exc.strerror or exc}") from None

    # ---- fetch history

    def record(self, now: float | None = None) -> FetchRecord:
        """The trajectory's fetch history (empty when missing or damaged; damage is noted)."""
        path = self.directory / OEM_STATE_FILE
        data = self._read(path, MAX_FILE_BYTES)
        if data is None:
            return FetchRecord()
        records, problems = parse_state(data, max(now or 0.0, now_posix()), str(path))
        for problem in problems:
            self._note(problem)
        return records.get(ISS_NORAD_ID, FetchRecord())

    def save_record(self, record: FetchRecord) -> None:
        """Replace the fetch history atomically."""
        body = json.dumps({str(ISS_NORAD_ID): asdict(record)}, indent=1)
        self._write(self.directory / OEM_STATE_FILE, body.encode("utf-8"))

    # ---- shared with the element cache

    def ensure_writable(self) -> None:
        self.elements.ensure_writable()

    @contextlib.contextmanager
    def lock(self, timeout_s: float = 60.0) -> Iterator[bool]:
        """The element cache's lock: element and trajectory updates take turns."""
        with self.elements.lock(timeout_s) as locked:
            yield locked
