"""The results of a chunk of observers: a PassTable (and from it Pass objects) for every wanted pass.

Every event of every pass is looked at in one batch, straight into columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from ..brightness import apparent_magnitude
from ..model import Observer, PassType
from ..passtable import NO_ORBIT, PASS_TYPES, PassTable, microseconds_after
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


def assemble_table(
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
) -> PassTable:
    """Evaluate every event of the wanted passes in one batch: a :class:`PassTable`, rows
    grouped by site (stable: each site's passes keep the order of ``wanted``).

    ``observers`` (one per site) give each pass its orbit number and id; without them the
    passes have neither.
    """
    wanted = wanted[np.argsort(passes.owner[wanted], kind="stable")]
    count = passes.peak.size
    lit_time = per_owner(count, lit.owner, lit.end - lit.start, np.add, 0.0)
    table = event_times(track.shadow, passes, horizon_start, horizon_end, lit)[:, wanted]
    owner = passes.owner[wanted]
    looks = _look_at_events(track, sites, owner, table)
    brightest = _brightest_magnitudes(
        track, sites, passes.owner, lit, wanted, count, looks.magnitude[Event.HIGHEST]
    )
    orbits, ids = _pass_ids(track, observers, owner, table[Event.CULMINATION])
    codes = np.zeros(wanted.size, dtype=np.int8)
    for code, kind in enumerate(PASS_TYPES):
        codes[types[wanted] == kind] = code
    visible = types[wanted] == PassType.VISIBLE
    bands = np.broadcast_to(track.timing_uncertainties_s(table[Event.CULMINATION]), wanted.shape)
    return PassTable(
        observer=owner.astype(np.int64),
        time=microseconds_after(track.t0, table.T),
        altitude_deg=looks.altitude_deg.T.copy(),
        azimuth_deg=looks.azimuth_deg.T.copy(),
        range_km=looks.range_km.T.copy(),
        sun_altitude_deg=looks.sun_altitude_deg.T.copy(),
        sunlit=looks.sunlit.T.copy(),
        point_magnitude=looks.magnitude.T.copy(),
        type=codes,
        brightest_magnitude=np.asarray(brightest, dtype=float),
        visible_duration_s=np.where(visible, lit_time[wanted], 0.0),
        timing_uncertainty_s=np.array(bands, dtype=float),
        orbit_number=orbits,
        id=ids,
        norad_id=np.full(wanted.size, track.satellite.norad_id, dtype=np.int64),
        satellite_name=track.satellite.name,
        min_elevation_deg=min_elevation_deg,
    )


def _pass_ids(
    track: Track, observers: Sequence[Observer] | None, owner: Index, culmination_s: Array
) -> tuple[NDArray[np.int64], NDArray[np.str_]]:
    """The orbit number and id of each wanted pass (NO_ORBIT and "" without observers, or for
    a trajectory with no elements to number its revolutions)."""
    elements = getattr(track.satellite, "elements", None) or getattr(track.satellite, "reference", None)
    if observers is None or elements is None:
        return np.full(owner.size, NO_ORBIT, dtype=np.int64), np.full(owner.size, "", dtype=np.str_)
    latitude = np.array([observers[int(k)].latitude_deg for k in owner], dtype=float)
    numbers = pass_orbit_numbers(elements, track.t0.timestamp() + culmination_s, latitude)
    norad = track.satellite.norad_id
    ids = [
        pass_id(norad, int(n), observers[int(k)].latitude_deg, observers[int(k)].longitude_deg)
        for n, k in zip(numbers, owner, strict=True)
    ]
    return numbers.astype(np.int64), np.array(ids, dtype=np.str_) if ids else np.full(0, "", dtype=np.str_)


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
