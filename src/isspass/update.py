"""Keeping elements fresh without ever being a burden to CelesTrak.

One request per object at most every two hours, back-off after failures, validation before
anything reaches the cache, and a lock so that concurrent runs ask only once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import Enum

from .cache import CLOCK_SKEW_S, ElementCache, FetchRecord, safe_text
from .defaults import DEFAULT_REFRESH_AFTER_H as DEFAULT_REFRESH_AFTER_H  # re-exported
from .download import DEFAULT_ELEMENTS_URL, fetch, gp_url
from .elements import decode_elements
from .errors import CacheError, ElementsError, NetworkError, UnreachableError
from .model import Elements
from .utc import now_posix, utc_from_posix

#: Never ask for an object again within this long of its last successful fetch (CelesTrak's rule).
MIN_INTERVAL_S = 2 * 3600.0
#: After a failure, wait this long (doubling with each further failure, up to a day).
BACKOFF_S = 2 * 3600.0
MAX_BACKOFF_S = 24 * 3600.0
#: Epochs closer than this are the same element set (a TLE rounds its epoch to 0.9 ms).
SAME_EPOCH_S = 1.0


class UpdateStatus(str, Enum):
    UPDATED = "updated"  # fetched, validated and cached
    RECENT = "recent"  # fetched less than two hours ago, or the answer is the set already cached
    BACKING_OFF = "backing off"  # an earlier failure: not asked again yet
    FAILED = "failed"  # this attempt failed (recorded, so the next runs back off); cache unchanged
    BUSY = "busy"  # another process held the cache lock too long
    CACHE_UNUSABLE = "cache unusable"  # the cache cannot be written: the server was not asked


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
    return min(BACKOFF_S * 2 ** min(max(failures - 1, 0), 16), MAX_BACKOFF_S)


def _when(seconds: float) -> str:
    return utc_from_posix(seconds).strftime("%Y-%m-%d %H:%M UTC")


def update_elements(
    norad_id: int,
    *,
    cache: ElementCache,
    base_url: str = DEFAULT_ELEMENTS_URL,
    now: float | None = None,
    timeout_s: float = 10.0,
    explicit: bool = False,
) -> UpdateResult:
    """Fetch one object's GP elements (OMM JSON) if CelesTrak's rules allow, and cache them.

    Never raises for network, data or cache problems: the result says what happened. The
    cache is replaced (atomically) only by a fully validated answer for that object whose
    epoch is neither in the future (beyond :data:`~isspass.cache.CLOCK_SKEW_S`) nor older
    than the cached set's; anything else is a failure, recorded and backed off. When the
    cache cannot be written the server is not asked at all (``CACHE_UNUSABLE``): an answer
    that could not be recorded would be asked for again at every run. Problems found in
    the cache on the way are listed by ``cache.problems()``.

    ``explicit`` is a person asking (``isspass update``): the back-off after failures that
    never reached a server (no name, no connection: nothing was sent) is then waived, since
    no server was burdened; after any answer from a server the 2-hour floor still holds.
    """
    try:
        cache.ensure_writable()
        with cache.lock() as locked:
            if not locked:
                return UpdateResult(norad_id, UpdateStatus.BUSY, "another isspass is updating the cache")
            when = now_posix() if now is None else now
            return _update_locked(norad_id, cache, base_url, when, timeout_s, explicit)
    except CacheError as exc:  # raised before any request: _update_locked handles its own
        return UpdateResult(
            norad_id,
            UpdateStatus.CACHE_UNUSABLE,
            f"could not update elements for {norad_id}: {exc}; not asking the server, "
            "since its answer could not be kept",
        )


def _update_locked(
    norad_id: int, cache: ElementCache, base_url: str, now: float, timeout_s: float, explicit: bool = False
) -> UpdateResult:
    record = cache.record(norad_id, now)
    waiting = _too_soon(cache, norad_id, record, now, explicit)
    if waiting is not None:
        return waiting
    cached = _believable(cache, norad_id, now)
    try:
        body = fetch(gp_url(base_url, norad_id), timeout_s=timeout_s)
        if body.strip() == b"No GP data found":
            raise NetworkError(f"the server has no elements for {norad_id} (No GP data found)")
        newest = max(_answer_elements(body, norad_id), key=lambda e: e.epoch)
        _check_epoch(newest, cached, now)
    except (NetworkError, ElementsError) as exc:
        return _failed(cache, norad_id, record, now, str(exc), not isinstance(exc, UnreachableError))
    # The success is recorded first: if the elements then cannot be stored, the server
    # is still not asked again within 2 hours.
    succeeded = record.with_success(now)
    try:
        cache.save_record(norad_id, succeeded, now)
    except CacheError as exc:
        return UpdateResult(
            norad_id,
            UpdateStatus.CACHE_UNUSABLE,
            f"could not update elements for {norad_id}: the answer came but could not be recorded "
            f"({exc}); the cache is unchanged",
        )
    name, epoch = safe_text(newest.name, 80), f"{newest.epoch:%Y-%m-%d %H:%M:%S} UTC"
    if cached is not None and abs((newest.epoch - cached.epoch).total_seconds()) <= SAME_EPOCH_S:
        message = f"elements for {name} ({norad_id}) are unchanged: epoch {epoch}, as cached"
        return UpdateResult(norad_id, UpdateStatus.RECENT, message, cached)
    fmt = "json" if body.decode("utf-8-sig").lstrip()[:1] in ("[", "{") else "tle"
    try:
        path = cache.store(norad_id, body, fmt, newest.epoch)
    except CacheError as exc:
        unstored = _failed(cache, norad_id, succeeded, now, f"the elements could not be stored: {exc}")
        return replace(unstored, status=UpdateStatus.CACHE_UNUSABLE)
    message = f"updated {name} ({norad_id}): epoch {epoch}"
    return UpdateResult(norad_id, UpdateStatus.UPDATED, message, replace(newest, source=f"cache ({path})"))


def hold_back(
    record: FetchRecord,
    stored_at: Callable[[], float | None],
    now: float,
    *,
    subject: str,
    verb: str = "was",
    explicit: bool = False,
) -> tuple[UpdateStatus, str] | None:
    """CelesTrak's rules, for any fetch: why not to ask now, or None when asking is allowed.

    ``RECENT`` within 2 hours of the last success (or, when the history is lost, of when the
    cached file was stored: ``stored_at()``), ``BACKING_OFF`` after failures (2 hours doubling
    to a day); an ``explicit`` request is not held back by failures that reached no server.
    ``subject`` names what is fetched in the message ("elements for 25544", with ``verb``
    "were").
    """
    last_success, what = record.last_success, "fetched"
    if last_success is None:
        stored = stored_at()  # the history is lost or damaged: the file's time still proves a fetch
        if stored is not None and stored <= max(now, now_posix()) + CLOCK_SKEW_S:
            last_success, what = stored, "stored"
    if last_success is not None and now - last_success < MIN_INTERVAL_S:
        return UpdateStatus.RECENT, (
            f"{subject} {verb} {what} at {_when(last_success)}, less than 2 hours ago: not asking again, "
            "using the cache"
        )
    if record.failures and record.last_attempt is not None and not (explicit and not record.reached):
        wait = backoff_s(record.failures)
        if now - record.last_attempt < wait:
            return UpdateStatus.BACKING_OFF, (
                f"fetching {subject} failed at {_when(record.last_attempt)} ({record.last_error}); "
                f"not asking again before {_when(record.last_attempt + wait)}"
            )
    return None


def _too_soon(
    cache: ElementCache, norad_id: int, record: FetchRecord, now: float, explicit: bool = False
) -> UpdateResult | None:
    """The rules of :func:`hold_back` for one object's elements."""
    held = hold_back(
        record,
        lambda: cache.stored_at(norad_id),
        now,
        subject=f"elements for {norad_id}",
        verb="were",
        explicit=explicit,
    )
    return None if held is None else UpdateResult(norad_id, *held)


