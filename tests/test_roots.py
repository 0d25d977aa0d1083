"""The generic root, peak and interval kernels on small hand-made arrays."""

from __future__ import annotations

import math

import numpy as np

from isspass.search.roots import (
    NEWTON_TOLERANCE,
    Brackets,
    bisect,
    crossing_brackets,
    find_peaks,
    intervals_above,
    merge_peaks,
    newton,
    secant,
    solve_crossings,
)


def _sine_rows(phases):
    """``evaluate(x, owner)`` for rows sin(x - phase[owner]): value and derivative."""
    phases = np.asarray(phases, dtype=float)

    def evaluate(x, owner):
        return np.sin(x - phases[owner]), np.cos(x - phases[owner])

    return evaluate


def _sampled(evaluate, grid, rows):
    """The (rows, n) samples and rates of ``evaluate`` on ``grid``."""
    owner = np.repeat(np.arange(rows), grid.size)
    value, rate = evaluate(np.tile(grid, rows), owner)
    return value.reshape(rows, -1), rate.reshape(rows, -1)


# --------------------------------------------------------------------------- secant


def test_secant_is_exact_on_a_line_and_stays_in_the_bracket():
    lo, hi = np.array([0.0, 0.0, 0.0, 10.0]), np.array([2.0, 2.0, 2.0, 14.0])
    f_lo = np.array([-1.0, 1.0, -1.0, 3.0])
    f_hi = np.array([1.0, 1.0, -3.0, -1.0])
    # a root at 1; equal ends (no chord): the middle; no sign change: clamped to an end; 3:1
    np.testing.assert_array_equal(secant(lo, hi, f_lo, f_hi), [1.0, 1.0, 0.0, 13.0])


# --------------------------------------------------------------------------- bisect


def test_bisect_finds_sine_roots_with_either_end_negative():
    lo = np.array([3.0, 6.0, -0.4, 9.0])
    hi = np.array([3.5, 6.5, 0.3, 10.0])  # sin falls through π and 3π, rises through 2π and 0
    root = bisect(np.sin, lo, hi, np.sin(lo), np.sin(hi), width=1e-6)
    np.testing.assert_allclose(root, [math.pi, 2 * math.pi, 0.0, 3 * math.pi], rtol=0, atol=1e-6)


def test_bisect_lands_within_its_width_on_a_cubic():
    def cubic(x):
        return x**3 - 2 * x - 5  # Wallis's example, one real root

    root = 2.0945514815423265
    lo, hi = np.array([2.0, 1.5, -3.0]), np.array([2.2, 3.0, 4.0])
    for width in (0.25, 1e-3, 1e-9):
        found = bisect(cubic, lo, hi, cubic(lo), cubic(hi), width=width)
        assert np.all(np.abs(found - root) < width)


def test_bisect_default_reaches_microseconds_on_an_orbit_scale_function():
    def f(s):
        return np.sin(s / 900.0) - 0.3  # a smooth curve changing over ~15 minutes, in seconds

    first, second = 900.0 * math.asin(0.3), 900.0 * (math.pi - math.asin(0.3))
    lo, hi = np.array([200.0, 2400.0]), np.array([400.0, 2600.0])
    found = bisect(f, lo, hi, f(lo), f(hi))
    np.testing.assert_allclose(found, [first, second], rtol=0, atol=1e-6)


def test_bisect_of_nothing_is_nothing():
    empty = np.array([])
    assert bisect(np.sin, empty, empty, empty, empty).shape == (0,)


# --------------------------------------------------------------------------- newton


def _squares(targets, signs):
    """``fun(x, which)`` = sign·(x² − target) for each bracket, with its derivative."""
    targets, signs = np.asarray(targets, dtype=float), np.asarray(signs, dtype=float)

    def fun(x, which):
        return signs[which] * (x**2 - targets[which]), signs[which] * 2 * x

    return fun


def test_newton_finds_square_roots_in_brackets_of_either_orientation():
    targets, signs = [2.0, 9.0, 0.25, 10.0], [1.0, -1.0, 1.0, -1.0]
    fun = _squares(targets, signs)
    lo, hi = np.array([1.0, 2.0, 0.0, 0.5]), np.array([2.0, 4.0, 1.0, 7.0])
    everything = np.arange(4)
    f_lo, f_hi = fun(lo, everything)[0], fun(hi, everything)[0]
    found = newton(fun, lo, hi, f_lo, f_hi)
    assert np.all(np.abs(found - np.sqrt(targets)) < NEWTON_TOLERANCE)
    tight = newton(fun, lo, hi, f_lo, f_hi, tolerance=1e-13)
    np.testing.assert_allclose(tight, np.sqrt(targets), rtol=0, atol=1e-13)


