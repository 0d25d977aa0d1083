"""Which passes were already announced: what is new, what changed, what was cancelled.

A small JSON record per place, criteria and destination in the user state directory,
read bounded, replaced atomically and held under a lock for the whole of a run.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .config import APP_NAME
from .errors import AnnounceError
from .model import Pass
from .storage import atomic_write
from .text import inert

STATE_ENV = "ISSPASS_STATE_DIR"
#: A remembered pass whose time moved by more than this is announced again, as changed.
CHANGE_TOLERANCE_S = 60.0
#: Remembered passes this long in the past are forgotten.
FORGET_AFTER = timedelta(days=2)
#: The largest record read back (a year of daily passes is some 50 KB).
MAX_RECORD_BYTES = 1 << 20
#: How long a run waits for another one announcing for the same place to finish.
LOCK_TIMEOUT_S = 120.0
_VERSION = 1
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def state_dir() -> Path:
    """``$ISSPASS_STATE_DIR``, else isspass's folder in the platform's user state directory."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME))


def first_seen(p: Pass) -> datetime:
    """When a person can first see the pass: it appears (the lit arc starts), else it rises."""
    return (p.appears or p.rise).time


# --------------------------------------------------------------------------- the comparison (pure)


@dataclass(frozen=True)
class Remembered:
    """An announced pass: its id and when it was to be first seen (aware UTC)."""

    id: str
    time: datetime


@dataclass(frozen=True)
class Changed:
    """An announced pass whose time moved by more than :data:`CHANGE_TOLERANCE_S`."""

    now: Pass
    previous: datetime


@dataclass(frozen=True)
class News:
    """What a run has to announce: passes never announced, changed ones, cancelled ones."""

    new: tuple[Pass, ...] = ()
    changed: tuple[Changed, ...] = ()
    cancelled: tuple[Remembered, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed or self.cancelled)

    @property
    def passes(self) -> tuple[Pass, ...]:
        """The new and the changed passes, in time order."""
        return tuple(sorted((*self.new, *(c.now for c in self.changed)), key=first_seen))

    def status(self, p: Pass) -> str:
        """``"new"`` or ``"changed"`` for one of :attr:`passes`."""
        return "changed" if any(c.now.id == p.id for c in self.changed) else "new"

    def previous(self, p: Pass) -> datetime | None:
        """The time a changed pass was announced with (None for a new one)."""
        return next((c.previous for c in self.changed if c.now.id == p.id), None)


def compare(
    shown: Sequence[Pass],
    found: Sequence[Pass],
    remembered: Mapping[str, Remembered],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
) -> News:
    """What to announce, given the passes to show, all passes found, and what was announced.

    ``shown`` are the passes this run would report (``--within`` applied); ``found`` every
    pass the search found in the window ``start``…``end`` that meets the criteria. New:
    shown and never announced. Changed: announced, found, still to come, and moved by more
    than a minute. Cancelled: announced for a time in the window still to come, and no
    longer found (gone, or no longer meeting the criteria).
    """
    ids = {p.id for p in found}
    new = tuple(p for p in shown if p.id not in remembered)
    changed = tuple(
        Changed(p, remembered[p.id].time)
        for p in found
        if p.id in remembered
        and first_seen(p) >= now
        and abs((first_seen(p) - remembered[p.id].time).total_seconds()) > CHANGE_TOLERANCE_S
    )
    cancelled = tuple(
        r
        for r in sorted(remembered.values(), key=lambda r: r.time)
        if r.id not in ids and max(start, now) <= r.time <= end
    )
    return News(new, changed, cancelled)


def remember(remembered: Mapping[str, Remembered], news: News, now: datetime) -> dict[str, Remembered]:
    """The record after ``news`` was announced: new and changed passes in, cancelled ones out,
    and passes long past (:data:`FORGET_AFTER`) forgotten."""
    record = {key: value for key, value in remembered.items() if value.time >= now - FORGET_AFTER}
    for p in news.passes:
        record[p.id] = Remembered(p.id, first_seen(p))
    for gone in news.cancelled:
        record.pop(gone.id, None)
    return record


# --------------------------------------------------------------------------- the record on disk


