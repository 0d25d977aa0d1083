"""The results of a batch of satellites over a chunk of observers: lit arcs, types and events of all at once.

What :mod:`.visibility` and :mod:`.assemble` do for one satellite, over passes of many; a table each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..brightness import apparent_magnitude
from ..model import Observer, PassType
from ..passtable import NO_ORBIT, PASS_TYPES, PassTable, microseconds_after
from ..revolutions import pass_id, pass_orbit_numbers
from ..sky import Array, Sites, SunTrack, look, teme_to_itrs
from .assemble import _BRIGHTNESS_SAMPLES, _LIT_BY_CONSTRUCTION, Event, event_times
from .fleet_track import FleetOrbits, FleetTrack
from .roots import Index, Intervals
from .visibility import Segments, min_sun_altitude, pass_types, per_owner


def searchsorted_rows(rows: Index, values: Array, q_rows: Index, q_values: Array, side: str) -> Index:
    """:func:`numpy.searchsorted` within rows: for each query, the index in ``values`` (sorted by
    ``rows``, then value) where it would go among the values of its own row.

    Exact (a merge of the two, no arithmetic on the values).

    >>> searchsorted_rows(np.array([0, 0, 1]), np.array([5.0, 9.0, 1.0]), np.array([0, 1, 1]),
    ...                   np.array([9.0, 0.0, 7.0]), "left").tolist()
    [1, 2, 3]
    """
    n, q = values.size, q_values.size
    if q == 0:
        return np.zeros(0, dtype=np.intp)
    data_first = side == "right"  # on a tie, a query goes after the data ("right") or before
    tie = np.concatenate([np.full(n, 0 if data_first else 1), np.full(q, 1 if data_first else 0)])
    order = np.lexsort((tie, np.concatenate([values, q_values]), np.concatenate([rows, q_rows])))
    position = np.empty(n + q, dtype=np.intp)
    position[order] = np.arange(n + q)
    mine = position[n:]
    ranked = np.argsort(mine, kind="stable")
    result = np.empty(q, dtype=np.intp)
    result[ranked] = mine[ranked] - np.arange(q)  # less the queries merged before it
    return result


def lit_segments_rows(a: Array, b: Array, row: Index, shadow: Intervals) -> Segments:
    """:func:`~isspass.search.visibility.lit_segments` where each [a, b] has its own shadow row."""
    first = searchsorted_rows(shadow.owner, shadow.end, row, a, "right")
    last = searchsorted_rows(shadow.owner, shadow.start, row, b, "left")
    overlaps = np.maximum(last - first, 0)
    owners, starts, ends = [], [], []
    cursor = a.copy()
    m = shadow.start.size
    for k in range(int(overlaps.max()) if overlaps.size else 0):
        active = k < overlaps
        j = np.minimum(first + k, m - 1)
        begin = shadow.start[j]
        piece = active & (begin > cursor)
        owners.append(np.flatnonzero(piece))
        starts.append(cursor[piece])
        ends.append(begin[piece])
        cursor = np.where(active, np.maximum(cursor, shadow.end[j]), cursor)
    tail = cursor < b
    owners.append(np.flatnonzero(tail))
    starts.append(cursor[tail])
    ends.append(b[tail])
    return Segments(np.concatenate(owners), np.concatenate(starts), np.concatenate(ends))


def first_between_rows(times: Array, times_row: Index, a: Array, b: Array, row: Index) -> Array:
    """:func:`~isspass.search.visibility.first_between`, each [a, b] looking in its own row of ``times``."""
    if times.size == 0:
        return np.full(a.shape, np.nan)
    j = searchsorted_rows(times_row, times, row, a, "right")
    jj = np.minimum(j, times.size - 1)
    return np.where((j < times.size) & (times_row[jj] == row) & (times[jj] < b), times[jj], np.nan)


@dataclass(frozen=True)
class _Points:
    """An orbit for points each of its own satellite (what :func:`isspass.sky.look` asks of an orbit)."""

    orbits: FleetOrbits
    which: Index
    sun: SunTrack

    def teme(self, s: Array) -> tuple[Array, Array]:
        return self.orbits.teme(np.asarray(s, dtype=float), self.which)

    def to_itrs(self, s: Array, r_teme: Array, v_teme: Array) -> tuple[Array, Array]:
        return teme_to_itrs(self.sun, s, r_teme, v_teme)


def fleet_results(
    fleet: FleetTrack,
    sites: Sites,
    passes: Intervals,
    satellite: Index,
    horizon_start: Array,
    horizon_end: Array,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
    observers: Sequence[Observer] | None = None,
) -> dict[int, PassTable]:
    """The tables of the passes (``owner`` = site, ``satellite`` = row in ``fleet``), by satellite.

    Each is the table :func:`~isspass.search.assemble.assemble_table` gives for that satellite
    alone; satellites without a wanted pass have none.
    """
    count = passes.peak.size
    lit = lit_segments_rows(passes.start, passes.end, satellite, fleet.shadow)
    has_lit = np.bincount(lit.owner, minlength=count) > 0
    dark = np.zeros(count, dtype=bool)
    if np.any(has_lit):
        c = np.flatnonzero(has_lit)
        sky = lit_segments_rows(horizon_start[c], horizon_end[c], satellite[c], fleet.shadow)
        dark[c] = min_sun_altitude(sites, fleet.sun, passes.owner[c], sky, c.size) < twilight_deg
    types = pass_types(has_lit, dark)
    wanted = np.flatnonzero(types == PassType.VISIBLE) if visible_only else np.arange(count)
    # Each satellite's rows together, each site's together within them, in the passes' order.
    wanted = wanted[np.lexsort((passes.owner[wanted], satellite[wanted]))]

    lit_time = per_owner(count, lit.owner, lit.end - lit.start, np.add, 0.0)
    none = Intervals(*(np.zeros(0, dtype=t) for t in (np.intp, float, float, float, float)))
    table = event_times(none, passes, horizon_start, horizon_end, lit)
    shadow = fleet.shadow
    table[Event.SHADOW_ENTRY] = first_between_rows(
        shadow.start, shadow.owner, horizon_start, horizon_end, satellite
    )
    table[Event.SHADOW_EXIT] = first_between_rows(
        shadow.end, shadow.owner, horizon_start, horizon_end, satellite
    )
    table = table[:, wanted]
    owner, whose = passes.owner[wanted], satellite[wanted]
    standard = np.array(
        [np.nan if s.standard_magnitude is None else s.standard_magnitude for s in fleet.satellites]
    )
    looks = _look_at_events(fleet, sites, owner, whose, table, standard[whose])
    brightest = _brightest_magnitudes(
        fleet, sites, passes.owner, satellite, lit, wanted, count, looks[-1][Event.HIGHEST], standard
    )
    codes = np.zeros(wanted.size, dtype=np.int8)
    for code, kind in enumerate(PASS_TYPES):
        codes[types[wanted] == kind] = code
    visible = types[wanted] == PassType.VISIBLE
    duration = np.where(visible, lit_time[wanted], 0.0)
    columns = [x.T.copy() for x in looks]

    result: dict[int, PassTable] = {}
    cuts = np.flatnonzero(np.diff(whose)) + 1
    for rows in np.split(np.arange(wanted.size), cuts) if wanted.size else []:
        k = int(whose[rows[0]])
        track = fleet.track(k)
        culmination = table[Event.CULMINATION, rows]
        orbits, ids = _pass_ids(fleet, k, observers, owner[rows], culmination)
        result[k] = PassTable(
            observer=owner[rows].astype(np.int64),
            time=microseconds_after(track.t0, table[:, rows].T),
            altitude_deg=columns[0][rows],
            azimuth_deg=columns[1][rows],
            range_km=columns[2][rows],
            sun_altitude_deg=columns[3][rows],
            sunlit=columns[4][rows],
            point_magnitude=columns[5][rows],
            type=codes[rows],
            brightest_magnitude=brightest[rows],
            visible_duration_s=duration[rows],
            timing_uncertainty_s=np.array(track.timing_uncertainties_s(culmination), dtype=float),
            orbit_number=orbits,
            id=ids,
            norad_id=np.full(rows.size, track.satellite.norad_id, dtype=np.int64),
            satellite_name=track.satellite.name,
            min_elevation_deg=min_elevation_deg,
        )
    return result


def _pass_ids(
    fleet: FleetTrack, k: int, observers: Sequence[Observer] | None, owner: Index, culmination_s: Array
) -> tuple[NDArray[np.int64], NDArray[np.str_]]:
    """The orbit number and id of each pass of satellite ``k`` (NO_ORBIT and "" without observers)."""
    if observers is None:
        return np.full(owner.size, NO_ORBIT, dtype=np.int64), np.full(owner.size, "", dtype=np.str_)
    satellite = fleet.satellites[k]
    latitude = np.array([observers[int(j)].latitude_deg for j in owner], dtype=float)
    numbers = pass_orbit_numbers(satellite.elements, fleet.sun.t0_unix + culmination_s, latitude)
    ids = [
        pass_id(satellite.norad_id, int(n), observers[int(j)].latitude_deg, observers[int(j)].longitude_deg)
        for n, j in zip(numbers, owner, strict=True)
    ]
    return numbers.astype(np.int64), np.array(ids, dtype=np.str_)


def _look_at_events(
    fleet: FleetTrack, sites: Sites, owner: Index, whose: Index, table: Array, standard: Array
) -> tuple[Array, ...]:
    """The satellite seen at every present time of ``table`` (events, passes): altitude, azimuth,
    range, the Sun's altitude, sunlit and magnitude, each (events, passes), NaN/False if none."""
    present = np.isfinite(table)
    owners = np.broadcast_to(owner, table.shape)[present]
    which = np.broadcast_to(whose, table.shape)[present]
    view = look(_Points(fleet.orbits, which, fleet.sun), sites.take(owners), table[present])  # type: ignore[arg-type]
    lit_rows = np.array([event in _LIT_BY_CONSTRUCTION for event in Event])
    sunlit = view.sunlit | np.broadcast_to(lit_rows[:, None], table.shape)[present]
    std = np.broadcast_to(standard, table.shape)[present]
    known = sunlit & np.isfinite(std)
    magnitudes = np.full(view.range_km.shape, np.nan)
    magnitudes[known] = apparent_magnitude(std[known], view.range_km[known], view.phase_angle_rad[known])  # type: ignore[arg-type]

    def spread(values: NDArray[np.generic], absent: float | bool) -> NDArray[np.generic]:
        full = np.full(table.shape, absent, dtype=values.dtype)
        full[present] = values
        return full

    return (
        spread(view.altitude_deg, np.nan),
        spread(view.azimuth_deg, np.nan),
        spread(view.range_km, np.nan),
        spread(view.sun_altitude_deg, np.nan),
        spread(sunlit, False),
        spread(magnitudes, np.nan),
    )


