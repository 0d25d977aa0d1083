"""Pass objects made in bulk from a PassTable: the very objects the public constructors make
(equal, same repr, same hash, same pickle), while the public constructors still check."""

from __future__ import annotations

import copy
import dataclasses
import gc
import math
import pickle
import random
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import isspass
from isspass.model import COMPASS_POINTS, Pass, PassPoint, PassType, SatelliteId, compass_point
from isspass.pass_objects import compass_points, optional_floats, utc_datetimes
from isspass.passtable import EVENTS, NO_ORBIT, PASS_TYPES, PassTable

START = datetime(2026, 9, 24, 5, 17, 3, 250001, tzinfo=timezone.utc)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _us(*when: int) -> int:
    """Microseconds from the epoch to a UTC date and time."""
    return (datetime(*when, tzinfo=timezone.utc) - EPOCH) // timedelta(microseconds=1)


#: The whole range of a datetime, in microseconds from the epoch.
FIRST_US, LAST_US = _us(1, 1, 1), _us(9999, 12, 31, 23, 59, 59, 999999)


def public_passes(table: PassTable) -> list[Pass]:
    """The rows built the plain way: one public constructor call per point and per pass."""
    result = []
    satellite = None
    for row in range(len(table)):
        points = {}
        for column, name in enumerate(EVENTS):
            when = table.time[row, column]
            if np.isnat(when):
                points[name] = None
                continue
            magnitude = float(table.point_magnitude[row, column])
            points[name] = PassPoint(
                time=EPOCH + timedelta(microseconds=int(when.astype(np.int64))),
                altitude_deg=float(table.altitude_deg[row, column]),
                azimuth_deg=float(table.azimuth_deg[row, column]),
                range_km=float(table.range_km[row, column]),
                sun_altitude_deg=float(table.sun_altitude_deg[row, column]),
                sunlit=bool(table.sunlit[row, column]),
                magnitude=None if math.isnan(magnitude) else magnitude,
            )
        norad_id = int(table.norad_id[row])
        if satellite is None or satellite.norad_id != norad_id:
            satellite = SatelliteId(table.satellite_name, norad_id)  # one object per run of rows, as before
        brightest = float(table.brightest_magnitude[row])
        orbit = int(table.orbit_number[row])
        highest = points["highest"]
        result.append(
            Pass(
                type=PASS_TYPES[int(table.type[row])],
                **points,
                magnitude=None if highest is None else highest.magnitude,
                brightest_magnitude=None if math.isnan(brightest) else brightest,
                visible_duration_s=float(table.visible_duration_s[row]),
                min_elevation_deg=table.min_elevation_deg,
                timing_uncertainty_s=float(table.timing_uncertainty_s[row]),
                orbit_number=None if orbit == NO_ORBIT else orbit,
                id=str(table.id[row]),
                satellite=satellite,
            )
        )
    return result


def assert_same_objects(fast: list[Pass], public: list[Pass]) -> None:
    assert fast == public
    assert pickle.dumps(fast) == pickle.dumps(public)  # same values, types, order and sharing
    assert repr(fast) == repr(public)
    for a, b in zip(fast, public, strict=True):
        assert type(a) is Pass and hash(a) == hash(b)
        assert list(vars(a)) == [f.name for f in dataclasses.fields(Pass)]
        assert a.type is b.type and a.satellite == b.satellite and type(a.satellite) is SatelliteId
        assert dataclasses.asdict(a) == dataclasses.asdict(b)
        for field in dataclasses.fields(Pass):
            x, y = getattr(a, field.name), getattr(b, field.name)
            assert (type(x) is type(y) and x == y) or (x != x and y != y), field.name
            if isinstance(x, PassPoint):
                assert list(vars(x)) == [f.name for f in dataclasses.fields(PassPoint)]
                assert x.direction is y.direction and x.direction == compass_point(x.azimuth_deg)
                assert x.time.tzinfo is timezone.utc and x.time == y.time
                assert [type(v) for v in vars(x).values()] == [type(v) for v in vars(y).values()]
                assert repr(x) == repr(y) and hash(x) == hash(y)


def _observers(count: int, seed: int) -> list[isspass.Observer]:
    rng = random.Random(seed)
    return [
        isspass.Observer(rng.uniform(-80, 80), rng.uniform(-180, 360), rng.uniform(-100, 4000))
        for _ in range(count)
    ]


@pytest.mark.parametrize(("seed", "visible_only"), [(1, True), (3, False), (4, False)])
def test_searched_passes_are_the_public_constructors_objects(iss, seed, visible_only):
    """Random observers, every kind of pass (visible, daylight, unlit; with and without lit arcs)."""
    table = isspass.find_pass_table(_observers(12, seed), START, 3, satellite=iss, visible_only=visible_only)
    assert len(table) > 20
    fast = table.to_passes()
    assert gc.isenabled()  # paused while the objects are made, and only then
    assert_same_objects(fast, public_passes(table))
    if not visible_only:
        assert {p.type for p in fast} == set(PassType)
        assert any(p.appears is None for p in fast) and any(p.shadow_entry is not None for p in fast)
    # and the object API hands out the same objects, observer by observer
    assert table.per_observer(12) == [
        [p for p, owner in zip(fast, table.observer.tolist(), strict=True) if owner == i] for i in range(12)
    ]


