"""Vectorised roots, peaks and level intervals of sampled smooth functions.

Generic numpy, many rows at once: nothing here knows about satellites, observers or the Sun.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Index = NDArray[np.intp]
#: ``evaluate(x, owner) -> (value, derivative)``: a function of many rows (``owner`` says
#: which row each point belongs to), with its derivative, at points ``x``.
Evaluate = Callable[[Array, Index], tuple[Array, Array]]

#: Bisection stops at this bracket width (s, the unit of the search's x); a final secant
#: step then lands within ms.
BISECT_WIDTH = 0.25
#: Regula-falsi steps after the bisection: two bring a peak's time to well under a millisecond.
_FALSI_STEPS = 2
#: Newton steps stop once they move a crossing by less than this (s).
NEWTON_TOLERANCE = 1e-4
_NEWTON_MAX_STEPS = 60


def sorted_unique(values: NDArray[np.integer] | Array) -> NDArray[np.integer] | Array:
    """The distinct values, sorted: ``np.unique`` without what it loads on first use
    (numpy.ma, some 13 ms of a command's start-up).

    >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values, kind="stable")
    if ordered.size < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


# --------------------------------------------------------------------------- roots


def bisect(
    fun: Callable[[Array], Array],
    lo: Array,
    hi: Array,
    f_lo: Array,
    f_hi: Array,
    width: float = BISECT_WIDTH,
) -> Array:
    """Vectorised root of ``fun`` in brackets whose end values differ in sign.

    Bisects until every bracket is narrower than ``width``, then takes three regula-falsi
    steps inside it (the functions here are smooth at that scale, so the error drops from
    milliseconds to microseconds). Either end may be the negative one.
    """
    if lo.size == 0:
        return lo.copy()
    span = float(np.max(hi - lo))
    steps = math.ceil(math.log2(span / width)) if span > width else 0
    negative_left = f_lo < 0
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        f_mid = fun(mid)
        go_right = (f_mid < 0) == negative_left
        lo = np.where(go_right, mid, lo)
        f_lo = np.where(go_right, f_mid, f_lo)
        hi = np.where(go_right, hi, mid)
        f_hi = np.where(go_right, f_hi, f_mid)
    for _ in range(_FALSI_STEPS):
        x = secant(lo, hi, f_lo, f_hi)
        f_x = fun(x)
        go_right = (f_x < 0) == negative_left
        lo, f_lo = np.where(go_right, x, lo), np.where(go_right, f_x, f_lo)
        hi, f_hi = np.where(go_right, hi, x), np.where(go_right, f_hi, f_x)
    return secant(lo, hi, f_lo, f_hi)


def secant(lo: Array, hi: Array, f_lo: Array, f_hi: Array) -> Array:
    """Where the chord through the bracket's ends crosses zero (kept inside the bracket)."""
    span = f_lo - f_hi
    weight = np.divide(f_lo, span, out=np.full_like(span, 0.5), where=span != 0)
    return lo + np.clip(weight, 0.0, 1.0) * (hi - lo)


def newton(
    fun: Callable[[Array, Index], tuple[Array, Array]],
    lo: Array,
    hi: Array,
    f_lo: Array,
    f_hi: Array,
    tolerance: float = NEWTON_TOLERANCE,
) -> Array:
    """Vectorised safeguarded Newton: roots of ``fun(x, which)`` (value, derivative) in brackets.

    ``which`` says which brackets the points belong to. Starts from the secant point; a
    step that would leave the (shrinking) bracket is replaced by bisection, so it converges
    whenever the bracket holds a sign change. Converged brackets (a step smaller than
    ``tolerance``) drop out.
    """
    lo, hi = lo.astype(float), hi.astype(float)
    if lo.size == 0:
        return lo.copy()
    x = secant(lo, hi, f_lo, f_hi)
    negative_left = f_lo < 0
    active = np.arange(x.size)  # only brackets still converging are evaluated again
    for _ in range(_NEWTON_MAX_STEPS):
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
        active = active[np.abs(new - xa) >= tolerance]
        if active.size == 0:
            break
    return x


