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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from numpy.typing import NDArray

from .brightness import apparent_magnitude
from .elements import Satellite, load_satellite
from .freshness import timing_uncertainty_s
from .model import Observer, Pass, PassPoint, PassType
from .sky import (
    Array,
    Orbit,
    Sites,
    SunTrack,
    look,
    shadow_depth,
    sin_altitude,
    sin_altitude_grid,
    sun_altitude_deg,
)

#: PRODUCT defaults: the minimum elevation of a pass and the twilight altitude of the Sun.
DEFAULT_MIN_ELEVATION_DEG = 10.0
DEFAULT_TWILIGHT_DEG = -6.0
DEFAULT_DAYS = 10.0
#: Bisection stops at this bracket width (s); a final secant step then lands within ms.
_BRACKET_S = 0.25
#: Newton steps stop once they move a crossing by less than this (s).
_NEWTON_TOL_S = 1e-4
#: Grid samples per orbit: peaks of altitude and of shadow depth are half an orbit apart.
_SAMPLES_PER_ORBIT = 32
#: Samples per lit segment for the brightest magnitude (the curve is smooth and gentle).
_BRIGHTNESS_SAMPLES = 24
_MAX_DAYS = 366.0
DEFAULT_CHUNK = 256

Index = NDArray[np.intp]
Evaluate = Callable[[Array, Index], tuple[Array, Array]]


# --------------------------------------------------------------------------- roots


def _bisect(fun: Callable[[Array], Array], lo: Array, hi: Array, f_lo: Array, f_hi: Array) -> Array:
    """Vectorised root of ``fun`` in brackets whose end values differ in sign.

    Bisects until every bracket is narrower than ``_BRACKET_S``, then takes two
    regula-falsi steps inside it (the functions here are smooth at that scale, so the
    error drops from milliseconds to microseconds).
    """
    if lo.size == 0:
        return lo.copy()
    width = float(np.max(hi - lo))
    steps = math.ceil(math.log2(width / _BRACKET_S)) if width > _BRACKET_S else 0
    negative_left = f_lo < 0
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        f_mid = fun(mid)
        go_right = (f_mid < 0) == negative_left
        lo = np.where(go_right, mid, lo)
        f_lo = np.where(go_right, f_mid, f_lo)
        hi = np.where(go_right, hi, mid)
        f_hi = np.where(go_right, f_hi, f_mid)
    x = _secant(lo, hi, f_lo, f_hi)
    f_x = fun(x)
    go_right = (f_x < 0) == negative_left
    lo, f_lo = np.where(go_right, x, lo), np.where(go_right, f_x, f_lo)
    hi, f_hi = np.where(go_right, hi, x), np.where(go_right, f_hi, f_x)
    return _secant(lo, hi, f_lo, f_hi)


def _secant(lo: Array, hi: Array, f_lo: Array, f_hi: Array) -> Array:
    """Where the chord through the bracket's ends crosses zero (kept inside the bracket)."""
    span = f_lo - f_hi
    weight = np.divide(f_lo, span, out=np.full_like(span, 0.5), where=span != 0)
    return lo + np.clip(weight, 0.0, 1.0) * (hi - lo)


