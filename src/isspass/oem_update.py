"""Keeping NASA's ISS trajectory fresh, as politely as the elements.

One request at most every two hours, back-off after failures, validation before anything is cached.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from .cache import CLOCK_SKEW_S, FetchRecord, safe_text
from .defaults import DEFAULT_OEM_URL  # where NASA publishes the trajectory (KVN; the XML beside it)
from .download import check_elements_url, fetch
from .elements import ISS_NORAD_ID
from .errors import CacheError, ConfigError, ElementsError, NetworkError
from .update import SAME_EPOCH_S, UpdateResult, UpdateStatus, hold_back
from .utc import now_posix, utc_from_posix

if TYPE_CHECKING:  # the options check the URL before any trajectory is read: no numpy for that
    from .ephemeris import Ephemeris
    from .oem_cache import TrajectoryCache

OEM_URL_ENV = "ISSPASS_OEM_URL"
#: The largest answer accepted: the 15-day file is 0.8 MB as KVN, 2.9 MB as XML.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
_WHAT = "the ISS trajectory"


def check_oem_url(url: str) -> str:
    """``url`` unchanged if it can be fetched from (the rules of the elements URL), else ConfigError."""
    try:
        return check_elements_url(url)
    except ConfigError as exc:
        raise ConfigError(str(exc).replace("elements URL", "OEM URL", 1)) from None



def update_trajectory(
    *, cache: TrajectoryCache, url: str = DEFAULT_OEM_URL, now: float | None = None, timeout_s: float = 10.0
) -> UpdateResult:
    """Fetch NASA's ISS trajectory (a CCSDS OEM, KVN or XML) if the rules allow, and cache it.

    The element rules: never within 2 hours of the last success, a back-off after failures,
    one request, no redirects, the cache lock, nothing fetched when the cache cannot be
    written. The answer must validate in full, be the ISS's, not be created in the future
    nor before the cached one, and still reach past now. Never raises for network, data or
    cache problems: the result says what happened.
    """
    try:
        cache.ensure_writable()
        with cache.lock() as locked:
            if not locked:
                return UpdateResult(ISS_NORAD_ID, UpdateStatus.BUSY, "another isspass is updating the cache")
            return _update_locked(cache, url, now_posix() if now is None else now, timeout_s)
    except CacheError as exc:
        return UpdateResult(
            ISS_NORAD_ID,
            UpdateStatus.CACHE_UNUSABLE,
            f"could not update {_WHAT}: {exc}; not asking the server, since its answer could not be kept",
        )


def _update_locked(cache: TrajectoryCache, url: str, now: float, timeout_s: float) -> UpdateResult:
    record = cache.record(now)
    waiting = _too_soon(cache, record, now)
    if waiting is not None:
        return waiting
    cached = cache.load()
    if cached is not None and cached.created > utc_from_posix(max(now, now_posix()) + CLOCK_SKEW_S):
        cached = None  # made under a wrong clock: the next true answer replaces it
    try:
        body = fetch(check_oem_url(url), timeout_s=timeout_s, max_bytes=MAX_ANSWER_BYTES)
        from .oem import parse_oem

        answer = parse_oem(body, "the answer")
        _check_answer(answer, cached, now)
    except (NetworkError, ElementsError, ConfigError) as exc:
        return _failed(cache, record, now, str(exc))
    succeeded = record.with_success(now)
    try:
        cache.save_record(succeeded)
    except CacheError as exc:
        return UpdateResult(
            ISS_NORAD_ID,
            UpdateStatus.CACHE_UNUSABLE,
            f"could not update {_WHAT}: the answer came but could not be recorded ({exc}); "
            "the cache is unchanged",
        )
    described = _describe(answer)
    if cached is not None and abs((answer.created - cached.created).total_seconds()) <= SAME_EPOCH_S:
        return UpdateResult(
            ISS_NORAD_ID, UpdateStatus.RECENT, f"{_WHAT} is unchanged: {described}, as cached"
        )
    try:
        cache.store(body)
    except CacheError as exc:
        unstored = _failed(cache, succeeded, now, f"the trajectory could not be stored: {exc}")
        return replace(unstored, status=UpdateStatus.CACHE_UNUSABLE)
    return UpdateResult(ISS_NORAD_ID, UpdateStatus.UPDATED, f"updated {_WHAT}: {described}")


def _describe(ephemeris: Ephemeris) -> str:
    return (
        f"created {ephemeris.created:%Y-%m-%d %H:%M} UTC, covering {ephemeris.start:%Y-%m-%d %H:%M} to "
        f"{ephemeris.stop:%Y-%m-%d %H:%M} UTC"
    )


def _too_soon(cache: TrajectoryCache, record: FetchRecord, now: float) -> UpdateResult | None:
    """The rules of :func:`isspass.update.hold_back` for the trajectory."""
    held = hold_back(record, cache.stored_at, now, subject=_WHAT)
    return None if held is None else UpdateResult(ISS_NORAD_ID, *held)


def _failed(cache: TrajectoryCache, record: FetchRecord, now: float, reason: str) -> UpdateResult:
    reason = safe_text(reason)
    message = f"could not update {_WHAT}: {reason}"
    try:
        cache.save_record(record.with_failure(now, reason))
    except CacheError as exc:
        message += f" (and the failure could not be recorded: {exc})"
    return UpdateResult(ISS_NORAD_ID, UpdateStatus.FAILED, message)


def _check_answer(answer: Ephemeris, cached: Ephemeris | None, now: float) -> None:
    """Refuse an answer that is not the ISS's, from the future, older than the cache, or over."""
    clock = utc_from_posix(now)
    if not answer.is_iss:
        raise ElementsError(
            f"the answer is a trajectory of {safe_text(answer.object_id, 40)}, not of the ISS"
        )
    if answer.created > clock + timedelta(seconds=CLOCK_SKEW_S):
        raise ElementsError(
            f"the answer was created {answer.created:%Y-%m-%d %H:%M} UTC, in the future "
            f"(more than {CLOCK_SKEW_S / 3600:g} hours after {clock:%Y-%m-%d %H:%M} UTC)"
        )
    if cached is not None and (cached.created - answer.created).total_seconds() > SAME_EPOCH_S:
        raise ElementsError(
            f"the answer was created {answer.created:%Y-%m-%d %H:%M} UTC, before the cached one "
            f"({cached.created:%Y-%m-%d %H:%M} UTC)"
        )
    if answer.stop < clock:
        raise ElementsError(
            f"the answer ends {answer.stop:%Y-%m-%d %H:%M} UTC, before now: an outdated trajectory"
        )