def _brightest_magnitudes(
    fleet: FleetTrack,
    sites: Sites,
    pass_owner: Index,
    satellite: Index,
    lit: Segments,
    wanted: Index,
    count: int,
    at_highest: Array,
    standard: Array,
) -> Array:
    """The brightest magnitude over each wanted pass's lit arc (NaN if unlit or unknown), as
    :func:`isspass.search.assemble._brightest_magnitudes` gives it for one satellite."""
    position = np.full(count, -1)
    position[wanted] = np.arange(wanted.size)
    mine = (position[lit.owner] >= 0) & np.isfinite(standard[satellite[lit.owner]])
    brightest = np.full(wanted.size, np.inf)
    if np.any(mine):
        fractions = np.linspace(0.0, 1.0, _BRIGHTNESS_SAMPLES)
        seg_start, seg_end = lit.start[mine], lit.end[mine]
        samples = (seg_start[:, None] + fractions[None, :] * (seg_end - seg_start)[:, None]).ravel()
        sample_owner = np.repeat(lit.owner[mine], _BRIGHTNESS_SAMPLES)
        which = satellite[sample_owner]
        sampled = look(_Points(fleet.orbits, which, fleet.sun), sites.take(pass_owner[sample_owner]), samples)  # type: ignore[arg-type]
        mags = apparent_magnitude(standard[which], sampled.range_km, sampled.phase_angle_rad)  # type: ignore[arg-type]
        brightest = per_owner(wanted.size, position[sample_owner], mags, np.minimum, np.inf)
    brightest = np.fmin(brightest, at_highest)
    brightest[~np.isfinite(brightest)] = np.nan
    brightest[~np.isfinite(standard[satellite[wanted]])] = np.nan
    return brightest
