"""The passes of one track over one chunk of observers, from sampled altitudes to Pass objects.

Altitude peaks, their crossings of the minimum elevation and of the horizon, the window, the types.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from ..model import Observer, Pass, PassType
from ..passtable import PassTable, concat_tables
from ..sky import Array, Sites, sin_altitude_grid
from .assemble import assemble_table
from .prescreen import could_be_visible
from .roots import (
    Brackets,
    Evaluate,
    Index,
    Intervals,
    crossing_brackets,
    find_peaks,
    merge_peaks,
    solve_crossings,
)
from .track import Track
from .visibility import classify_passes

#: Rule out peaks that cannot be visible before refining them when only visible passes are
#: wanted (:mod:`.prescreen`); off only to check that it changes nothing.
PRESCREEN = True

#: Observers × grid samples searched in one batch: the batch's arrays (a few of this many
#: floats each) stay in the processor's reach whatever the window; 1.5 million is some 300
#: observers over 10 days of the ISS, 50 over 60 days.
BATCH_CELLS = 1_500_000


def observer_passes(
    track: Track,
    sites: Sites,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
    observers: Sequence[Observer] | None = None,
) -> list[list[Pass]]:
    """All passes of the track over a chunk of sites: one list per site.

    ``observers``, the sites as given, give the passes their orbit numbers and ids.
    """
    table = observer_table(track, sites, min_elevation_deg, twilight_deg, visible_only, observers)
    return table.per_observer(len(sites))


def observer_table(
    track: Track,
    sites: Sites,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
    observers: Sequence[Observer] | None = None,
) -> PassTable:
    """All passes of the track over a chunk of sites as a :class:`PassTable` (observer = site index).

    Searched in batches of at most :data:`BATCH_CELLS` observers × samples.
    """
    per_batch = max(1, BATCH_CELLS // track.grid.size)
    if len(sites) > per_batch:
        return concat_tables([
            observer_table(
                track, sites.take(slice(first, first + per_batch)), min_elevation_deg, twilight_deg,
                visible_only, None if observers is None else observers[first : first + per_batch],
            ).shifted(first)
            for first in range(0, len(sites), per_batch)
        ])  # fmt: skip
    screen = twilight_deg if visible_only and PRESCREEN else None
    passes, horizon_start, horizon_end = _passes_above(track, sites, min_elevation_deg, screen)
    count = passes.peak.size

    lit, types = classify_passes(
        passes, horizon_start, horizon_end, track.shadow, sites, track.orbit.sun, twilight_deg
    )
    wanted = np.flatnonzero(types == PassType.VISIBLE) if visible_only else np.arange(count)
    return assemble_table(
        track, sites, passes, horizon_start, horizon_end, lit, types, wanted, min_elevation_deg, observers
    )


def _passes_above(
    track: Track, sites: Sites, min_elevation_deg: float, visible_twilight_deg: float | None = None
) -> tuple[Intervals, Array, Array]:
    """The passes above ``min_elevation_deg`` overlapping the window, and their horizon crossings (s).

    Peaks of the sine of the altitude, refined; the crossings of the minimum elevation and
    of the horizon on either side, all solved in one batch; peaks sharing a pass merged.
    With ``visible_twilight_deg``, peaks whose pass cannot be visible under that twilight
    are dropped before refinement (the visible passes are the same, fewer others remain).
    """
    grid = track.grid
    evaluate = track.altitude_evaluator(sites)
    z, z_rate = sin_altitude_grid(sites, track.r_itrs, track.v_itrs)
    level = math.sin(math.radians(min_elevation_deg))
    near = track.peak_candidates(sites, min_elevation_deg)
    candidate = near
    if visible_twilight_deg is not None:
        visible = could_be_visible(grid, z, track.shadow, sites, track.orbit.sun, visible_twilight_deg)

        def candidate(owner: Index, index: Index) -> NDArray[np.bool_]:
            keep = near(owner, index)
            which = np.flatnonzero(keep)
            keep[which] = visible(owner[which], index[which])
            return keep

    return refine_passes(grid, z, z_rate, evaluate, candidate, level, track.duration_s)


def refine_passes(
    grid: Array,
    z: Array,
    z_rate: Array,
    evaluate: Evaluate,
    candidate: Callable[[Index, Index], NDArray[np.bool_]],
    level: float,
    duration_s: float,
) -> tuple[Intervals, Array, Array]:
    """The passes in sampled rows of the sine of the altitude ``z`` (and its rate), refined.

    The peaks ``candidate`` keeps, refined; those reaching ``level`` (the sine of the minimum
    elevation) with their crossings of it and of the horizon, all solved in one batch; peaks
    sharing a pass merged; the passes overlapping the window (0…``duration_s``) kept, with
    their horizon crossings (s). Rows are whatever the caller's ``evaluate`` makes them.
    """
    owner, peak, value = find_peaks(grid, z, z_rate, evaluate, candidate)
    keep = value >= level
    owner, peak, value = owner[keep], peak[keep], value[keep]
    rise, fall = crossing_brackets(grid, z, level, owner, peak, value)
    h_rise, h_fall = crossing_brackets(grid, z, 0.0, owner, peak, value)
    times = solve_crossings(Brackets.join([rise, fall, h_rise, h_fall]), evaluate).reshape(4, -1)
    chosen = merge_peaks(owner, times[0], value)
    passes = Intervals(owner[chosen], times[0][chosen], peak[chosen], times[1][chosen], value[chosen])
    horizon_start, horizon_end = times[2][chosen], times[3][chosen]
    overlap = (passes.end >= 0.0) & (passes.start <= duration_s)
    return passes.take(overlap), horizon_start[overlap], horizon_end[overlap]


def chunk_table(
    track: Track,
    observers: Sequence[Observer],
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
) -> PassTable:
    """:func:`observer_table` for a chunk of :class:`Observer` objects: the unit of work that
    runs in this process, in a worker process or on a cluster (a table pickles small)."""
    sites = Sites.from_geodetic(
        [o.latitude_deg for o in observers],
        [o.longitude_deg for o in observers],
        [o.elevation_m for o in observers],
    )
    thresholds = float(min_elevation_deg), float(twilight_deg)
    return observer_table(track, sites, *thresholds, visible_only, observers)