def test_newton_never_leaves_its_bracket():
    """arctan sends plain Newton far outside [−1, 10] from the secant point; this one stays in."""
    lo, hi = np.array([-1.0, -10.0, 0.1]), np.array([10.0, 1.0, 3.0])
    shift = np.array([0.0, 0.0, 1.0])  # roots 0, 0 and tan(1)
    seen_x, seen_which = [], []

    def fun(x, which):
        seen_x.append(x.copy())
        seen_which.append(which.copy())
        return np.arctan(x) - shift[which], 1.0 / (1.0 + x**2)

    everything = np.arange(3)
    found = newton(fun, lo, hi, fun(lo, everything)[0], fun(hi, everything)[0])
    np.testing.assert_allclose(found, [0.0, 0.0, math.tan(1.0)], rtol=0, atol=NEWTON_TOLERANCE)
    x, which = np.concatenate(seen_x[1:]), np.concatenate(seen_which[1:])
    assert x.size > 3  # it did iterate
    assert np.all((x >= lo[which]) & (x <= hi[which]))


def test_newton_does_not_touch_its_inputs():
    lo, hi = np.array([1.0]), np.array([2.0])
    newton(_squares([2.0], [1.0]), lo, hi, np.array([-1.0]), np.array([2.0]))
    assert lo[0] == 1.0 and hi[0] == 2.0


# --------------------------------------------------------------------------- peaks


def test_find_peaks_refines_peaks_between_samples():
    grid = np.arange(0.0, 13.0)  # 1-unit steps: no sample sits on a peak
    evaluate = _sine_rows([0.0, 0.3])
    y, rate = _sampled(evaluate, grid, 2)
    owner, peak, value = find_peaks(grid, y, rate, evaluate)
    np.testing.assert_array_equal(owner, [0, 0, 1, 1])
    expected = [math.pi / 2, 5 * math.pi / 2, math.pi / 2 + 0.3, 5 * math.pi / 2 + 0.3]
    np.testing.assert_allclose(peak, expected, rtol=0, atol=1e-5)
    np.testing.assert_allclose(value, 1.0, rtol=0, atol=1e-10)
    assert np.all(value > np.max(y, axis=1)[owner])  # above every sample


def test_find_peaks_ignores_maxima_at_the_grid_ends():
    grid = np.linspace(math.pi / 2, 3 * math.pi, 20)  # starts on a peak, ends rising
    evaluate = _sine_rows([0.0])
    y, rate = _sampled(evaluate, grid, 1)
    _owner, peak, _ = find_peaks(grid, y, rate, evaluate)
    np.testing.assert_allclose(peak, [5 * math.pi / 2], atol=1e-5)


def test_a_flat_top_is_one_peak_at_its_first_sample():
    grid = np.arange(7.0)
    y = np.array([[0.0, 1.0, 2.0, 2.0, 2.0, 1.0, 0.0]])
    rate = np.array([[1.0, 1.0, 0.0, 0.0, 0.0, -1.0, -1.0]])  # no sign change beside the top

    def evaluate(x, owner):
        return np.interp(x, grid, y[0]), np.interp(x, grid, rate[0])

    owner, peak, value = find_peaks(grid, y, rate, evaluate)
    np.testing.assert_array_equal(owner, [0])
    np.testing.assert_array_equal(peak, [2.0])
    np.testing.assert_array_equal(value, [2.0])


def test_a_refined_peak_lower_than_its_sample_gives_way_to_the_sample():
    grid = np.arange(5.0)
    y = np.array([[0.0, 1.0, 3.0, 1.0, 0.0]])
    rate = np.array([[1.0, 1.0, 0.0, -1.0, -1.0]])

    def evaluate(x, owner):  # a model that peaks lower than the samples say
        return 2.9 - (x - 2.2) ** 2, -2 * (x - 2.2)

    _owner, peak, value = find_peaks(grid, y, rate, evaluate)
    np.testing.assert_array_equal(peak, [2.0])
    np.testing.assert_array_equal(value, [3.0])


def test_find_peaks_asks_the_candidate_filter_and_obeys_it():
    grid = np.arange(0.0, 13.0)
    evaluate = _sine_rows([0.0, 0.3])
    y, rate = _sampled(evaluate, grid, 2)
    asked = []

    def candidate(owner, index):
        asked.append((owner.tolist(), index.tolist()))
        return ~((owner == 1) & (index < 5))  # rule out row 1's first peak

    owner, peak, _ = find_peaks(grid, y, rate, evaluate, candidate)
    assert asked == [([0, 0, 1, 1], [2, 8, 2, 8])]  # the sampled maxima
    np.testing.assert_array_equal(owner, [0, 0, 1])
    np.testing.assert_allclose(peak, [math.pi / 2, 5 * math.pi / 2, 5 * math.pi / 2 + 0.3], atol=1e-5)