def _newton(
    fun: Callable[[Array, Index], tuple[Array, Array]], lo: Array, hi: Array, f_lo: Array, f_hi: Array
) -> Array:
    """Vectorised safeguarded Newton: roots of ``fun(x, which)`` (value, derivative) in brackets.

    ``which`` says which brackets the points belong to. Starts from the secant point; a
    step that would leave the (shrinking) bracket is replaced by bisection, so it converges
    whenever the bracket holds a sign change. Converged brackets drop out.
    """
    lo, hi = lo.astype(float), hi.astype(float)
    if lo.size == 0:
        return lo.copy()
    x = _secant(lo, hi, f_lo, f_hi)
    negative_left = f_lo < 0
    active = np.arange(x.size)  # only brackets still converging are evaluated again
    for _ in range(60):
        xa = x[active]
        f, slope = fun(xa, active)
        right = (f < 0) == negative_left[active]
        lo_a = np.where(right, xa, lo[active])
        hi_a = np.where(right, hi[active], xa)
        lo[active], hi[active] = lo_a, hi_a
        with np.errstate(divide="ignore", invalid="ignore"):
            step = xa - f / slope
        inside = np.isfinite(step) & (step > lo_a) & (step < hi_a)
        new = np.where(inside, step, 0.5 * (lo_a + hi_a))
        x[active] = new
        active = active[np.abs(new - xa) >= _NEWTON_TOL_S]
        if active.size == 0:
            break
    return x


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Intervals:
    """Maximal intervals where a sampled function is at or above a level (seconds).

    ``owner`` is the row (observer) each interval belongs to.
    """

    owner: Index
    start: Array
    peak: Array
    end: Array
    peak_value: Array

    def take(self, keep: NDArray[np.bool_] | Index) -> Intervals:
        return Intervals(
            self.owner[keep], self.start[keep], self.peak[keep], self.end[keep], self.peak_value[keep]
        )


def find_peaks(
    grid: Array,
    y: Array,
    rate: Array,
    evaluate: Evaluate,
    candidate: Callable[[Index, Index], NDArray[np.bool_]] | None = None,
) -> tuple[Index, Array, Array]:
    """Local maxima of each row of ``y`` (k, n), refined on the derivative ``rate``.

    ``candidate(owner, index)`` may rule out samples whose peak cannot matter. Returns
    the owner row, the time and the value of every peak.
    """
    owner, inner = np.nonzero((y[:, 1:-1] > y[:, :-2]) & (y[:, 1:-1] >= y[:, 2:]))
    inner = inner + 1
    if candidate is not None and owner.size:
        keep = candidate(owner, inner)
        owner, inner = owner[keep], inner[keep]
    r_lo, r_hi = rate[owner, inner - 1], rate[owner, inner + 1]
    bracketed = (r_lo > 0) & (r_hi < 0)
    peak = grid[inner].astype(float)
    if np.any(bracketed):
        who = owner[bracketed]
        peak[bracketed] = _bisect(
            lambda s: evaluate(s, who)[1],
            grid[inner[bracketed] - 1],
            grid[inner[bracketed] + 1],
            r_lo[bracketed],
            r_hi[bracketed],
        )
    value = evaluate(peak, owner)[0] if peak.size else peak
    sample = y[owner, inner]
    better_sample = value < sample  # never report a peak lower than a sample beside it
    return owner, np.where(better_sample, grid[inner], peak), np.where(better_sample, sample, value)


@dataclass(frozen=True)
class _Brackets:
    """Brackets of level crossings: [lo, hi] with the function (minus level) at both ends."""

    owner: Index
    lo: Array
    hi: Array
    f_lo: Array
    f_hi: Array
    level: Array
    known: NDArray[np.bool_]  # False where the grid has no sample below the level on that side
    fallback: Array  # the grid's end on that side, for the unknown ones

    @staticmethod
    def join(parts: Sequence[_Brackets]) -> _Brackets:
        return _Brackets(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in _Brackets.__dataclass_fields__)
        )


