"""Whether a person can see each pass: its sunlit parts, and how dark the sky is meanwhile.

Lit segments outside the Earth's shadow, the Sun's lowest altitude over them, and the PassType.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import PassType
from ..sky import Array, Sites, SunTrack, sun_altitude_deg
from .roots import Index, Intervals

#: One :class:`~isspass.PassType` member per pass (a numpy object array).
PassTypes = NDArray[np.object_]


@dataclass(frozen=True)
class Segments:
    """Pieces of per-pass intervals: which pass, and [start, end] in seconds."""

    owner: Index
    start: Array
    end: Array


def lit_segments(a: Array, b: Array, shadow_start: Array, shadow_end: Array) -> Segments:
    """The parts of each [a, b] outside the (sorted, disjoint) shadow intervals."""
    first = np.searchsorted(shadow_end, a, side="right")
    last = np.searchsorted(shadow_start, b, side="left")
    overlaps = np.maximum(last - first, 0)
    owners, starts, ends = [], [], []
    cursor = a.copy()
    m = shadow_start.size
    for k in range(int(overlaps.max()) if overlaps.size else 0):
        active = k < overlaps
        j = np.minimum(first + k, m - 1)
        begin = shadow_start[j]
        piece = active & (begin > cursor)
        owners.append(np.flatnonzero(piece))
        starts.append(cursor[piece])
        ends.append(begin[piece])
        cursor = np.where(active, np.maximum(cursor, shadow_end[j]), cursor)
    tail = cursor < b
    owners.append(np.flatnonzero(tail))
    starts.append(cursor[tail])
    ends.append(b[tail])
    return Segments(np.concatenate(owners), np.concatenate(starts), np.concatenate(ends))


def first_between(sorted_times: Array, a: Array, b: Array) -> Array:
    """For each [a, b], the first of ``sorted_times`` strictly inside it, else NaN."""
    if sorted_times.size == 0:
        return np.full(a.shape, np.nan)
    j = np.searchsorted(sorted_times, a, side="right")
    found = sorted_times[np.minimum(j, sorted_times.size - 1)]
    return np.where((j < sorted_times.size) & (found < b), found, np.nan)


def per_owner(count: int, owner: Index, values: Array, ufunc: np.ufunc, initial: float) -> Array:
    """``values`` reduced by ``ufunc`` into ``count`` slots, one per owner (``initial`` if none)."""
    out = np.full(count, initial)
    ufunc.at(out, owner, values)
    return out


def parabola_minimum(
    a: Array, m: Array, b: Array, f_a: Array, f_m: Array, f_b: Array
) -> tuple[Array, NDArray[np.bool_]]:
    """The vertex of the parabola through f at a, the midpoint m and b; True where it is a minimum inside."""
    curvature = f_a - 2 * f_m + f_b
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = m + 0.5 * (b - a) * (f_a - f_b) / (2 * curvature)
    return vertex, (curvature > 0) & (vertex > a) & (vertex < b)


def min_sun_altitude(sites: Sites, sun: SunTrack, pass_owner: Index, segments: Segments, count: int) -> Array:
    """The lowest apparent Sun altitude over each pass's segments (degrees; +inf if none).

    Over minutes the Sun's altitude is a smooth, nearly quadratic curve; evaluating the
    ends, the middle and the vertex of the parabola through them finds its minimum.
    """
    a, b = segments.start, segments.end
    m = 0.5 * (a + b)
    who = sites.take(np.tile(pass_owner[segments.owner], 3))
    alt = sun_altitude_deg(who, sun, np.concatenate([a, m, b])).reshape(3, -1)
    f_a, f_m, f_b = alt
    vertex, inside = parabola_minimum(a, m, b, f_a, f_m, f_b)
    lows = alt.min(axis=0)
    if np.any(inside):
        at_vertex = sun_altitude_deg(sites.take(pass_owner[segments.owner[inside]]), sun, vertex[inside])
        lows[inside] = np.minimum(lows[inside], at_vertex)
    return per_owner(count, segments.owner, lows, np.minimum, np.inf)


def pass_types(has_lit: NDArray[np.bool_], dark: NDArray[np.bool_]) -> PassTypes:
    """VISIBLE where lit with a dark sky, DAYLIGHT where lit under a bright one, else UNLIT."""
    types = np.empty(has_lit.size, dtype=object)
    types[:] = PassType.UNLIT  # not np.full, which would store the plain string "unlit"
    types[has_lit & dark] = PassType.VISIBLE
    types[has_lit & ~dark] = PassType.DAYLIGHT
    return types


def classify_passes(
    passes: Intervals,
    horizon_start: Array,
    horizon_end: Array,
    shadow: Intervals,
    sites: Sites,
    sun: SunTrack,
    twilight_deg: float,
) -> tuple[Segments, PassTypes]:
    """The lit segments of each pass (above the minimum elevation) and each pass's type.

    A pass is visible when some of it is lit and the Sun is below ``twilight_deg`` at some
    moment the satellite is lit above the true horizon (``horizon_start``…``horizon_end``).
    """
    count = passes.peak.size
    lit = lit_segments(passes.start, passes.end, shadow.start, shadow.end)
    has_lit = np.bincount(lit.owner, minlength=count) > 0
    dark = np.zeros(count, dtype=bool)
    if np.any(has_lit):
        candidates = np.flatnonzero(has_lit)
        sky = lit_segments(horizon_start[candidates], horizon_end[candidates], shadow.start, shadow.end)
        low = min_sun_altitude(sites, sun, passes.owner[candidates], sky, candidates.size)
        dark[candidates] = low < twilight_deg
    return lit, pass_types(has_lit, dark)
