"""Lit segments, per-pass reductions, the Sun's lowest altitude and the pass type, on small arrays."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from isspass import PassType
from isspass.search.roots import Intervals
from isspass.search.visibility import (
    Segments,
    classify_passes,
    first_between,
    lit_segments,
    min_sun_altitude,
    parabola_minimum,
    pass_types,
    per_owner,
)
from isspass.sky import Sites, SunTrack, sun_altitude_deg

NONE = np.array([])


def _pieces(segments: Segments) -> list[tuple[int, float, float]]:
    """The segments as (owner, start, end), in order."""
    return sorted(zip(segments.owner.tolist(), segments.start.tolist(), segments.end.tolist(), strict=True))


def _lit(a, b, shadow_start, shadow_end):
    return _pieces(lit_segments(np.array(a), np.array(b), np.array(shadow_start), np.array(shadow_end)))


# --------------------------------------------------------------------------- lit segments


def test_no_shadow_leaves_every_pass_whole():
    assert _lit([10.0, 30.0], [20.0, 40.0], NONE, NONE) == [(0, 10.0, 20.0), (1, 30.0, 40.0)]


def test_a_shadow_covering_the_pass_leaves_nothing():
    assert _lit([10.0], [20.0], [5.0], [25.0]) == []
    assert _lit([10.0], [20.0], [10.0], [20.0]) == []


def test_a_shadow_in_the_middle_splits_the_pass():
    assert _lit([10.0], [20.0], [12.0], [15.0]) == [(0, 10.0, 12.0), (0, 15.0, 20.0)]


def test_two_shadows_leave_three_pieces():
    assert _lit([10.0], [20.0], [11.0, 14.0], [12.0, 16.0]) == [
        (0, 10.0, 11.0),
        (0, 12.0, 14.0),
        (0, 16.0, 20.0),
    ]


def test_shadows_touching_the_ends_leave_the_pass_whole():
    assert _lit([10.0], [20.0], [5.0, 20.0], [10.0, 25.0]) == [(0, 10.0, 20.0)]


def test_shadows_over_either_end_trim_the_pass():
    assert _lit([10.0], [20.0], [10.0], [12.0]) == [(0, 12.0, 20.0)]  # starts in shadow
    assert _lit([10.0], [20.0], [18.0], [30.0]) == [(0, 10.0, 18.0)]  # ends in shadow
    assert _lit([10.0], [20.0], [5.0, 18.0], [12.0, 30.0]) == [(0, 12.0, 18.0)]


def test_lit_segments_of_many_passes_at_once():
    shadow_start, shadow_end = [12.0, 31.0, 50.0], [15.0, 33.0, 70.0]
    a, b = [10.0, 16.0, 30.0, 55.0], [20.0, 25.0, 45.0, 60.0]
    assert _lit(a, b, shadow_start, shadow_end) == [
        (0, 10.0, 12.0),
        (0, 15.0, 20.0),
        (1, 16.0, 25.0),
        (2, 30.0, 31.0),
        (2, 33.0, 45.0),
    ]  # pass 3 is in the shadow throughout


# --------------------------------------------------------------------------- small reductions


def test_first_between_takes_the_first_time_strictly_inside():
    times = np.array([5.0, 15.0, 25.0])
    a, b = np.array([0.0, 5.0, 16.0, 30.0, 14.0]), np.array([10.0, 20.0, 24.0, 40.0, 15.0])
    np.testing.assert_array_equal(first_between(times, a, b), [5.0, 15.0, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(first_between(NONE, a[:2], b[:2]), [np.nan, np.nan])


def test_per_owner_reduces_into_one_slot_per_owner():
    owner, values = np.array([0, 2, 0, 2, 2]), np.array([3.0, 1.0, 2.0, 5.0, -1.0])
    np.testing.assert_array_equal(
        per_owner(4, owner, values, np.minimum, np.inf), [2.0, np.inf, -1.0, np.inf]
    )
    np.testing.assert_array_equal(per_owner(4, owner, values, np.add, 0.0), [5.0, 0.0, 5.0, 0.0])


def test_parabola_minimum_finds_the_vertex_inside_a_convex_arc():
    def f(x):
        return (x - 3.0) ** 2 + 1.0

    a = np.array([0.0, 0.0, 0.0, 4.0])
    b = np.array([4.0, 2.0, 4.0, 10.0])
    m = 0.5 * (a + b)
    f_a, f_m, f_b = f(a), f(m), f(b)
    f_a[2], f_m[2], f_b[2] = -f_a[2], -f_m[2], -f_b[2]  # concave: a maximum, not a minimum
    vertex, inside = parabola_minimum(a, m, b, f_a, f_m, f_b)
    assert vertex[0] == 3.0 and vertex[1] == 3.0  # exact: the curve is a parabola
    np.testing.assert_array_equal(inside, [True, False, False, False])  # 3 is beyond [0, 2] and [4, 10]


def test_pass_types_are_passtype_members():
    has_lit = np.array([True, True, False, False])
    dark = np.array([True, False, True, False])
    types = pass_types(has_lit, dark)
    expected = [PassType.VISIBLE, PassType.DAYLIGHT, PassType.UNLIT, PassType.UNLIT]
    assert all(t is e for t, e in zip(types, expected, strict=True))
    np.testing.assert_array_equal(types == PassType.VISIBLE, [True, False, False, False])


# --------------------------------------------------------------------------- the Sun


T0 = datetime(2026, 9, 24, tzinfo=timezone.utc)
ZURICH = Sites.from_geodetic([47.3744], [8.5410], [400.0])


@pytest.fixture(scope="module")
def sun():
    return SunTrack.build(T0.timestamp(), -7200.0, 86400.0)


def test_min_sun_altitude_matches_dense_sampling(sun):
    # Zurich's Sun is lowest at −2520 s: inside the first segment, well off its middle.
    # Then the morning (lowest at the start), the evening (at the end), and a pass of two
    # pieces in the small hours (at the first piece's start).
    start = np.array([-4500.0, 14000.0, 60000.0, 100.0, 2000.0])
    end = np.array([-1500.0, 17000.0, 64000.0, 900.0, 2600.0])
    owner = np.array([0, 1, 2, 3, 3])
    sites = Sites.from_geodetic([47.3744] * 4, [8.5410] * 4, [400.0] * 4)
    low = min_sun_altitude(sites, sun, np.arange(4), Segments(owner, start, end), 5)
    for k in range(4):
        pieces = zip(start[owner == k], end[owner == k], strict=True)
        times = np.concatenate([np.linspace(s, e, 30001) for s, e in pieces])
        dense = sun_altitude_deg(ZURICH.take(np.zeros(times.size, dtype=np.intp)), sun, times)
        assert low[k] == pytest.approx(dense.min(), abs=1e-6)
    assert low[4] == np.inf  # a pass with no segments
    assert -44.0 < low[0] < -43.0 and low[1] < -14.0 and low[3] < -40.0


def test_classify_passes_by_light_and_sky(sun):
    # Five passes: lit at night; lit at noon; in the shadow at night; lit only above the
    # horizon before it reaches the minimum elevation (so unlit, though at night); and one
    # at dawn whose sky is dark (−7.3°) only while it climbs from the horizon (−5.6° at rise).
    passes = Intervals(
        owner=np.zeros(5, dtype=np.intp),
        start=np.array([0.0, 43200.0, 7200.0, 10000.0, 17200.0]),
        peak=np.array([300.0, 43500.0, 7500.0, 10300.0, 17400.0]),
        end=np.array([600.0, 43800.0, 7800.0, 10600.0, 17600.0]),
        peak_value=np.full(5, 0.5),
    )
    horizon_start = passes.start - np.array([120.0, 120.0, 120.0, 120.0, 600.0])
    horizon_end = passes.end + 120.0
    shadow = Intervals(
        owner=np.zeros(2, dtype=np.intp),
        start=np.array([7000.0, 9950.0]),
        end=np.array([8000.0, 11000.0]),
        peak=np.array([7500.0, 10500.0]),
        peak_value=np.full(2, 0.1),
    )
    lit, types = classify_passes(passes, horizon_start, horizon_end, shadow, ZURICH, sun, -6.0)
    assert list(types) == [
        PassType.VISIBLE,
        PassType.DAYLIGHT,
        PassType.UNLIT,
        PassType.UNLIT,
        PassType.VISIBLE,
    ]
    assert _pieces(lit) == [(0, 0.0, 600.0), (1, 43200.0, 43800.0), (4, 17200.0, 17600.0)]
