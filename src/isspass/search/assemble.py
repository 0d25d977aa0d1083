"""The result objects: Pass and PassPoint for every wanted pass of a chunk of observers.

Every event of every pass is looked at in one batch; only the final objects are built one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from ..brightness import apparent_magnitude
from ..model import Observer, Pass, PassPoint, PassType, SatelliteId
from ..revolutions import pass_id, pass_orbit_numbers
from ..sky import Array, Sites, look
from .roots import Index, Intervals
from .track import Track
from .visibility import PassTypes, Segments, first_between, per_owner

#: Samples per lit segment for the brightest magnitude (the curve is smooth and gentle).
_BRIGHTNESS_SAMPLES = 24


class Event(IntEnum):
    """The rows of the event table: the moments of a pass that become its PassPoints."""

    RISE = 0
    CULMINATION = 1
    SET = 2
    HORIZON_RISE = 3
    HORIZON_SET = 4
    APPEARS = 5
    HIGHEST = 6
    DISAPPEARS = 7
    SHADOW_ENTRY = 8
    SHADOW_EXIT = 9


#: Events on the lit arc by construction: counted as sunlit without asking the shadow test,
#: which is a coin toss exactly on the shadow's edge.
_LIT_BY_CONSTRUCTION = frozenset(
    {Event.APPEARS, Event.HIGHEST, Event.DISAPPEARS, Event.SHADOW_ENTRY, Event.SHADOW_EXIT}
)


@dataclass(frozen=True)
class _Looks:
    """The satellite seen at each event of each wanted pass: arrays (events, passes), NaN/False if none."""

    altitude_deg: Array
    azimuth_deg: Array
    range_km: Array
    sun_altitude_deg: Array
    sunlit: NDArray[np.bool_]
    magnitude: Array


def assemble_passes(
    track: Track,
    sites: Sites,
    passes: Intervals,
    horizon_start: Array,
    horizon_end: Array,
    lit: Segments,
    types: PassTypes,
    wanted: Index,
    min_elevation_deg: float,
    observers: Sequence[Observer] | None = None,
) -> list[Pass]:
    """Evaluate every event of the wanted passes in one batch and build the :class:`Pass` objects.

    ``observers`` (one per site) give each pass its orbit number and id; without them the
    passes have neither.
    """
    count = passes.peak.size
    lit_time = per_owner(count, lit.owner, lit.end - lit.start, np.add, 0.0)
    table = event_times(track.shadow, passes, horizon_start, horizon_end, lit)[:, wanted]
    looks = _look_at_events(track, sites, passes.owner[wanted], table)
    brightest = _brightest_magnitudes(
        track, sites, passes.owner, lit, wanted, count, looks.magnitude[Event.HIGHEST]
    )

    t0 = track.t0
    ids = _pass_ids(track, observers, passes.owner[wanted], table[Event.CULMINATION])
    which = SatelliteId(track.satellite.name, track.satellite.norad_id)
    bands = track.timing_uncertainties_s(table[Event.CULMINATION]).tolist()
    result = []
    for col in range(wanted.size):
        index = int(wanted[col])

        def point(event: Event, col: int = col) -> PassPoint | None:
            return _pass_point(t0, table, looks, event, col)

        pass_type = types[index]
        highest_point = point(Event.HIGHEST)
        culmination = point(Event.CULMINATION)
        assert culmination is not None
        result.append(
            Pass(
                type=pass_type,
                rise=point(Event.RISE),  # type: ignore[arg-type]
                culmination=culmination,
                set=point(Event.SET),  # type: ignore[arg-type]
                appears=point(Event.APPEARS),
                highest=highest_point,
                disappears=point(Event.DISAPPEARS),
                horizon_rise=point(Event.HORIZON_RISE),  # type: ignore[arg-type]
                horizon_set=point(Event.HORIZON_SET),  # type: ignore[arg-type]
                shadow_entry=point(Event.SHADOW_ENTRY),
                shadow_exit=point(Event.SHADOW_EXIT),
                magnitude=None if highest_point is None else highest_point.magnitude,
                brightest_magnitude=None if np.isnan(brightest[col]) else float(brightest[col]),
                visible_duration_s=float(lit_time[index]) if pass_type is PassType.VISIBLE else 0.0,
                min_elevation_deg=min_elevation_deg,
                timing_uncertainty_s=bands[col],
                orbit_number=ids[col][0],
                id=ids[col][1],
                satellite=which,
            )
        )
    return result


def _pass_ids(
    track: Track, observers: Sequence[Observer] | None, owner: Index, culmination_s: Array
) -> list[tuple[int | None, str]]:
    """The orbit number and id of each wanted pass (None and "" without observers, or for a
    trajectory with no elements to number its revolutions)."""
    elements = getattr(track.satellite, "elements", None) or getattr(track.satellite, "reference", None)
    if observers is None or elements is None:
        return [(None, "")] * owner.size
    latitude = np.array([observers[int(k)].latitude_deg for k in owner], dtype=float)
    numbers = pass_orbit_numbers(elements, track.t0.timestamp() + culmination_s, latitude)
    norad = track.satellite.norad_id
    return [
        (int(n), pass_id(norad, int(n), observers[int(k)].latitude_deg, observers[int(k)].longitude_deg))
        for n, k in zip(numbers, owner, strict=True)
    ]


def event_times(
    shadow: Intervals, passes: Intervals, horizon_start: Array, horizon_end: Array, lit: Segments
) -> Array:
    """The time of every :class:`Event` of every pass: an array (events, passes), NaN if none."""
    count = passes.peak.size
    nan = np.full(count, np.nan)
    appears = per_owner(count, lit.owner, lit.start, np.minimum, np.inf)
    disappears = per_owner(count, lit.owner, lit.end, np.maximum, -np.inf)
    # The highest lit point: the peak clamped into the lit segment nearest to it.
    clamped = np.clip(passes.peak[lit.owner], lit.start, lit.end)
    order = np.lexsort((np.abs(clamped - passes.peak[lit.owner]), lit.owner))
    first = np.ones(order.size, dtype=bool)
    first[1:] = lit.owner[order][1:] != lit.owner[order][:-1]
    highest = nan.copy()
    highest[lit.owner[order][first]] = clamped[order][first]
    has_lit = np.isfinite(appears)
    appears[~has_lit] = np.nan
    disappears[~has_lit] = np.nan

    times = {
        Event.RISE: passes.start,
        Event.CULMINATION: passes.peak,
        Event.SET: passes.end,
        Event.HORIZON_RISE: horizon_start,
        Event.HORIZON_SET: horizon_end,
        Event.APPEARS: appears,
        Event.HIGHEST: highest,
        Event.DISAPPEARS: disappears,
        Event.SHADOW_ENTRY: first_between(shadow.start, horizon_start, horizon_end),
        Event.SHADOW_EXIT: first_between(shadow.end, horizon_start, horizon_end),
    }
    return np.stack([times[event] for event in Event])


def _look_at_events(track: Track, sites: Sites, owner: Index, table: Array) -> _Looks:
    """Look at the satellite at every present time of ``table`` (events, passes) in one batch."""
    present = np.isfinite(table)
    owners = np.broadcast_to(owner, table.shape)
    view = look(track.orbit, sites.take(owners[present]), table[present])
    lit_rows = np.array([event in _LIT_BY_CONSTRUCTION for event in Event])
    sunlit = view.sunlit | np.broadcast_to(lit_rows[:, None], table.shape)[present]
    std_mag = track.satellite.standard_magnitude
    if std_mag is None:
        magnitudes = np.full(view.range_km.shape, np.nan)
    else:
        magnitudes = np.where(
            sunlit, apparent_magnitude(std_mag, view.range_km, view.phase_angle_rad), np.nan
        )

    def spread(values: NDArray[np.generic], absent: float | bool) -> NDArray[np.generic]:
        full = np.full(table.shape, absent, dtype=values.dtype)
        full[present] = values
        return full

    return _Looks(
        altitude_deg=spread(view.altitude_deg, np.nan),
        azimuth_deg=spread(view.azimuth_deg, np.nan),
        range_km=spread(view.range_km, np.nan),
        sun_altitude_deg=spread(view.sun_altitude_deg, np.nan),
        sunlit=spread(sunlit, False),
        magnitude=spread(magnitudes, np.nan),
    )


def _brightest_magnitudes(
    track: Track,
    sites: Sites,
    pass_owner: Index,
    lit: Segments,
    wanted: Index,
    count: int,
    at_highest: Array,
) -> Array:
    """The brightest magnitude over each wanted pass's lit arc (NaN if unlit or unknown).

    Sampled along every lit segment; ``at_highest`` (the magnitude at the highest lit
    point) counts too.
    """
    brightest = np.full(wanted.size, np.nan)
    std_mag = track.satellite.standard_magnitude
    if std_mag is None:
        return brightest
    position = np.full(count, -1)
    position[wanted] = np.arange(wanted.size)
    mine = position[lit.owner] >= 0
    if np.any(mine):
        fractions = np.linspace(0.0, 1.0, _BRIGHTNESS_SAMPLES)
        seg_start, seg_end = lit.start[mine], lit.end[mine]
        samples = (seg_start[:, None] + fractions[None, :] * (seg_end - seg_start)[:, None]).ravel()
        sample_owner = np.repeat(lit.owner[mine], _BRIGHTNESS_SAMPLES)
        sampled = look(track.orbit, sites.take(pass_owner[sample_owner]), samples)
        mags = apparent_magnitude(std_mag, sampled.range_km, sampled.phase_angle_rad)
        brightest = per_owner(wanted.size, position[sample_owner], mags, np.minimum, np.inf)
        brightest = np.fmin(brightest, at_highest)
        brightest[~np.isfinite(brightest)] = np.nan  # unlit passes have none
    return brightest


def _pass_point(t0: datetime, table: Array, looks: _Looks, event: Event, col: int) -> PassPoint | None:
    """The :class:`PassPoint` of one event of one pass, or None when the pass has no such event."""
    when = table[event, col]
    if not np.isfinite(when):
        return None
    mag = looks.magnitude[event, col]
    return PassPoint(
        time=t0 + timedelta(seconds=float(when)),
        altitude_deg=float(looks.altitude_deg[event, col]),
        azimuth_deg=float(looks.azimuth_deg[event, col]),
        range_km=float(looks.range_km[event, col]),
        sun_altitude_deg=float(looks.sun_altitude_deg[event, col]),
        sunlit=bool(looks.sunlit[event, col]),
        magnitude=None if np.isnan(mag) else float(mag),
    )
