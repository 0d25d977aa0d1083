"""Pass search: every pass over an observer, its lit arc, and whether a person can see it.

Sample coarsely, find the peaks of smooth functions (the sine of the altitude, the depth
in the Earth's shadow), refine each peak on its analytic derivative, then refine the
threshold crossings on either side. Peaks are found even when no sample lies above the
threshold, so a pass that crests it by a hair is never lost.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from .brightness import apparent_magnitude
from .elements import Satellite, load_satellite
from .freshness import timing_uncertainty_s
from .model import Observer, Pass, PassPoint, PassType
from .sky import (
    Array,
    Site,
    State,
    SunTrack,
    look,
    propagate,
    shadow_depth,
    sin_altitude,
    sun_altitude_deg,
)

#: PRODUCT defaults: the minimum elevation of a pass and the twilight altitude of the Sun.
DEFAULT_MIN_ELEVATION_DEG = 10.0
DEFAULT_TWILIGHT_DEG = -6.0
DEFAULT_DAYS = 10.0
#: Bisection stops at this bracket width (s); a final secant step then lands within ms.
_BRACKET_S = 0.25
#: Grid samples per orbit: peaks of altitude and of shadow depth are half an orbit apart.
_SAMPLES_PER_ORBIT = 32
_MAX_DAYS = 366.0

Evaluate = Callable[[Array], tuple[Array, Array]]


def _root(fun: Callable[[Array], Array], lo: Array, hi: Array, f_lo: Array, f_hi: Array) -> Array:
    """Vectorised root of ``fun`` in brackets whose end values differ in sign.

    Bisects until every bracket is narrower than ``_BRACKET_S``, then takes one secant
    step inside it (the functions here are smooth at that scale).
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    f_lo, f_hi = np.array(f_lo, dtype=float), np.array(f_hi, dtype=float)
    if lo.size == 0:
        return lo
    width = float(np.max(hi - lo))
    steps = max(0, math.ceil(math.log2(width / _BRACKET_S))) if width > _BRACKET_S else 0
    negative_left = f_lo < 0
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        f_mid = fun(mid)
        go_right = (f_mid < 0) == negative_left
        lo = np.where(go_right, mid, lo)
        f_lo = np.where(go_right, f_mid, f_lo)
        hi = np.where(go_right, hi, mid)
        f_hi = np.where(go_right, f_hi, f_mid)
    span = f_lo - f_hi
    weight = np.divide(f_lo, span, out=np.full_like(span, 0.5), where=span != 0)
    return lo + np.clip(weight, 0.0, 1.0) * (hi - lo)


@dataclass(frozen=True)
class Intervals:
    """Maximal intervals where a sampled function is at or above a level (seconds)."""

    start: Array
    peak: Array
    end: Array
    peak_value: Array


def find_peaks(grid: Array, y: Array, rate: Array, evaluate: Evaluate) -> tuple[Array, Array]:
    """Times and values of the local maxima of ``y``, refined on its derivative ``rate``."""
    inner = np.flatnonzero((y[1:-1] > y[:-2]) & (y[1:-1] >= y[2:])) + 1
    lo, hi = grid[inner - 1], grid[inner + 1]
    r_lo, r_hi = rate[inner - 1], rate[inner + 1]
    bracketed = (r_lo > 0) & (r_hi < 0)
    peak = np.where(bracketed, 0.0, grid[inner])
    if np.any(bracketed):
        peak[bracketed] = _root(
            lambda s: evaluate(s)[1], lo[bracketed], hi[bracketed], r_lo[bracketed], r_hi[bracketed]
        )
    value = evaluate(peak)[0] if peak.size else peak
    better_sample = value < y[inner]  # never report a peak lower than a sample beside it
    peak = np.where(better_sample, grid[inner], peak)
    value = np.where(better_sample, y[inner], value)
    return peak, value


