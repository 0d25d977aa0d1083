"""Rule out sampled altitude peaks that cannot become visible passes, before refining them.

Conservative bounds only: a peak kept may turn out invisible, a peak dropped never could be visible.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from ..sky import Array, Sites, SunTrack, sun_altitude_deg
from .roots import Index, Intervals

#: An upper bound on how fast the Sun's altitude changes anywhere on Earth (degrees per
#: second): the Earth turns 0.00418°/s against the Sun, whose own motion adds ~0.00001°/s.
SUN_ALTITUDE_RATE_DEG_S = 0.005
#: Added to the twilight altitude before a peak is ruled out for a bright sky (degrees).
SUN_MARGIN_DEG = 0.05
#: How many samples to walk out from a peak looking for one below the horizon; a pass
#: longer than that is bounded by the grid's ends instead (and so kept).
_MAX_WALK = 64


def horizon_bounds(grid: Array, z: Array, owner: Index, index: Index) -> tuple[Array, Array]:
    """Times (s) that enclose the whole pass above the horizon around each sampled peak.

    ``z`` is the sampled sine of the altitude, one row per site. The refined peak lies
    between the samples beside ``index`` (the crossings are bracketed from the sample at or
    before it); the pass cannot extend past the nearest sample below the horizon beyond a
    sample either side of those, nor past the grid's ends.
    """
    n = grid.size
    lo, hi = np.maximum(index - 2, 0), np.minimum(index + 2, n - 1)
    for step, bound in ((-1, lo), (1, hi)):
        active = np.flatnonzero(z[owner, bound] >= 0.0)
        for _ in range(_MAX_WALK):
            if active.size == 0:
                break
            bound[active] = np.clip(bound[active] + step, 0, n - 1)
            at_end = bound[active] == (0 if step < 0 else n - 1)
            active = active[(z[owner[active], bound[active]] >= 0.0) & ~at_end]
        bound[active] = 0 if step < 0 else n - 1
    return grid[lo], grid[hi]


def in_one_shadow(lo: Array, hi: Array, shadow: Intervals) -> NDArray[np.bool_]:
    """True where [lo, hi] lies strictly inside one of the (sorted, disjoint) shadow intervals."""
    if shadow.start.size == 0:
        return np.zeros(lo.shape, dtype=bool)
    j = np.searchsorted(shadow.start, lo, side="left") - 1
    jj = np.maximum(j, 0)
    return (j >= 0) & (shadow.start[jj] < lo) & (hi < shadow.end[jj])


def sun_always_above(
    sites: Sites, sun: SunTrack, owner: Index, lo: Array, hi: Array, twilight_deg: float
) -> NDArray[np.bool_]:
    """True where the Sun stays above ``twilight_deg`` (plus a margin) throughout [lo, hi].

    From the altitudes at both ends and the bound on its rate, the lowest the Sun can be in
    between is where the two falling lines from the ends meet.
    """
    who = sites.take(np.concatenate([owner, owner]))
    alt = sun_altitude_deg(who, sun, np.concatenate([lo, hi])).reshape(2, -1)
    lowest = 0.5 * (alt[0] + alt[1]) - 0.5 * SUN_ALTITUDE_RATE_DEG_S * (hi - lo)
    lowest = np.minimum(lowest, alt.min(axis=0))
    return lowest >= twilight_deg + SUN_MARGIN_DEG


def could_be_visible(
    grid: Array, z: Array, shadow: Intervals, sites: Sites, sun: SunTrack, twilight_deg: float
) -> Callable[[Index, Index], NDArray[np.bool_]]:
    """A peak filter for :func:`~isspass.search.roots.find_peaks`: False for sampled peaks whose
    pass is in the Earth's shadow throughout, or under a Sun above the twilight throughout."""

    def candidate(owner: Index, index: Index) -> NDArray[np.bool_]:
        lo, hi = horizon_bounds(grid, z, owner, index)
        keep = ~in_one_shadow(lo, hi, shadow)
        if np.any(keep):
            which = np.flatnonzero(keep)
            keep[which] = ~sun_always_above(sites, sun, owner[which], lo[which], hi[which], twilight_deg)
        return keep

    return candidate