def record_key(**what: Any) -> str:
    """The record's name for a place, criteria and destination: a short hash of them."""
    text = json.dumps(what, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def parse_record(data: bytes, source: str) -> tuple[dict[str, Remembered], str | None]:
    """A record file's passes, and what was wrong with it (None when nothing). Never raises."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}, f"{source} is not a record of announced passes; starting afresh"
    if not isinstance(raw, dict) or not isinstance(raw.get("passes"), dict):
        return {}, f"{source} is not a record of announced passes; starting afresh"
    found: dict[str, Remembered] = {}
    bad = 0
    for key, value in raw["passes"].items():
        try:
            if not (isinstance(key, str) and 0 < len(key) <= 100 and key.isprintable()):
                raise ValueError(key)
            when = datetime.fromisoformat(str(value["time"]).replace("Z", "+00:00"))
            if when.tzinfo is None:
                raise ValueError(value)
        except (KeyError, TypeError, ValueError):
            bad += 1
            continue
        found[key] = Remembered(key, when)
    problem = f"{source}: ignored {bad} damaged entries" if bad else None
    return found, problem


class AnnounceLog:
    """The record of passes announced for one place, criteria and destination.

    Use :meth:`held` for the whole of a run: read, announce, then :meth:`save` only once the
    announcement went out, so that a failed delivery leaves the record as it was and the
    next run tries again; a second run waits for the first and then sees what it announced.
    """

    def __init__(self, key: str, description: Mapping[str, Any], directory: Path | None = None) -> None:
        self.directory = state_dir() if directory is None else Path(directory)
        self.path = self.directory / f"announced-{key}.json"
        self.description = dict(description)
        self.problems: list[str] = []

    @contextlib.contextmanager
    def held(self, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[AnnounceLog]:
        """Hold this record's lock (an OS lock, released if the holder dies)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AnnounceError(f"cannot use the state directory {inert(str(self.directory))}: "
                                f"{exc.strerror or exc}") from None  # fmt: skip
        lock_path = self.path.with_suffix(".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _O_NOFOLLOW | _O_NONBLOCK, 0o600)
        except OSError as exc:
            why = "a symbolic link" if exc.errno == errno.ELOOP else (exc.strerror or str(exc))
            raise AnnounceError(f"cannot open the lock file {inert(str(lock_path))}: {why}") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise AnnounceError(f"the lock file {inert(str(lock_path))} is not a regular file")
            deadline = time.monotonic() + timeout_s
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise AnnounceError(
                        f"another isspass has been announcing for this place for {timeout_s:g} s "
                        f"(lock {inert(str(lock_path))})"
                    )
                time.sleep(0.05)
            yield self
        finally:
            os.close(fd)  # releases the lock

    def load(self) -> dict[str, Remembered]:
        """The announced passes (none when there is no record yet; a damaged one is reported)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | _O_NONBLOCK | _O_NOFOLLOW)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise AnnounceError(f"cannot read {inert(str(self.path))}: {exc.strerror or exc}") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise AnnounceError(f"{inert(str(self.path))} is not a regular file")
            data = os.read(fd, MAX_RECORD_BYTES + 1)
        finally:
            os.close(fd)
        if len(data) > MAX_RECORD_BYTES:
            self.problems.append(f"{inert(str(self.path))} is larger than {MAX_RECORD_BYTES} bytes; "
                                 "starting afresh")  # fmt: skip
            return {}
        record, problem = parse_record(data, inert(str(self.path)))
        if problem:
            self.problems.append(problem)
        return record

    def save(self, record: Mapping[str, Remembered]) -> None:
        """Replace the record atomically."""
        body = {
            "version": _VERSION,
            "for": self.description,
            "passes": {
                key: {"time": value.time.isoformat().replace("+00:00", "Z")}
                for key, value in sorted(record.items(), key=lambda item: item[1].time)
            },
        }
        try:
            atomic_write(self.path, json.dumps(body, indent=1, ensure_ascii=True).encode("ascii"))
        except OSError as exc:
            raise AnnounceError(f"cannot write {inert(str(self.path))}: {exc.strerror or exc}") from None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