def crossings(
    grid: Array, y: Array, level: float, peak: Array, peak_value: Array, evaluate: Evaluate
) -> tuple[Array, Array]:
    """Upward and downward crossings of ``level`` on either side of each peak (seconds).

    The function rises monotonically from the previous trough to a peak, so the last
    sample below the level before the peak brackets the crossing uniquely. Where the
    grid has no sample below the level on a side, the grid's end is returned.
    """
    n = grid.size
    index = np.arange(n)
    below = y < level
    last_below = np.maximum.accumulate(np.where(below, index, -1))
    first_below = np.minimum.accumulate(np.where(below, index, n)[::-1])[::-1]
    k = np.clip(np.searchsorted(grid, peak, side="right") - 1, 0, n - 1)

    def value(s: Array) -> Array:
        return evaluate(s)[0] - level

    lb = last_below[k]
    has_lb = lb >= 0
    lb_ok = lb[has_lb]
    nxt = np.minimum(lb_ok + 1, n - 1)
    take_grid = grid[nxt] < peak[has_lb]
    hi = np.where(take_grid, grid[nxt], peak[has_lb])
    f_hi = np.where(take_grid, y[nxt], peak_value[has_lb]) - level
    rise = np.full(peak.shape, grid[0])
    rise[has_lb] = _root(value, grid[lb_ok], hi, y[lb_ok] - level, f_hi)

    after = np.minimum(k + 1, n - 1)
    fb = np.where(k + 1 < n, first_below[after], n)
    has_fb = fb < n
    fb_ok = fb[has_fb]
    prv = fb_ok - 1
    take_grid = grid[prv] > peak[has_fb]
    lo = np.where(take_grid, grid[prv], peak[has_fb])
    f_lo = np.where(take_grid, y[prv], peak_value[has_fb]) - level
    fall = np.full(peak.shape, grid[-1])
    fall[has_fb] = _root(value, lo, grid[fb_ok], f_lo, y[fb_ok] - level)
    return rise, fall


def intervals_above(grid: Array, y: Array, rate: Array, level: float, evaluate: Evaluate) -> Intervals:
    """Every maximal interval with ``y >= level``, its peak time and peak value."""
    peak, value = find_peaks(grid, y, rate, evaluate)
    keep = value >= level
    peak, value = peak[keep], value[keep]
    start, end = crossings(grid, y, level, peak, value, evaluate)
    if peak.size > 1:
        # Two peaks inside one interval above the level are one pass: keep the higher.
        order = np.lexsort((-value, start))
        first = np.ones(order.size, dtype=bool)
        first[1:] = start[order][1:] != start[order][:-1]
        chosen = np.sort(order[first])
        start, peak, end, value = start[chosen], peak[chosen], end[chosen], value[chosen]
    return Intervals(start, peak, end, value)


# --------------------------------------------------------------------------- passes


@dataclass(frozen=True)
class _Context:
    """Everything the search of one satellite over one window shares."""

    satellite: Satellite
    t0_unix: float
    sun: SunTrack

    def state(self, s: Array) -> State:
        return propagate(self.satellite.elements.satrec, self.t0_unix, s, self.sun)

    def datetime(self, s: float) -> datetime:
        return datetime.fromtimestamp(self.t0_unix, tz=timezone.utc) + timedelta(seconds=float(s))


def _lit_segments(a: float, b: float, shadow_start: Array, shadow_end: Array) -> list[tuple[float, float]]:
    """The parts of [a, b] outside the (sorted, disjoint) shadow intervals."""
    segments = []
    cursor = a
    first = int(np.searchsorted(shadow_end, a, side="right"))
    for start, end in zip(shadow_start[first:], shadow_end[first:], strict=True):
        if start >= b:
            break
        if start > cursor:
            segments.append((cursor, float(start)))
        cursor = max(cursor, float(end))
    if cursor < b:
        segments.append((cursor, b))
    return segments