def crossing_brackets(
    grid: Array, y: Array, level: float, owner: Index, peak: Array, peak_value: Array
) -> tuple[_Brackets, _Brackets]:
    """Brackets of the upward and downward crossings of ``level`` around each peak.

    The function rises monotonically from the previous trough to a peak, so the last
    sample below the level before the peak brackets the crossing uniquely. Where the
    grid has no sample below the level on a side, the bracket is marked unknown.
    """
    n = grid.size
    index = np.arange(n)
    rows, row = np.unique(owner, return_inverse=True)  # row: each peak's row in the arrays below
    below = y[rows] < level
    last_below = np.maximum.accumulate(np.where(below, index, -1), axis=1)
    first_below = np.minimum.accumulate(np.where(below, index, n)[:, ::-1], axis=1)[:, ::-1]
    k = np.clip(np.searchsorted(grid, peak, side="right") - 1, 0, n - 1)
    levels = np.full(owner.size, level)

    lb = last_below[row, k]
    rise_known = lb >= 0
    lb = np.maximum(lb, 0)
    nxt = np.minimum(lb + 1, n - 1)
    take_grid = grid[nxt] < peak
    rise = _Brackets(
        owner,
        grid[lb],
        np.where(take_grid, grid[nxt], peak),
        y[owner, lb] - level,
        np.where(take_grid, y[owner, nxt], peak_value) - level,
        levels,
        rise_known,
        np.full(owner.size, grid[0]),
    )
    after = np.minimum(k + 1, n - 1)
    fb = np.where(k + 1 < n, first_below[row, after], n)
    set_known = fb < n
    fb = np.minimum(fb, n - 1)
    prv = np.maximum(fb - 1, 0)
    take_grid = grid[prv] > peak
    fall = _Brackets(
        owner,
        np.where(take_grid, grid[prv], peak),
        grid[fb],
        np.where(take_grid, y[owner, prv], peak_value) - level,
        y[owner, fb] - level,
        levels,
        set_known,
        np.full(owner.size, grid[-1]),
    )
    return rise, fall


def solve_crossings(brackets: _Brackets, evaluate: Evaluate) -> Array:
    """Refine all brackets at once (Newton on the analytic rate); unknown ones get the grid's end."""
    result = brackets.fallback.astype(float)
    known = brackets.known
    if np.any(known):
        who = brackets.owner[known]
        level = brackets.level[known]

        def fun(s: Array, which: Index) -> tuple[Array, Array]:
            value, rate = evaluate(s, who[which])
            return value - level[which], rate

        result[known] = _newton(
            fun, brackets.lo[known], brackets.hi[known], brackets.f_lo[known], brackets.f_hi[known]
        )
    return result


def merge_peaks(owner: Index, start: Array, value: Array) -> Index:
    """Peaks sharing one interval above the level are one pass: the indices of the highest."""
    if value.size < 2:
        return np.arange(value.size)
    order = np.lexsort((-value, start, owner))
    first = np.ones(order.size, dtype=bool)
    first[1:] = (start[order][1:] != start[order][:-1]) | (owner[order][1:] != owner[order][:-1])
    return np.sort(order[first])


def intervals_above(grid: Array, y: Array, rate: Array, level: float, evaluate: Evaluate) -> Intervals:
    """Every maximal interval of each row with ``y >= level``, its peak time and value."""
    owner, peak, value = find_peaks(grid, y, rate, evaluate)
    keep = value >= level
    owner, peak, value = owner[keep], peak[keep], value[keep]
    rise, fall = crossing_brackets(grid, y, level, owner, peak, value)
    both = solve_crossings(_Brackets.join([rise, fall]), evaluate)
    start, end = both[: peak.size], both[peak.size :]
    chosen = merge_peaks(owner, start, value)
    return Intervals(owner[chosen], start[chosen], peak[chosen], end[chosen], value[chosen])


# --------------------------------------------------------------------------- the window


