"""Which elements to use for a request, and why: one policy for the library and the command line.

A given file or stdin wins; otherwise the cached and bundled sets, the one whose epoch is
nearest the window on the window's side of every manoeuvre the object's history shows,
refreshed first when the freshness policy says so, refused when too old.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .arguments import friendly_keywords
from .bundled import bundled_elements, catalogue_number, standard_magnitudes
from .cache import ElementCache
from .download import DEFAULT_ELEMENTS_URL, check_elements_url
from .elements import ISS_NORAD_ID, read_elements, select_elements
from .errors import (
    CacheWarning,
    IsspassWarning,
    ManoeuvreWarning,
    RefreshWarning,
    SatelliteNotFoundError,
    StaleElementsError,
    StaleElementsWarning,
)
from .freshness import (
    MANOEUVRE_REACH_DAYS,
    MAX_AGE_DAYS,
    WARN_AGE_DAYS,
    check_age,
    check_plausible,
    stale_refusal,
)
from .groups import fresh_in_a_group, group_members
from .history import ElementHistory, element_history
from .model import Elements, Satellite
from .text import inert
from .update import DEFAULT_REFRESH_AFTER_H, UpdateResult, UpdateStatus, needs_refresh, update_elements
from .utc import DAY_S, as_utc, now_utc

#: Where the library looks for a GP endpoint when none is given (the command line's variable too).
ELEMENTS_URL_ENV = "ISSPASS_ELEMENTS_URL"
#: A window that starts longer ago than this gains nothing from fresh elements: no refresh.
_PAST_WINDOW = timedelta(days=1)
#: An object's history for a window is built from at most this many of its sets, the
#: nearest the window: a file of a million sets of one object costs no more than a cache.
MAX_HISTORY_SETS = 500


@dataclass(frozen=True)
class ElementPolicy:
    """How elements are chosen when none are given: the freshness rules, in one object.

    ``offline`` forbids the network. ``allow_stale`` lets elements more than
    ``MAX_AGE_DAYS`` (30) days from the window through with a warning instead of
    :class:`StaleElementsError`. Cached elements fetched more than ``refresh_after_h``
    hours ago are refreshed (once, politely) when the window starts within a day of now.
    ``elements_url`` is the GP endpoint (None: ``$ISSPASS_ELEMENTS_URL``, else CelesTrak);
    ``cache_dir`` the element cache (None: ``$ISSPASS_CACHE_DIR``, else the user cache).
    """

    offline: bool = False
    allow_stale: bool = False
    refresh_after_h: float = DEFAULT_REFRESH_AFTER_H
    elements_url: str | None = None
    cache_dir: Path | None = None

    def __post_init__(self) -> None:
        hours = self.refresh_after_h
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not math.isfinite(hours):
            raise ValueError(f"refresh_after_h must be a finite number of hours, not {hours!r}")
        if hours < 2:
            raise ValueError("refresh_after_h must be at least 2 hours (CelesTrak's rule)")
        if self.elements_url is not None:
            check_elements_url(self.elements_url)

    @property
    def url(self) -> str:
        """The GP endpoint to ask."""
        return self.elements_url or os.environ.get(ELEMENTS_URL_ENV) or DEFAULT_ELEMENTS_URL


@dataclass(frozen=True)
class ElementChoice:
    """The satellite chosen for a window, where its elements came from, and what to tell the user.

    ``reason`` is one line for people (``"bundled set, epoch … (nearest the window)"``);
    ``update`` is the refresh attempted on the way (None when none was due); ``warnings``
    are the :class:`~isspass.IsspassWarning` instances the library emits with
    :func:`warnings.warn` and the command line prints on stderr.
    """

    satellite: Satellite
    reason: str
    update: UpdateResult | None
    warnings: tuple[IsspassWarning, ...]

    def emit(self, stacklevel: int = 3) -> Satellite:
        """Issue the warnings with :func:`warnings.warn` and return the satellite."""
        for warning in self.warnings:
            warnings.warn(warning, stacklevel=stacklevel)
        return self.satellite


@friendly_keywords
def choose_satellite(
    satellite: int | str | None = None,
    *,
    elements: Iterable[Elements] | str | Path | None = None,
    start: datetime | None = None,
    standard_magnitude: float | None = None,
    policy: ElementPolicy | None = None,
    days: float | None = None,
) -> ElementChoice:
    """Choose the elements for a window starting at ``start`` (aware datetime, default now).

    ``satellite`` is a NORAD number or a name (default: the only satellite of a given
    file, else the ISS). ``elements`` is an element file or parsed sets; when given it
    wins. Otherwise the cached sets (the cache keeps each object's history) and the bundled
    ones are searched, and when the policy says the cache is due (online, the window starts
    within a day of now, the cache older than ``refresh_after_h``) it is refreshed first:
    one polite request to the GP endpoint, never within two hours of the last, backing off
    after failures. Among the object's sets, the one nearest ``start`` on the window's
    side of every manoeuvre the history shows wins (:meth:`ElementHistory.for_window`).
    Elements more than 3 days from ``start`` give a :class:`StaleElementsWarning`; more
    than 30 raise :class:`StaleElementsError` unless ``policy.allow_stale``. With ``days``
    (the window's length), a :class:`ManoeuvreWarning` says when the window reaches past a
    manoeuvre the chosen set predates, or more than 12 days past the newest set known.
    ``standard_magnitude`` overrides the bundled table.
    """
    policy = ElementPolicy() if policy is None else policy
    _check_arguments(satellite, standard_magnitude)
    start = now_utc() if start is None else as_utc(start)
    found: list[IsspassWarning] = []
    update = None
    if elements is not None:
        history = _given(satellite, elements, start)
        chosen = history.for_window(start)
        reason = f"{chosen.source}, epoch {chosen.epoch:%Y-%m-%d %H:%M} UTC (given)"
    else:
        cache = ElementCache(policy.cache_dir)
        history, update = _from_cache(satellite, start, policy, cache)
        chosen = history.for_window(start)
        found.extend(CacheWarning(problem) for problem in cache.problems())
        if update is not None and not update.ok:
            found.append(RefreshWarning(f"{update.message}; using the elements at hand"))
        reason = (
            f"{chosen.source}, epoch {chosen.epoch:%Y-%m-%d %H:%M} UTC (the known set nearest the window)"
        )
    reason += _side_note(history, chosen, start)
    check_plausible(chosen, start, start)
    try:
        age_warning = check_age(chosen, start, allow_stale=policy.allow_stale)
    except StaleElementsError:
        raise StaleElementsError(_refusal(chosen, start, update, found)) from None
    if age_warning is not None:
        found.append(StaleElementsWarning(age_warning))
    if days is not None:
        end = start + timedelta(days=days)
        found.extend(manoeuvre_warnings(history, chosen, end, aged=age_warning is not None))
    chosen_satellite = _satellite(chosen, standard_magnitude, history.drag_before(chosen.epoch))
    return ElementChoice(chosen_satellite, reason, update, tuple(found))


def manoeuvre_warnings(
    history: ElementHistory, chosen: Elements, end: datetime, *, aged: bool = False
) -> list[ManoeuvreWarning]:
    """What to tell about manoeuvres for a window ending at ``end`` predicted from ``chosen``.

    One warning per manoeuvre the history shows after the chosen epoch and before ``end``;
    and, unless the elements were already warned about as old (``aged``), one when the
    window ends more than :data:`~isspass.freshness.MANOEUVRE_REACH_DAYS` after the newest
    set: a manoeuvre since then would not be known.
    """
    found = []
    epoch = f"{chosen.epoch:%Y-%m-%d %H:%M} UTC"
    for manoeuvre in history.manoeuvres_after(chosen, end):
        found.append(
            ManoeuvreWarning(
                f"elements for {chosen.name} (epoch {epoch}) predate the {manoeuvre.describe()}; "
                "passes after it may be off by as much"
            )
        )
    newest = history.newest
    reach_days = (as_utc(end) - newest.epoch).total_seconds() / DAY_S
    if reach_days > MANOEUVRE_REACH_DAYS and not aged:
        found.append(
            ManoeuvreWarning(
                f"the window ends {reach_days:.1f} days after the newest elements for {newest.name} "
                f"(epoch {newest.epoch:%Y-%m-%d %H:%M} UTC): a manoeuvre since then would not be known, "
                "and would move later passes by minutes"
            )
        )
    return found


def _side_note(history: ElementHistory, chosen: Elements, start: datetime) -> str:
    """Why a farther set was chosen: the nearest one is across a manoeuvre from the window."""
    nearest = min(history.sets, key=lambda e: abs(e.age_days(start)))
    if nearest is chosen:
        return ""
    return f"; the nearer set of {nearest.epoch:%Y-%m-%d %H:%M} UTC is across a manoeuvre from the window"


@friendly_keywords
def load_satellite(
    satellite: int | str | None = None,
    *,
    elements: Iterable[Elements] | str | Path | None = None,
    standard_magnitude: float | None = None,
    start: datetime | None = None,
    offline: bool = False,
    allow_stale: bool = False,
    days: float | None = None,
) -> Satellite:
    """The satellite to predict (the ISS by default), chosen as the command line chooses it.

    ``elements`` is an element file path (TLE, 3LE or OMM JSON) or parsed sets; they are
    used as given, whatever their age: of several sets of the satellite, the one for a
    window starting at ``start`` (default now), as :func:`choose_satellite` picks it.
    Without them the freshest cached or bundled set for that window is chosen, the cache
    being refreshed over the network first when due (see :func:`choose_satellite`;
    ``offline=True`` forbids the network), with a :class:`StaleElementsWarning` past 3 days
    and :class:`StaleElementsError` past 30 days from ``start`` unless ``allow_stale``, and
    with ``days`` (the window's length) a :class:`ManoeuvreWarning` when the window reaches
    past a known manoeuvre or far past the newest set. ``satellite`` is a NORAD number or a
    name. ``standard_magnitude`` overrides the bundled table (None: look it up, and give no
    magnitude when the satellite is not in the table).
    """
    if elements is not None:  # the caller's choice: used as given, whatever their age
        _check_arguments(satellite, standard_magnitude)
        when = now_utc() if start is None else as_utc(start)
        history = _given(satellite, elements, when)
        chosen = history.for_window(when)
        return _satellite(chosen, standard_magnitude, history.drag_before(chosen.epoch))
    policy = ElementPolicy(offline=offline, allow_stale=allow_stale)
    return choose_satellite(
        satellite, start=start, standard_magnitude=standard_magnitude, policy=policy, days=days
    ).emit()


def _check_arguments(satellite: object, standard_magnitude: object) -> None:
    if satellite is not None and (isinstance(satellite, bool) or not isinstance(satellite, (int, str))):
        raise TypeError(f"satellite must be a NORAD number, a name or None, not {type(satellite).__name__}")
    if standard_magnitude is not None and (
        isinstance(standard_magnitude, bool)
        or not isinstance(standard_magnitude, (int, float))
        or not math.isfinite(standard_magnitude)
    ):
        raise ValueError("standard magnitude must be a finite number")


def _given(
    satellite: int | str | None, elements: Iterable[Elements] | str | Path, start: datetime
) -> ElementHistory:
    """The satellite's history in a given file or list (a file may hold many sets of it)."""
    candidates = read_elements(elements) if isinstance(elements, (str, Path)) else list(elements)
    return object_history(candidates, satellite, start)


def object_history(candidates: Iterable[Elements], key: int | str | None, start: datetime) -> ElementHistory:
    """The history of the object ``key`` names among ``candidates`` (see :func:`select_elements`).

    Of equal epochs the first listed set is kept. At most :data:`MAX_HISTORY_SETS` sets,
    those nearest ``start``, make the history. Raises :class:`SatelliteNotFoundError`.
    """
    candidates = list(candidates)
    norad_id = select_elements(candidates, key).norad_id
    mine = [e for e in candidates if e.norad_id == norad_id]
    if len(mine) > MAX_HISTORY_SETS:
        nearest = sorted(range(len(mine)), key=lambda k: abs(mine[k].age_days(start)))[:MAX_HISTORY_SETS]
        mine = [mine[k] for k in sorted(nearest)]
    return element_history(mine)


def _satellite(
    chosen: Elements, standard_magnitude: float | None, history_drag: float | None = None
) -> Satellite:
    """The chosen set with its standard magnitude (the one given, else the bundled table's) and drag."""
    magnitude = standard_magnitude
    if magnitude is None:
        magnitude = standard_magnitudes().get(chosen.norad_id)
    return Satellite(chosen, None if magnitude is None else float(magnitude), history_drag)


def available_elements(cache: ElementCache) -> list[Elements]:
    """Every element set isspass knows without the network: cached (each object's newest, then
    the groups'), then bundled."""
    return cache.load_all() + group_members(cache) + bundled_elements()


def known_elements(cache: ElementCache) -> list[Elements]:
    """Every element set isspass knows without the network, with each object's cached history
    and the cached groups' sets."""
    return cache.load_all() + cache.load_histories() + group_members(cache) + bundled_elements()


def known_histories(cache: ElementCache) -> list[ElementHistory]:
    """The element history of every object isspass knows without the network, by catalogue number."""
    by_object: dict[int, list[Elements]] = {}
    for elements in known_elements(cache):
        by_object.setdefault(elements.norad_id, []).append(elements)
    return [element_history(sets) for _, sets in sorted(by_object.items())]


def _from_cache(
    key: int | str | None, start: datetime, policy: ElementPolicy, cache: ElementCache
) -> tuple[ElementHistory, UpdateResult | None]:
    norad_id = _norad_id(key, cache)
    update = None
    if norad_id is not None and _refresh_due(policy, start, cache, norad_id):
        update = update_elements(norad_id, cache=cache, base_url=policy.url)
    try:
        return object_history(known_elements(cache), key, start), update
    except SatelliteNotFoundError as exc:
        if "ambiguous" in str(exc):
            raise
        if norad_id is None and isinstance(key, str):
            norad_id = catalogue_number(key)  # a name isspass knows the number of: HST is 20580
        if norad_id is None:
            hint = " (fetch them by NORAD number: isspass update --satellite NUMBER, or give --tle FILE)"
        else:
            hint = f" (try: isspass update --satellite {norad_id})"
        shown = repr(key) if isinstance(key, int) else repr(inert(key, 80))
        raise SatelliteNotFoundError(f"no elements for satellite {shown}{hint}") from None


def _norad_id(key: int | str | None, cache: ElementCache) -> int | None:
    """The catalogue number a request is for: the ISS by default, a number, or a known name."""
    if key is None:
        return ISS_NORAD_ID
    if isinstance(key, int):
        return key
    if key.strip().isdigit():
        return int(key)
    try:
        return select_elements(available_elements(cache), key).norad_id
    except SatelliteNotFoundError:
        return None


def _refresh_due(policy: ElementPolicy, start: datetime, cache: ElementCache, norad_id: int) -> bool:
    """The freshness policy: online, predicting from about now on, and the cache is old."""
    if policy.offline:
        return False
    if start < now_utc() - _PAST_WINDOW:
        return False  # fresh elements would not help a window in the past
    if not needs_refresh(cache, norad_id, policy.refresh_after_h):
        return False
    return not fresh_in_a_group(cache, norad_id, policy.refresh_after_h)  # a group's set serves it


def _refusal(
    chosen: Elements, start: datetime, update: UpdateResult | None, found: list[IsspassWarning]
) -> str:
    """The stale-elements refusal, saying why nothing fresher was at hand: a failed refresh, a bad cache."""
    failure = None
    if update is not None and not update.ok:
        tried = update.status is not UpdateStatus.BACKING_OFF
        failure = f"{'a' if tried else 'no'} refresh was tried: {update.message}"
    message = stale_refusal(chosen, start, failure=failure)
    damaged = [str(w) for w in found if isinstance(w, CacheWarning)]
    if damaged:
        message += f" ({damaged[0]})"
    return message


__all__ = [
    "MAX_AGE_DAYS",
    "WARN_AGE_DAYS",
    "ElementChoice",
    "ElementPolicy",
    "available_elements",
    "choose_satellite",
    "known_elements",
    "known_histories",
    "load_satellite",
    "manoeuvre_warnings",
    "object_history",
]