# --------------------------------------------------------------------------- peaks and intervals


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

    ``evaluate(x, owner)`` gives the function and its derivative at ``x`` for rows
    ``owner``; ``candidate(owner, index)`` may rule out samples whose peak cannot matter.
    Returns the owner row, the time and the value of every peak.

    >>> grid = np.linspace(0.0, 10.0, 11)
    >>> y, rate = np.sin(grid)[None, :], np.cos(grid)[None, :]
    >>> owner, peak, value = find_peaks(grid, y, rate, lambda x, _: (np.sin(x), np.cos(x)))
    >>> [round(float(p), 4) for p in peak]
    [1.5708, 7.854]
    """
    owner, inner = np.nonzero((y[:, 1:-1] > y[:, :-2]) & (y[:, 1:-1] >= y[:, 2:]))
    inner = inner + 1
    if candidate is not None and owner.size:
        keep = candidate(owner, inner)
        owner, inner = owner[keep], inner[keep]
    r_lo, r_hi = rate[owner, inner - 1], rate[owner, inner + 1]
    bracketed = (r_lo > 0) & (r_hi < 0)
    peak = grid[inner].astype(float)
    sample = y[owner, inner]
    value = sample.copy()
    if np.any(bracketed):
        who = owner[bracketed]
        peak[bracketed] = bisect(
            lambda s: evaluate(s, who)[1],
            grid[inner[bracketed] - 1],
            grid[inner[bracketed] + 1],
            r_lo[bracketed],
            r_hi[bracketed],
        )
        value[bracketed] = evaluate(peak[bracketed], who)[0]
    better_sample = value < sample  # never report a peak lower than a sample beside it
    return owner, np.where(better_sample, grid[inner], peak), np.where(better_sample, sample, value)


@dataclass(frozen=True)
class Brackets:
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
    def join(parts: Sequence[Brackets]) -> Brackets:
        return Brackets(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in Brackets.__dataclass_fields__)
        )


#: Samples walked from a peak looking for one below the level; rows still above after that
#: (a satellite above the level for hours) are scanned whole instead.
_MAX_WALK = 16


def nearest_below(y: Array, level: float, owner: Index, start: Index, step: int) -> Index:
    """For each ``(owner, start)``, the nearest column at or beyond ``start`` in the direction
    ``step`` (−1 or +1) where ``y`` of that row is below ``level``; −1 or ``n`` where none is.

    Walks a few samples from each start (passes are short next to the grid), then scans the
    rows of the few starts still above the level.

    >>> y = np.array([[0.0, 2.0, 3.0, 2.0, 0.0, 0.0]])
    >>> nearest_below(y, 1.0, np.array([0, 0]), np.array([2, 3]), -1).tolist()
    [0, 0]
    >>> nearest_below(y, 1.0, np.array([0]), np.array([2]), 1).tolist()
    [4]
    """
    n = y.shape[1]
    found = start.copy()
    active = np.flatnonzero(y[owner, found] >= level)
    for _ in range(_MAX_WALK):
        if active.size == 0:
            return found
        found[active] += step
        inside = (found[active] >= 0) & (found[active] < n)
        active = active[inside]
        active = active[y[owner[active], found[active]] >= level]
    if active.size:  # long stretches above the level: scan those rows
        index = np.arange(n)
        rows, row = np.unique(owner[active], return_inverse=True)
        below = y[rows] < level
        if step < 0:
            nearest = np.maximum.accumulate(np.where(below, index, -1), axis=1)
        else:
            nearest = np.minimum.accumulate(np.where(below, index, n)[:, ::-1], axis=1)[:, ::-1]
        found[active] = nearest[row, start[active]]
    return found


def crossing_brackets(
    grid: Array, y: Array, level: float, owner: Index, peak: Array, peak_value: Array
) -> tuple[Brackets, Brackets]:
    """Brackets of the upward and downward crossings of ``level`` around each peak.

    The function rises monotonically from the previous trough to a peak, so the last
    sample below the level before the peak brackets the crossing uniquely. Where the
    grid has no sample below the level on a side, the bracket is marked unknown.
    """
    n = grid.size
    k = np.clip(np.searchsorted(grid, peak, side="right") - 1, 0, n - 1)
    lb = nearest_below(y, level, owner, k, -1)
    fb = nearest_below(y, level, owner, np.minimum(k + 1, n - 1), 1)
    fb[k + 1 >= n] = n
    levels = np.full(owner.size, level)

    rise_known = lb >= 0
    lb = np.maximum(lb, 0)
    nxt = np.minimum(lb + 1, n - 1)
    take_grid = grid[nxt] < peak
    rise = Brackets(
        owner,
        grid[lb],
        np.where(take_grid, grid[nxt], peak),
        y[owner, lb] - level,
        np.where(take_grid, y[owner, nxt], peak_value) - level,
        levels,
        rise_known,
        np.full(owner.size, grid[0]),
    )
    set_known = fb < n
    fb = np.minimum(fb, n - 1)
    prv = np.maximum(fb - 1, 0)
    take_grid = grid[prv] > peak
    fall = Brackets(
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


def solve_crossings(brackets: Brackets, evaluate: Evaluate) -> Array:
    """Refine all brackets at once (Newton on the analytic rate); unknown ones get the grid's end."""
    result = brackets.fallback.astype(float)
    known = brackets.known
    if np.any(known):
        who = brackets.owner[known]
        level = brackets.level[known]

        def fun(s: Array, which: Index) -> tuple[Array, Array]:
            value, rate = evaluate(s, who[which])
            return value - level[which], rate

        result[known] = newton(
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
    both = solve_crossings(Brackets.join([rise, fall]), evaluate)
    start, end = both[: peak.size], both[peak.size :]
    chosen = merge_peaks(owner, start, value)
    return Intervals(owner[chosen], start[chosen], peak[chosen], end[chosen], value[chosen])


def level_intervals(grid: Array, y: Array, rate: Array, level: float, evaluate: Evaluate) -> Intervals:
    """:func:`intervals_above` where only the start and end matter (eclipses).

    A peak some sample already shows at or above the level is not refined (its interval
    exists, and the crossings either side are bracketed by the samples), nor one too far
    below it to crest it between samples: only the peaks that might are. The starts and
    ends are the same; the peaks are the samples' (so not for reporting).
    """
    owner, inner = np.nonzero((y[:, 1:-1] > y[:, :-2]) & (y[:, 1:-1] >= y[:, 2:]))
    inner = inner + 1
    sampled = y[owner, inner]
    shown = sampled >= level

    def might_crest(o: Index, i: Index) -> NDArray[np.bool_]:
        # Between samples i-1 and i+1 the function rises at most by the larger of its rates there
        # times the width (the rate falls monotonically through a peak); twice that for safety.
        rise = 2.0 * np.maximum(np.abs(rate[o, i - 1]), np.abs(rate[o, i + 1])) * (grid[i + 1] - grid[i - 1])
        return (y[o, i] < level) & (y[o, i] + rise >= level)

    o_low, p_low, v_low = find_peaks(grid, y, rate, evaluate, might_crest)
    owner = np.concatenate([owner[shown], o_low])
    peak = np.concatenate([grid[inner[shown]], p_low])
    value = np.concatenate([sampled[shown], v_low])
    keep = value >= level
    order = np.lexsort((peak[keep], owner[keep]))
    owner, peak, value = owner[keep][order], peak[keep][order], value[keep][order]
    rise, fall = crossing_brackets(grid, y, level, owner, peak, value)
    both = solve_crossings(Brackets.join([rise, fall]), evaluate)
    start, end = both[: peak.size], both[peak.size :]
    chosen = merge_peaks(owner, start, value)
    return Intervals(owner[chosen], start[chosen], peak[chosen], end[chosen], value[chosen])