# --------------------------------------------------------------------------- crossings


def test_crossing_brackets_enclose_the_crossings_either_side_of_a_peak():
    grid = np.arange(8.0)
    y = np.array([[-1.0, 0.0, 1.0, 1.5, 1.2, 0.3, -0.5, -1.0]])
    rise, fall = crossing_brackets(grid, y, 0.5, np.array([0]), np.array([3.2]), np.array([1.6]))
    assert (rise.lo[0], rise.hi[0], rise.f_lo[0], rise.f_hi[0]) == (1.0, 2.0, -0.5, 0.5)
    assert (fall.lo[0], fall.hi[0]) == (4.0, 5.0)
    np.testing.assert_allclose([fall.f_lo[0], fall.f_hi[0]], [0.7, -0.2])
    assert rise.known[0] and fall.known[0]
    np.testing.assert_array_equal(rise.level, [0.5])


def test_a_bracket_stops_at_the_peak_when_the_next_sample_is_past_it():
    grid = np.arange(6.0)
    y = np.array([[-1.0, 0.4, 1.8, 0.2, -1.0, -1.0]])
    rise, fall = crossing_brackets(grid, y, 0.5, np.array([0]), np.array([1.5]), np.array([2.0]))
    assert (rise.lo[0], rise.hi[0]) == (1.0, 1.5)  # not 2.0: that sample is past the peak
    np.testing.assert_allclose([rise.f_lo[0], rise.f_hi[0]], [-0.1, 1.5])
    assert (fall.lo[0], fall.hi[0]) == (2.0, 3.0)


def test_crossing_brackets_mark_unknown_sides_with_the_grid_ends():
    grid = np.arange(10.0, 16.0)
    y = np.array(
        [
            [0.8, 0.9, 1.0, 0.9, 0.2, 0.1],  # never below 0.5 before the peak
            [0.1, 0.3, 0.9, 1.0, 0.9, 0.8],  # never below after it
            [0.6, 0.7, 0.9, 0.8, 0.7, 0.6],  # never below at all
        ]
    )
    owner = np.array([0, 1, 2])
    rise, fall = crossing_brackets(grid, y, 0.5, owner, np.array([12.0, 13.0, 12.0]), np.ones(3))
    np.testing.assert_array_equal(rise.known, [False, True, False])
    np.testing.assert_array_equal(fall.known, [True, False, False])
    np.testing.assert_array_equal(rise.fallback, [10.0] * 3)
    np.testing.assert_array_equal(fall.fallback, [15.0] * 3)
    both = solve_crossings(Brackets.join([rise, fall]), lambda x, o: (np.sin(x), np.cos(x)))
    np.testing.assert_array_equal(both[[0, 2, 4, 5]], [10.0, 10.0, 15.0, 15.0])  # unknown: the ends


def test_solve_crossings_finds_sine_crossings_for_many_rows():
    grid = np.arange(0.0, 13.0)
    evaluate = _sine_rows([0.0, 0.3])
    y, rate = _sampled(evaluate, grid, 2)
    owner, peak, value = find_peaks(grid, y, rate, evaluate)
    rise, fall = crossing_brackets(grid, y, 0.5, owner, peak, value)
    found = solve_crossings(Brackets.join([rise, fall]), evaluate)
    phase = np.array([0.0, 0.0, 0.3, 0.3])
    turn = np.array([0.0, 2 * math.pi, 0.0, 2 * math.pi])
    expected = np.concatenate([math.pi / 6 + phase + turn, 5 * math.pi / 6 + phase + turn])
    np.testing.assert_allclose(found, expected, rtol=0, atol=NEWTON_TOLERANCE)


# --------------------------------------------------------------------------- merging and intervals


def test_merge_peaks_keeps_the_highest_of_peaks_sharing_an_interval():
    owner = np.array([1, 0, 0, 0, 1])
    start = np.array([5.0, 5.0, 5.0, 20.0, 30.0])
    value = np.array([0.6, 0.7, 0.9, 0.5, 0.8])
    # (0, 5.0) holds peaks 1 and 2: keep 2; the same start in another row is another interval
    np.testing.assert_array_equal(merge_peaks(owner, start, value), [0, 2, 3, 4])
    np.testing.assert_array_equal(merge_peaks(owner[:1], start[:1], value[:1]), [0])