@dataclass(frozen=True)
class Track:
    """One satellite over one window: everything that does not depend on the observer."""

    satellite: Satellite
    orbit: Orbit
    grid: Array  # seconds from t0
    r_itrs: Array
    v_itrs: Array
    shadow: Intervals  # the satellite's eclipses
    duration_s: float
    step_s: float

    @property
    def t0(self) -> datetime:
        return datetime.fromtimestamp(self.orbit.sun.t0_unix, tz=timezone.utc)

    @classmethod
    def build(cls, satellite: Satellite, start: datetime, duration_s: float) -> Track:
        period = satellite.elements.period_s
        step = min(max(period / _SAMPLES_PER_ORBIT, 5.0), 600.0)
        pad = max(period, 1800.0)
        count = math.ceil((duration_s + 2 * pad) / step) + 1
        grid = -pad + step * np.arange(count)
        t0 = start.timestamp()
        orbit = Orbit(satellite.elements.satrec, SunTrack.build(t0, grid[0], grid[-1]))
        r_teme, v_teme = orbit.teme(grid)
        r_itrs, v_itrs = orbit.to_itrs(grid, r_teme, v_teme)

        def shadow(s: Array, _: Index) -> tuple[Array, Array]:
            r, v = orbit.teme(s)
            return shadow_depth(r, v, orbit.sun.geometric_teme_km(s))

        depth, depth_rate = shadow_depth(r_teme, v_teme, orbit.sun.geometric_teme_km(grid))
        shade = intervals_above(grid, depth[None, :], depth_rate[None, :], 0.0, shadow)
        return cls(satellite, orbit, grid, r_itrs, v_itrs, shade, duration_s, step)

    def altitude_evaluator(self, sites: Sites) -> Evaluate:
        def evaluate(s: Array, owner: Index) -> tuple[Array, Array]:
            r, v = self.orbit.itrs(s)
            return sin_altitude(sites.take(owner), r, v)

        return evaluate

    def peak_candidates(
        self, sites: Sites, min_elevation_deg: float
    ) -> Callable[[Index, Index], NDArray[np.bool_]]:
        """Rule out sampled peaks too far away to reach the minimum elevation.

        The true peak lies within one step of the sample, and in a step the satellite moves
        at most ``v_max · step``; so if the sampled range exceeds the slant range at the
        minimum elevation by more than that, the pass cannot reach it. Generous margins:
        half a degree of elevation (geodetic vs geocentric horizon) and 20 % of the motion.
        """
        r_max = float(np.max(np.sqrt(np.sum(self.r_itrs**2, axis=0)))) * 1.001
        reach = 1.2 * float(np.max(np.sqrt(np.sum(self.v_itrs**2, axis=0)))) * self.step_s
        radius = np.sqrt(np.sum(sites.position_km**2, axis=0))
        e = math.radians(min_elevation_deg - 0.5)
        slant = np.sqrt(np.maximum(r_max**2 - (radius * math.cos(e)) ** 2, 0.0)) - radius * math.sin(e)

        def candidate(owner: Index, index: Index) -> NDArray[np.bool_]:
            rho = self.r_itrs[:, index] - sites.position_km[:, owner]
            return np.sqrt(np.sum(rho**2, axis=0)) - reach <= slant[owner]

        return candidate


# --------------------------------------------------------------------------- passes


@dataclass(frozen=True)
class _Segments:
    """Pieces of per-pass intervals: which pass, and [start, end] in seconds."""

    owner: Index
    start: Array
    end: Array


def lit_segments(a: Array, b: Array, shadow_start: Array, shadow_end: Array) -> _Segments:
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
    return _Segments(np.concatenate(owners), np.concatenate(starts), np.concatenate(ends))


def _first_between(sorted_times: Array, a: Array, b: Array) -> Array:
    """For each [a, b], the first of ``sorted_times`` strictly inside it, else NaN."""
    if sorted_times.size == 0:
        return np.full(a.shape, np.nan)
    j = np.searchsorted(sorted_times, a, side="right")
    found = sorted_times[np.minimum(j, sorted_times.size - 1)]
    return np.where((j < sorted_times.size) & (found < b), found, np.nan)


def _per_owner(count: int, owner: Index, values: Array, ufunc: np.ufunc, initial: float) -> Array:
    out = np.full(count, initial)
    ufunc.at(out, owner, values)
    return out


