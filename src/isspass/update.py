"""Keeping elements fresh without ever being a burden to CelesTrak.

One request per object at most every two hours, back-off after failures, validation before
anything reaches the cache, and a lock so that concurrent runs ask only once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum

from .cache import ElementCache
from .download import DEFAULT_ELEMENTS_URL, fetch, gp_url
from .elements import decode_elements
from .errors import ElementsError, NetworkError
from .model import Elements
from .utc import utc_from_posix

#: Never ask for an object again within this long of its last successful fetch (CelesTrak's rule).
MIN_INTERVAL_S = 2 * 3600.0
#: After a failure, wait this long (doubling with each further failure, up to a day).
BACKOFF_S = 2 * 3600.0
MAX_BACKOFF_S = 24 * 3600.0
#: The main command refreshes cached elements fetched longer ago than this.
DEFAULT_REFRESH_AFTER_H = 24.0


class UpdateStatus(str, Enum):
    UPDATED = "updated"  # fetched, validated and cached
    RECENT = "recent"  # fetched less than two hours ago: not asked again
    BACKING_OFF = "backing off"  # an earlier failure: not asked again yet
    FAILED = "failed"  # this attempt failed; the cache is unchanged
    BUSY = "busy"  # another process held the cache lock too long


@dataclass(frozen=True)
class UpdateResult:
    """What one update of one object did, in one line for people."""

    norad_id: int
    status: UpdateStatus
    message: str
    elements: Elements | None = None

    @property
    def ok(self) -> bool:
        return self.status in (UpdateStatus.UPDATED, UpdateStatus.RECENT)


def backoff_s(failures: int) -> float:
    """How long to wait after ``failures`` consecutive failures (seconds)."""
    return min(BACKOFF_S * 2 ** max(failures - 1, 0), MAX_BACKOFF_S)


def _when(seconds: float) -> str:
    return utc_from_posix(seconds).strftime("%Y-%m-%d %H:%M UTC")


def update_elements(
    norad_id: int,
    *,
    cache: ElementCache,
    base_url: str = DEFAULT_ELEMENTS_URL,
    now: float | None = None,
    timeout_s: float = 10.0,
) -> UpdateResult:
    """Fetch one object's GP elements (OMM JSON) if CelesTrak's rules allow, and cache them.

    Never raises for network or data problems: the result says what happened, and the
    cache is replaced (atomically) only by a fully validated answer for that object.
    """
    with cache.lock() as locked:
        if not locked:
            return UpdateResult(norad_id, UpdateStatus.BUSY, "another isspass is updating the cache")
        now = time.time() if now is None else now
        record = cache.record(norad_id)
        if record.last_success is not None and now - record.last_success < MIN_INTERVAL_S:
            return UpdateResult(
                norad_id,
                UpdateStatus.RECENT,
                f"elements for {norad_id} were fetched at {_when(record.last_success)}, less than "
                "2 hours ago: not asking again, using the cache",
            )
        if record.failures and record.last_attempt is not None:
            wait = backoff_s(record.failures)
            if now - record.last_attempt < wait:
                return UpdateResult(
                    norad_id,
                    UpdateStatus.BACKING_OFF,
                    f"fetching elements for {norad_id} failed at {_when(record.last_attempt)} "
                    f"({record.last_error}); not asking again before {_when(record.last_attempt + wait)}",
                )
        url = gp_url(base_url, norad_id)
        try:
            body = fetch(url, timeout_s=timeout_s)
            if body.strip() == b"No GP data found":
                raise NetworkError(f"the server has no elements for {norad_id} (No GP data found)")
            found = [e for e in decode_elements(body, "the answer") if e.norad_id == norad_id]
            if not found:
                raise ElementsError(f"the answer holds no elements for {norad_id}")
        except (NetworkError, ElementsError) as exc:
            message = str(exc)
            cache.save_record(norad_id, record.with_failure(now, message))
            return UpdateResult(
                norad_id, UpdateStatus.FAILED, f"could not update elements for {norad_id}: {message}"
            )
        fmt = "json" if body.lstrip()[:1] in (b"[", b"{") else "tle"
        cache.store(norad_id, body, fmt)
        cache.save_record(norad_id, record.with_success(now))
        newest = max(cache.load(norad_id), key=lambda e: e.epoch)
        return UpdateResult(
            norad_id,
            UpdateStatus.UPDATED,
            f"updated {newest.name} ({norad_id}): epoch {newest.epoch:%Y-%m-%d %H:%M:%S} UTC",
            newest,
        )


def needs_refresh(
    cache: ElementCache, norad_id: int, refresh_after_h: float, now: float | None = None
) -> bool:
    """Whether the main command's freshness policy asks for a fetch of this object."""
    now = time.time() if now is None else now
    record = cache.record(norad_id)
    if not cache.load(norad_id):
        return True
    return record.last_success is None or now - record.last_success > refresh_after_h * 3600.0
