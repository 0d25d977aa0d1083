"""Pass search: every pass over one or many observers, its lit arc, and whether a person can see it.

Sample coarsely, find the peaks of smooth functions (the sine of the altitude, the depth
in the Earth's shadow), refine each peak on its analytic derivative, then refine the
threshold crossings on either side. Peaks are found even when no sample lies above the
threshold, so a pass that crests it by a hair is never lost. Everything observer-free
(propagation, the Sun, the shadow) is done once; observers are processed in chunks, and
every refinement is one vectorised batch over all of a chunk's passes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone

import numpy as np

from ..elements import Satellite, load_satellite
from ..model import Observer, Pass, PassType
from ..sky import Sites, sin_altitude_grid
from .assemble import assemble_passes
from .roots import Brackets, Intervals, crossing_brackets, find_peaks, merge_peaks, solve_crossings
from .track import Track
from .visibility import classify_passes

#: PRODUCT defaults: the minimum elevation of a pass and the twilight altitude of the Sun.
DEFAULT_MIN_ELEVATION_DEG = 10.0
DEFAULT_TWILIGHT_DEG = -6.0
DEFAULT_DAYS = 10.0
_MAX_DAYS = 366.0
DEFAULT_CHUNK = 256


# --------------------------------------------------------------------------- passes


def _observer_passes(
    track: Track,
    sites: Sites,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
) -> list[list[Pass]]:
    """All passes of the track over a chunk of sites: one list per site."""
    grid = track.grid
    evaluate = track.altitude_evaluator(sites)
    z, z_rate = sin_altitude_grid(sites, track.r_itrs, track.v_itrs)
    level = math.sin(math.radians(min_elevation_deg))
    owner, peak, value = find_peaks(
        grid, z, z_rate, evaluate, track.peak_candidates(sites, min_elevation_deg)
    )
    keep = value >= level
    owner, peak, value = owner[keep], peak[keep], value[keep]
    rise, fall = crossing_brackets(grid, z, level, owner, peak, value)
    h_rise, h_fall = crossing_brackets(grid, z, 0.0, owner, peak, value)
    times = solve_crossings(Brackets.join([rise, fall, h_rise, h_fall]), evaluate).reshape(4, -1)
    chosen = merge_peaks(owner, times[0], value)
    passes = Intervals(owner[chosen], times[0][chosen], peak[chosen], times[1][chosen], value[chosen])
    horizon_start, horizon_end = times[2][chosen], times[3][chosen]
    overlap = (passes.end >= 0.0) & (passes.start <= track.duration_s)
    passes = passes.take(overlap)
    horizon_start, horizon_end = horizon_start[overlap], horizon_end[overlap]
    count = passes.peak.size

    lit, types = classify_passes(
        passes, horizon_start, horizon_end, track.shadow, sites, track.orbit.sun, twilight_deg
    )
    wanted = np.flatnonzero(types == PassType.VISIBLE) if visible_only else np.arange(count)

    result: list[list[Pass]] = [[] for _ in range(len(sites))]
    if wanted.size == 0:
        return result
    built = assemble_passes(
        track, sites, passes, horizon_start, horizon_end, lit, types, wanted, min_elevation_deg
    )
    for index, item in zip(wanted.tolist(), built, strict=True):
        result[int(passes.owner[index])].append(item)
    return result


# --------------------------------------------------------------------------- public API


def _check_number(name: str, value: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} {value:g} is outside {low:g}..{high:g}")
    return float(value)


def _window(start: datetime | None, days: float) -> tuple[datetime, float]:
    if start is None:
        start = datetime.now(timezone.utc)
    if not isinstance(start, datetime) or start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be a timezone-aware datetime (e.g. tzinfo=timezone.utc)")
    days = _check_number("days", days, 0.0, _MAX_DAYS)
    if days <= 0:
        raise ValueError("days must be greater than 0")
    return start.astimezone(timezone.utc), days * 86400.0


def iter_passes_many(
    observers: Sequence[Observer],
    start: datetime | None = None,
    days: float = DEFAULT_DAYS,
    *,
    satellite: Satellite | None = None,
    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG,
    twilight_deg: float = DEFAULT_TWILIGHT_DEG,
    visible_only: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
) -> Iterator[list[Pass]]:
    """Like :func:`find_passes_many`, but yields each observer's passes as soon as its chunk is done.

    Arguments are checked before the first item is produced; memory stays bounded by one
    chunk whatever the number of observers.
    """
    track = _prepare_many(observers, start, days, satellite, min_elevation_deg, twilight_deg, chunk_size)
    return _iter_chunks(track, observers, min_elevation_deg, twilight_deg, visible_only, chunk_size)


def _prepare_many(
    observers: Sequence[Observer],
    start: datetime | None,
    days: float,
    satellite: Satellite | None,
    min_elevation_deg: float,
    twilight_deg: float,
    chunk_size: int,
) -> Track | None:
    for observer in observers:
        if not isinstance(observer, Observer):
            raise TypeError("observers must be isspass.Observer objects")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError("chunk_size must be a positive integer")
    start, duration_s = _window(start, days)
    _check_number("min_elevation_deg", min_elevation_deg, 0.0, 90.0)
    _check_number("twilight_deg", twilight_deg, -90.0, 0.0)
    if satellite is None:
        satellite = load_satellite()
    if not observers:
        return None
    return Track.build(satellite, start, duration_s)


def _iter_chunks(
    track: Track | None,
    observers: Sequence[Observer],
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
    chunk_size: int,
) -> Iterator[list[Pass]]:
    if track is None:
        return
    for first in range(0, len(observers), chunk_size):
        chunk = observers[first : first + chunk_size]
        sites = Sites.from_geodetic(
            [o.latitude_deg for o in chunk], [o.longitude_deg for o in chunk], [o.elevation_m for o in chunk]
        )
        yield from _observer_passes(track, sites, float(min_elevation_deg), float(twilight_deg), visible_only)


def find_passes_many(
    observers: Sequence[Observer],
    start: datetime | None = None,
    days: float = DEFAULT_DAYS,
    *,
    satellite: Satellite | None = None,
    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG,
    twilight_deg: float = DEFAULT_TWILIGHT_DEG,
    visible_only: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
) -> list[list[Pass]]:
    """:func:`find_passes` for many observers at once: one list of passes per observer.

    The same results as calling :func:`find_passes` for each observer, but the satellite
    and the Sun are propagated, and the Earth's shadow searched, once for all of them;
    observers are then processed ``chunk_size`` at a time in vectorised batches, which
    bounds the memory used (some tens of MB per 256 observers for a 10-day window).
    """
    return list(
        iter_passes_many(
            observers,
            start,
            days,
            satellite=satellite,
            min_elevation_deg=min_elevation_deg,
            twilight_deg=twilight_deg,
            visible_only=visible_only,
            chunk_size=chunk_size,
        )
    )


def find_passes(
    observer: Observer,
    start: datetime | None = None,
    days: float = DEFAULT_DAYS,
    *,
    satellite: Satellite | None = None,
    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG,
    twilight_deg: float = DEFAULT_TWILIGHT_DEG,
    visible_only: bool = True,
) -> list[Pass]:
    """Passes of a satellite over an observer, in time order.

    ``start`` is a timezone-aware datetime (default: now); the window lasts ``days``
    (fractions allowed, at most 366). Every pass overlapping the window is returned with
    its true rise and set, even when it began before ``start`` or ends after the window.
    ``min_elevation_deg`` (0…90, default 10) is the altitude a pass must reach;
    ``twilight_deg`` (−90…0, default −6) is how low the Sun must be for the sky to be dark.
    With ``visible_only`` (default) only visible passes are returned; otherwise every pass,
    each with its :class:`~isspass.PassType`. The satellite defaults to the ISS from the
    best element set available.

    >>> from datetime import datetime, timezone
    >>> zurich = Observer(47.3744, 8.5410)
    >>> passes = find_passes(zurich, datetime(2026, 9, 24, tzinfo=timezone.utc), days=3)
    """
    if not isinstance(observer, Observer):
        raise TypeError("observer must be an isspass.Observer")
    return find_passes_many(
        [observer],
        start,
        days,
        satellite=satellite,
        min_elevation_deg=min_elevation_deg,
        twilight_deg=twilight_deg,
        visible_only=visible_only,
    )[0]