def _min_sun_altitude(
    sites: Sites, sun: SunTrack, pass_owner: Index, segments: _Segments, count: int
) -> Array:
    """The lowest apparent Sun altitude over each pass's segments (degrees; +inf if none).

    Over minutes the Sun's altitude is a smooth, nearly quadratic curve; evaluating the
    ends, the middle and the vertex of the parabola through them finds its minimum.
    """
    a, b = segments.start, segments.end
    m = 0.5 * (a + b)
    who = sites.take(np.tile(pass_owner[segments.owner], 3))
    alt = sun_altitude_deg(who, sun, np.concatenate([a, m, b])).reshape(3, -1)
    f_a, f_m, f_b = alt
    curvature = f_a - 2 * f_m + f_b
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = m + 0.5 * (b - a) * (f_a - f_b) / (2 * curvature)
    inside = (curvature > 0) & (vertex > a) & (vertex < b)
    lows = alt.min(axis=0)
    if np.any(inside):
        at_vertex = sun_altitude_deg(sites.take(pass_owner[segments.owner[inside]]), sun, vertex[inside])
        lows[inside] = np.minimum(lows[inside], at_vertex)
    return _per_owner(count, segments.owner, lows, np.minimum, np.inf)


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
    times = solve_crossings(_Brackets.join([rise, fall, h_rise, h_fall]), evaluate).reshape(4, -1)
    chosen = merge_peaks(owner, times[0], value)
    passes = Intervals(owner[chosen], times[0][chosen], peak[chosen], times[1][chosen], value[chosen])
    horizon_start, horizon_end = times[2][chosen], times[3][chosen]
    overlap = (passes.end >= 0.0) & (passes.start <= track.duration_s)
    passes = passes.take(overlap)
    horizon_start, horizon_end = horizon_start[overlap], horizon_end[overlap]
    count = passes.peak.size

    shade = track.shadow
    lit = lit_segments(passes.start, passes.end, shade.start, shade.end)
    has_lit = np.bincount(lit.owner, minlength=count) > 0
    dark = np.zeros(count, dtype=bool)
    if np.any(has_lit):
        candidates = np.flatnonzero(has_lit)
        sky = lit_segments(horizon_start[candidates], horizon_end[candidates], shade.start, shade.end)
        low = _min_sun_altitude(sites, track.orbit.sun, passes.owner[candidates], sky, candidates.size)
        dark[candidates] = low < twilight_deg
    kind = np.where(has_lit, np.where(dark, 1, 2), 3)  # 1 visible, 2 daylight, 3 unlit
    wanted = np.flatnonzero(kind == 1) if visible_only else np.arange(count)

    result: list[list[Pass]] = [[] for _ in range(len(sites))]
    if wanted.size == 0:
        return result
    built = _assemble(track, sites, passes, horizon_start, horizon_end, lit, kind, wanted, min_elevation_deg)
    for index, item in zip(wanted.tolist(), built, strict=True):
        result[int(passes.owner[index])].append(item)
    return result


_KINDS = {1: PassType.VISIBLE, 2: PassType.DAYLIGHT, 3: PassType.UNLIT}