def _min_sun_altitude(site: Site, ctx: _Context, segments: list[tuple[float, float]]) -> float:
    """The lowest apparent Sun altitude over a few short intervals (degrees).

    Over minutes the Sun's altitude is a smooth, nearly quadratic curve; evaluating the
    ends, the middle and the vertex of the parabola through them finds its minimum.
    """
    a = np.array([seg[0] for seg in segments])
    b = np.array([seg[1] for seg in segments])
    m = 0.5 * (a + b)
    alt = sun_altitude_deg(site, ctx.t0_unix, np.concatenate([a, m, b]), ctx.sun).reshape(3, -1)
    f_a, f_m, f_b = alt
    half = 0.5 * (b - a)
    curvature = f_a - 2 * f_m + f_b
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = m + half * (f_a - f_b) / (2 * curvature)
    inside = (curvature > 0) & (vertex > a) & (vertex < b)
    lows = [float(alt.min())]
    if np.any(inside):
        lows.append(float(sun_altitude_deg(site, ctx.t0_unix, vertex[inside], ctx.sun).min()))
    return min(lows)


def _highest_time(segments: list[tuple[float, float]], peak: float) -> float:
    """The time of the highest point of a unimodal altitude curve over some intervals."""
    candidates = [min(max(peak, a), b) for a, b in segments]
    return min(candidates, key=lambda t: abs(t - peak))


def _sample_lit(segments: list[tuple[float, float]], step_s: float = 2.0) -> Array:
    return np.concatenate([np.linspace(a, b, max(2, int((b - a) / step_s) + 1)) for a, b in segments])


def search_passes(
    satellite: Satellite,
    observer: Observer,
    start: datetime,
    duration_s: float,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
) -> list[Pass]:
    """Find the passes overlapping [start, start + duration_s]; see :func:`find_passes`."""
    elements = satellite.elements
    period = elements.period_s
    step = min(max(period / _SAMPLES_PER_ORBIT, 5.0), 600.0)
    pad = max(period, 1800.0)
    count = math.ceil((duration_s + 2 * pad) / step) + 1
    grid = -pad + step * np.arange(count)
    t0 = start.timestamp()
    ctx = _Context(satellite, t0, SunTrack.build(t0, grid[0], grid[-1]))
    site = Site.from_geodetic(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)

    def altitude(s: Array) -> tuple[Array, Array]:
        return sin_altitude(site, ctx.state(s))

    def shadow(s: Array) -> tuple[Array, Array]:
        return shadow_depth(ctx.state(s))

    state = ctx.state(grid)
    z, z_rate = sin_altitude(site, state)
    passes = intervals_above(grid, z, z_rate, math.sin(math.radians(min_elevation_deg)), altitude)
    overlap = (passes.end >= 0.0) & (passes.start <= duration_s)
    passes = Intervals(*(getattr(passes, f)[overlap] for f in ("start", "peak", "end", "peak_value")))
    if passes.peak.size == 0:
        return []
    horizon_rise, horizon_set = crossings(grid, z, 0.0, passes.peak, passes.peak_value, altitude)
    depth, depth_rate = shadow_depth(state)
    shade = intervals_above(grid, depth, depth_rate, 0.0, shadow)

    results = []
    for i in range(passes.peak.size):
        rise, peak, fall = float(passes.start[i]), float(passes.peak[i]), float(passes.end[i])
        h_rise, h_set = float(horizon_rise[i]), float(horizon_set[i])
        lit = _lit_segments(rise, fall, shade.start, shade.end)
        if not lit:
            kind = PassType.UNLIT
        else:
            lit_above_horizon = _lit_segments(h_rise, h_set, shade.start, shade.end)
            dark = _min_sun_altitude(site, ctx, lit_above_horizon) < twilight_deg
            kind = PassType.VISIBLE if dark else PassType.DAYLIGHT
        if visible_only and kind is not PassType.VISIBLE:
            continue
        entries = shade.start[(shade.start > h_rise) & (shade.start < h_set)]
        exits = shade.end[(shade.end > h_rise) & (shade.end < h_set)]
        results.append(
            _assemble(
                ctx, site, kind, rise, peak, fall, h_rise, h_set, lit,
                float(entries[0]) if entries.size else None,
                float(exits[0]) if exits.size else None,
                min_elevation_deg,
            )
        )  # fmt: skip
    return results