def _bumps(centres, heights, widths):
    """``evaluate`` for one row: a sum of Gaussian bumps, value and derivative."""
    c, h, w = (np.asarray(a, dtype=float)[:, None] for a in (centres, heights, widths))

    def evaluate(x, owner):
        g = h * np.exp(-(((x - c) / w) ** 2))
        return g.sum(axis=0), (-2 * (x - c) / w**2 * g).sum(axis=0)

    return evaluate


def test_intervals_above_on_a_few_bumps():
    # A plain bump at 4; humps at 12 and 14 that stay above the level between them (one
    # interval, with the higher peak); a narrow bump at 20.5 that no sample shows above it.
    evaluate = _bumps([4.0, 12.0, 14.0, 20.5], [1.0, 0.7, 1.0, 1.0], [1.0, 1.0, 1.0, 0.3])
    grid, level = np.arange(0.0, 25.0), 0.5
    y, rate = evaluate(grid, None)
    assert np.all(y[18:24] < level)
    found = intervals_above(grid, y[None, :], rate[None, :], level, evaluate)

    np.testing.assert_array_equal(found.owner, [0, 0, 0])
    half = math.sqrt(math.log(2.0))  # where a lone bump of height 1 is at half its height
    np.testing.assert_allclose(found.start[[0, 2]], [4.0 - half, 20.5 - 0.3 * half], atol=1e-6)
    np.testing.assert_allclose(found.end[[0, 2]], [4.0 + half, 20.5 + 0.3 * half], atol=1e-6)
    np.testing.assert_allclose(found.peak[[0, 2]], [4.0, 20.5], atol=1e-6)
    np.testing.assert_allclose(found.peak_value[[0, 2]], [1.0, 1.0], atol=1e-9)
    assert 13.9 < found.peak[1] < 14.0  # the higher hump, pulled a little towards the other
    a, b = found.start[1], found.end[1]
    np.testing.assert_allclose(evaluate(np.array([a, b]), None)[0], level, atol=1e-9)
    assert np.all(evaluate(np.linspace(a + 1e-4, b - 1e-4, 10001), None)[0] > level)
    assert np.all(evaluate(np.array([a - 1e-4, b + 1e-4]), None)[0] < level)
    assert 11.0 < a < 12.0 and 14.5 < b < 15.0


# --------------------------------------------------------------------------- nearest sample below a level


def _nearest_below_by_scan(y, level, owner, start, step):
    """The same answer by looking at every sample, one start at a time."""
    n = y.shape[1]
    answer = []
    for row, col in zip(owner.tolist(), start.tolist(), strict=True):
        cols = range(col, -1, -1) if step < 0 else range(col, n)
        answer.append(next((c for c in cols if y[row, c] < level), -1 if step < 0 else n))
    return answer


def test_nearest_below_matches_a_scan_for_short_and_long_stretches():
    from isspass.search.roots import nearest_below

    rng = np.random.default_rng(8)
    y = rng.uniform(-1.0, 1.0, (6, 300))
    y[2, 40:200] = 2.0  # longer above the level than the walk goes
    y[3, :] = 2.0  # never below
    y[4, :150] = 2.0  # above from the first sample
    owner = np.repeat(np.arange(6), 40)
    start = rng.integers(0, 300, owner.size)
    start[80:90] = rng.integers(40, 200, 10)  # inside row 2's long stretch
    for step in (-1, 1):
        found = nearest_below(y, 0.5, owner, start, step)
        assert found.tolist() == _nearest_below_by_scan(y, 0.5, owner, start, step)


def test_level_intervals_keep_sampled_peaks_refine_the_others_and_match_intervals_above():
    from isspass.search.roots import level_intervals

    grid = np.linspace(0.0, 20.0, 21)
    evaluate = _sine_rows([0.3])
    y, rate = _sampled(evaluate, grid, 1)
    found = level_intervals(grid, y, rate, 0.99, evaluate)
    exact = (math.pi / 2 + 0.3 + 2 * math.pi * np.arange(3)).tolist()
    kinds = set()
    for p, v, e in zip(found.peak.tolist(), found.peak_value.tolist(), exact, strict=True):
        sample = int(np.argmin(np.abs(grid - e)))
        if y[0, sample] >= 0.99:  # a sample already shows it above the level: the sample stands
            assert p == grid[sample] and v == y[0, sample]
            kinds.add("sampled")
        else:  # it crests the level between samples: refined
            assert abs(p - e) < 1e-6 and abs(v - 1.0) < 1e-12
            kinds.add("refined")
    assert kinds == {"sampled", "refined"}
    # Either way, the intervals are those intervals_above finds.
    exact_intervals = intervals_above(grid, y, rate, 0.99, evaluate)
    assert np.allclose(found.start, exact_intervals.start, atol=1e-9)
    assert np.allclose(found.end, exact_intervals.end, atol=1e-9)