def _assemble(
    track: Track,
    sites: Sites,
    passes: Intervals,
    horizon_start: Array,
    horizon_end: Array,
    lit: _Segments,
    kind: NDArray[np.int_],
    wanted: Index,
    min_elevation_deg: float,
) -> list[Pass]:
    """Evaluate every event of the wanted passes in one batch and build the :class:`Pass` objects."""
    count = passes.peak.size
    nan = np.full(count, np.nan)
    appears = _per_owner(count, lit.owner, lit.start, np.minimum, np.inf)
    disappears = _per_owner(count, lit.owner, lit.end, np.maximum, -np.inf)
    lit_time = _per_owner(count, lit.owner, lit.end - lit.start, np.add, 0.0)
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

    entry = _first_between(track.shadow.start, horizon_start, horizon_end)
    exit_ = _first_between(track.shadow.end, horizon_start, horizon_end)

    columns = [passes.start, passes.peak, passes.end, horizon_start, horizon_end,
               appears, highest, disappears, entry, exit_]  # fmt: skip
    on_edge = [False, False, False, False, False, True, True, True, True, True]
    table = np.stack([c[wanted] for c in columns])  # (10, w)
    present = np.isfinite(table)
    owners = np.broadcast_to(passes.owner[wanted], table.shape)
    view = look(track.orbit, sites.take(owners[present]), table[present])
    sunlit = view.sunlit | np.broadcast_to(np.array(on_edge)[:, None], table.shape)[present]
    std_mag = track.satellite.standard_magnitude
    if std_mag is None:
        magnitudes = np.full(view.range_km.shape, np.nan)
    else:
        magnitudes = np.where(
            sunlit, apparent_magnitude(std_mag, view.range_km, view.phase_angle_rad), np.nan
        )
    fields = {
        "altitude": view.altitude_deg,
        "azimuth": view.azimuth_deg,
        "range": view.range_km,
        "sun": view.sun_altitude_deg,
        "sunlit": sunlit,
        "magnitude": magnitudes,
    }
    grids = {}
    for name, values in fields.items():
        full = np.full(table.shape, np.nan if name != "sunlit" else False, dtype=values.dtype)
        full[present] = values
        grids[name] = full

    brightest = np.full(wanted.size, np.nan)
    if std_mag is not None:
        position = np.full(count, -1)
        position[wanted] = np.arange(wanted.size)
        mine = position[lit.owner] >= 0
        if np.any(mine):
            fractions = np.linspace(0.0, 1.0, _BRIGHTNESS_SAMPLES)
            seg_start, seg_end = lit.start[mine], lit.end[mine]
            samples = (seg_start[:, None] + fractions[None, :] * (seg_end - seg_start)[:, None]).ravel()
            sample_owner = np.repeat(lit.owner[mine], _BRIGHTNESS_SAMPLES)
            sampled = look(track.orbit, sites.take(passes.owner[sample_owner]), samples)
            mags = apparent_magnitude(std_mag, sampled.range_km, sampled.phase_angle_rad)
            brightest = _per_owner(wanted.size, position[sample_owner], mags, np.minimum, np.inf)
            brightest = np.fmin(brightest, grids["magnitude"][6])
            brightest[~np.isfinite(brightest)] = np.nan  # unlit passes have none

    t0 = track.t0
    elements = track.satellite.elements
    result = []
    for col in range(wanted.size):
        index = int(wanted[col])

        def point(row: int, col: int = col) -> PassPoint | None:
            when = table[row, col]
            if not np.isfinite(when):
                return None
            mag = grids["magnitude"][row, col]
            return PassPoint(
                time=t0 + timedelta(seconds=float(when)),
                altitude_deg=float(grids["altitude"][row, col]),
                azimuth_deg=float(grids["azimuth"][row, col]),
                range_km=float(grids["range"][row, col]),
                sun_altitude_deg=float(grids["sun"][row, col]),
                sunlit=bool(grids["sunlit"][row, col]),
                magnitude=None if np.isnan(mag) else float(mag),
            )

        pass_kind = _KINDS[int(kind[index])]
        highest_point = point(6)
        culmination = point(1)
        assert culmination is not None
        result.append(
            Pass(
                type=pass_kind,
                rise=point(0),  # type: ignore[arg-type]
                culmination=culmination,
                set=point(2),  # type: ignore[arg-type]
                appears=point(5),
                highest=highest_point,
                disappears=point(7),
                horizon_rise=point(3),  # type: ignore[arg-type]
                horizon_set=point(4),  # type: ignore[arg-type]
                shadow_entry=point(8),
                shadow_exit=point(9),
                magnitude=None if highest_point is None else highest_point.magnitude,
                brightest_magnitude=None if np.isnan(brightest[col]) else float(brightest[col]),
                visible_duration_s=float(lit_time[index]) if pass_kind is PassType.VISIBLE else 0.0,
                min_elevation_deg=min_elevation_deg,
                timing_uncertainty_s=timing_uncertainty_s(elements, culmination.time),
            )
        )
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