def _failed(
    cache: ElementCache, norad_id: int, record: FetchRecord, now: float, reason: str, reached: bool = True
) -> UpdateResult:
    """Record a failure (so that the next runs back off) and say what failed."""
    reason = safe_text(reason)
    message = f"could not update elements for {norad_id}: {reason}"
    try:
        cache.save_record(norad_id, record.with_failure(now, reason, reached), now)
    except CacheError as exc:
        message += f" (and the failure could not be recorded: {exc})"
    return UpdateResult(norad_id, UpdateStatus.FAILED, message)


def _believable(cache: ElementCache, norad_id: int, now: float) -> Elements | None:
    """The newest cached set to compare an answer with, ignoring (and reporting) one from the
    future: elements cached under a wrong clock must not refuse every true answer for ever."""
    sets = cache.load(norad_id)
    limit = utc_from_posix(max(now, now_posix()) + CLOCK_SKEW_S)
    believable = [e for e in sets if e.epoch <= limit]
    if len(believable) < len(sets):
        cache.add_problem(
            f"the cached elements for {norad_id} have an epoch in the future; the next answer replaces them"
        )
    return max(believable, key=lambda e: e.epoch) if believable else None


def _answer_elements(body: bytes, norad_id: int) -> list[Elements]:
    """The validated element sets of an answer, all for ``norad_id``; else ElementsError."""
    found = decode_elements(body, "the answer")
    if not any(e.norad_id == norad_id for e in found):
        raise ElementsError(f"the answer holds no elements for {norad_id}")
    others = sorted({e.norad_id for e in found} - {norad_id})
    if others:
        shown = ", ".join(str(n) for n in others[:5])
        raise ElementsError(f"the answer also holds elements for {shown}, not only for {norad_id}")
    return found


def _check_epoch(newest: Elements, cached: Elements | None, now: float) -> None:
    """Refuse an answer from the future, or older than what the cache already holds."""
    clock = utc_from_posix(now)
    if newest.epoch > clock + timedelta(seconds=CLOCK_SKEW_S):
        raise ElementsError(
            f"the answer's epoch {newest.epoch:%Y-%m-%d %H:%M:%S} UTC is in the future "
            f"(more than {CLOCK_SKEW_S / 3600:g} hours after {clock:%Y-%m-%d %H:%M} UTC)"
        )
    if cached is not None and (cached.epoch - newest.epoch).total_seconds() > SAME_EPOCH_S:
        raise ElementsError(
            f"the answer's epoch {newest.epoch:%Y-%m-%d %H:%M:%S} UTC is older than the cached "
            f"{cached.epoch:%Y-%m-%d %H:%M:%S} UTC"
        )


def needs_refresh(
    cache: ElementCache, norad_id: int, refresh_after_h: float, now: float | None = None
) -> bool:
    """Whether the main command's freshness policy asks for a fetch of this object."""
    now = now_posix() if now is None else now
    record = cache.record(norad_id, now)
    if not cache.load(norad_id):
        return True
    return record.last_success is None or now - record.last_success > refresh_after_h * 3600.0