def _assemble(
    ctx: _Context,
    site: Site,
    kind: PassType,
    rise: float,
    peak: float,
    fall: float,
    h_rise: float,
    h_set: float,
    lit: list[tuple[float, float]],
    shadow_entry: float | None,
    shadow_exit: float | None,
    min_elevation_deg: float,
) -> Pass:
    """Evaluate the geometry at a pass's events and build the :class:`Pass`."""
    std_mag = ctx.satellite.standard_magnitude
    times = [rise, peak, fall, h_rise, h_set]
    on_edge = [False] * 5
    if lit:
        times += [lit[0][0], _highest_time(lit, peak), lit[-1][1]]
        on_edge += [True] * 3
    optional = [shadow_entry, shadow_exit]
    for t in optional:
        if t is not None:
            times.append(t)
            on_edge.append(True)
    state = ctx.state(np.array(times))
    view = look(site, state)
    sunlit = (shadow_depth(state)[0] < 0) | np.array(on_edge)
    magnitudes = (
        apparent_magnitude(std_mag, view.range_km, view.phase_angle_rad)
        if std_mag is not None
        else np.full(len(times), np.nan)
    )

    def point(j: int) -> PassPoint:
        mag = float(magnitudes[j]) if sunlit[j] and np.isfinite(magnitudes[j]) else None
        return PassPoint(
            time=ctx.datetime(times[j]),
            altitude_deg=float(view.altitude_deg[j]),
            azimuth_deg=float(view.azimuth_deg[j]),
            range_km=float(view.range_km[j]),
            sun_altitude_deg=float(view.sun_altitude_deg[j]),
            sunlit=bool(sunlit[j]),
            magnitude=mag,
        )

    appears = highest = disappears = None
    magnitude = brightest = None
    cursor = 5
    if lit:
        appears, highest, disappears = point(5), point(6), point(7)
        cursor = 8
        if std_mag is not None:
            samples = ctx.state(_sample_lit(lit))
            sample_view = look(site, samples)
            sampled = apparent_magnitude(std_mag, sample_view.range_km, sample_view.phase_angle_rad)
            magnitude = highest.magnitude
            brightest = float(min(np.min(sampled), magnitude if magnitude is not None else np.inf))
    entry = exit_ = None
    if shadow_entry is not None:
        entry = point(cursor)
        cursor += 1
    if shadow_exit is not None:
        exit_ = point(cursor)
    visible_duration = sum(b - a for a, b in lit) if kind is PassType.VISIBLE else 0.0
    return Pass(
        type=kind,
        rise=point(0),
        culmination=point(1),
        set=point(2),
        appears=appears,
        highest=highest,
        disappears=disappears,
        horizon_rise=point(3),
        horizon_set=point(4),
        shadow_entry=entry,
        shadow_exit=exit_,
        magnitude=magnitude,
        brightest_magnitude=brightest,
        visible_duration_s=visible_duration,
        min_elevation_deg=min_elevation_deg,
        timing_uncertainty_s=timing_uncertainty_s(ctx.satellite.elements, ctx.datetime(peak)),
    )


def _check_number(name: str, value: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} {value:g} is outside {low:g}..{high:g}")
    return float(value)


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
    if start is None:
        start = datetime.now(timezone.utc)
    if not isinstance(start, datetime) or start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be a timezone-aware datetime (e.g. tzinfo=timezone.utc)")
    days = _check_number("days", days, 0.0, _MAX_DAYS)
    if days <= 0:
        raise ValueError("days must be greater than 0")
    min_elevation_deg = _check_number("min_elevation_deg", min_elevation_deg, 0.0, 90.0)
    twilight_deg = _check_number("twilight_deg", twilight_deg, -90.0, 0.0)
    if satellite is None:
        satellite = load_satellite()
    return search_passes(
        satellite,
        observer,
        start.astimezone(timezone.utc),
        days * 86400.0,
        min_elevation_deg,
        twilight_deg,
        visible_only,
    )