def _random_table(rng: np.random.Generator, rows: int) -> PassTable:
    """A table of arbitrary values (not physics): absent events, NaN magnitudes, compass-sector
    edges, times across the whole datetime range, passes without orbit numbers, two satellites."""
    width = len(EVENTS)
    micro = rng.integers(FIRST_US, LAST_US, (rows, width), endpoint=True)
    edges = np.array([FIRST_US, LAST_US, 0, -1, 1, 86_400_000_000 - 1, -86_400_000_000])
    if rows:
        micro.flat[rng.integers(0, micro.size, 5)] = rng.choice(edges, 5)
    time = micro.view("datetime64[us]").copy()
    time[rng.random((rows, width)) < 0.25] = np.datetime64("NaT")
    time[:, :5] = micro[:, :5].view("datetime64[us]")  # rise … horizon set: always there
    azimuth = rng.uniform(-720, 720, (rows, width))
    sector_edges = 11.25 + 22.5 * rng.integers(-32, 32, (rows, width))
    on_edge = rng.random((rows, width)) < 0.3
    azimuth[on_edge] = sector_edges[on_edge]
    if rows:
        awkward = [-0.0, 360.0, -1e-300, 359.99999999999994]
        azimuth.flat[rng.integers(0, azimuth.size, 3)] = rng.choice(awkward, 3)
    magnitude = rng.uniform(-4, 6, (rows, width))
    magnitude[rng.random((rows, width)) < 0.4] = np.nan
    return PassTable(
        observer=np.sort(rng.integers(0, 5, rows)),
        time=time,
        altitude_deg=rng.uniform(-90, 90, (rows, width)),
        azimuth_deg=azimuth,
        range_km=rng.uniform(300, 3000, (rows, width)),
        sun_altitude_deg=rng.uniform(-90, 90, (rows, width)),
        sunlit=rng.random((rows, width)) < 0.5,
        point_magnitude=magnitude,
        type=rng.integers(0, len(PASS_TYPES), rows).astype(np.int8),
        brightest_magnitude=np.where(rng.random(rows) < 0.5, np.nan, rng.uniform(-4, 6, rows)),
        visible_duration_s=rng.uniform(0, 600, rows),
        timing_uncertainty_s=rng.uniform(0, 60, rows),
        orbit_number=np.where(rng.random(rows) < 0.3, NO_ORBIT, rng.integers(1, 10**6, rows)),
        id=np.array([f"{k}-päss-{k * 7}" if k % 3 else "" for k in range(rows)]),
        norad_id=np.where(np.arange(rows) < rows // 2, 25544, 20580),
        satellite_name="ISS (ZARYA)",
        min_elevation_deg=float(rng.uniform(0, 30)),
    )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(0, 30))
def test_any_table_gives_the_public_constructors_objects(seed, rows):
    table = _random_table(np.random.default_rng(seed), rows)
    assert_same_objects(table.to_passes(), public_passes(table))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=50))
def test_compass_points_are_the_scalar_names(azimuths):
    edges = [11.25 + 22.5 * k for k in range(-20, 20)] + [-0.0, 360.0, -5e-324, 359.99999999999994, 1e300]
    around = [math.nextafter(e, towards) for e in edges for towards in (math.inf, -math.inf)]
    values = azimuths + edges + around
    names = compass_points(np.array(values))
    assert names == [compass_point(a) for a in values]
    assert all(any(name is point for point in COMPASS_POINTS) for name in names)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_compass_points_refuse_what_the_scalar_refuses(bad):
    with pytest.raises(ValueError):
        compass_point(bad)
    with pytest.raises(ValueError):
        compass_points(np.array([10.0, bad]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(FIRST_US, LAST_US), max_size=60))
def test_datetimes_are_exact_over_the_whole_calendar(micro):
    micro += [FIRST_US, LAST_US, 0, -1, 1, _us(2000, 2, 29, 12), _us(2100, 2, 28, 23, 59, 59, 999999)]
    got = utc_datetimes(np.array(micro, dtype=np.int64).view("datetime64[us]"))
    assert got == [EPOCH + timedelta(microseconds=m) for m in micro]
    assert all(type(d) is datetime and d.tzinfo is timezone.utc for d in got)


def test_absent_values_are_refused_or_none():
    with pytest.raises(ValueError):
        utc_datetimes(np.array(["2026-09-24T00:00", "NaT"], dtype="datetime64[us]"))
    assert optional_floats(np.array([1.5, np.nan, -0.0])) == [1.5, None, -0.0]


def test_the_public_constructors_still_check():
    when = datetime(2026, 9, 24, 18, 0, tzinfo=timezone.utc)
    point = PassPoint(when, 45.0, 100.0, 600.0, -12.0, True, -3.1)
    assert point.direction == "E"
    with pytest.raises(TypeError):  # the direction is derived, never given
        PassPoint(when, 45.0, 100.0, 600.0, -12.0, True, -3.1, "N")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        PassPoint(time=when, altitude_deg=45.0, azimuth_deg=100.0, range_km=600.0,  # type: ignore[call-arg]
                  sun_altitude_deg=-12.0, sunlit=True, magnitude=None, direction="N")  # fmt: skip
    with pytest.raises(ValueError):
        PassPoint(when, 45.0, math.nan, 600.0, -12.0, True, None)
    with pytest.raises(ValueError):
        isspass.Observer(91.0, 8.5)


def test_bulk_objects_behave_like_any_other(iss):
    table = isspass.find_pass_table(_observers(4, 7), START, 2, satellite=iss, visible_only=False)
    p = table.to_passes()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.id = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.rise.direction = "N"  # type: ignore[misc]
    # replace goes through the public constructor: the direction follows the new azimuth
    turned = dataclasses.replace(p.rise, azimuth_deg=p.rise.azimuth_deg + 180.0)
    assert turned.direction == compass_point(p.rise.azimuth_deg + 180.0) != p.rise.direction
    assert dataclasses.replace(p, id="other").rise is p.rise
    assert pickle.loads(pickle.dumps(p)) == p == copy.deepcopy(p)
    assert {p: 1}[copy.copy(p)] == 1
