"""The pass search against a brute-force reference: Skyfield sampled every second."""

from __future__ import annotations

import pytest

import isspass
from conftest import REFERENCE_DAYS, REFERENCE_START
from reference import passes_from_grid, seconds

# (latitude, longitude, elevation m): equator, ±35°, +60°, −50°, one at 3000 m, and one
# near the ISS's northern limit, where passes graze the horizon.
OBSERVERS = [
    (0.0, 32.58, 0.0),
    (35.68, 139.69, 40.0),
    (-35.28, 149.13, 580.0),
    (60.17, 24.94, 10.0),
    (-50.0, -69.2, 0.0),
    (-23.0, -67.75, 3000.0),
    (55.5, -3.2, 100.0),
]
TIME_TOL_S = 0.5
ALT_TOL_DEG = 0.05


def _compare(reference, observer, min_elevation, twilight=-6.0):
    lat, lon, elev = observer
    grid = reference.grid(lat, lon, elev)
    expected = passes_from_grid(grid, min_elevation, twilight, REFERENCE_DAYS)
    found = isspass.find_passes(
        isspass.Observer(lat, lon, elev),
        REFERENCE_START,
        REFERENCE_DAYS,
        satellite=isspass.load_satellite(start=REFERENCE_START),
        min_elevation_deg=min_elevation,
        twilight_deg=twilight,
        visible_only=False,
    )
    assert len(found) == len(expected), (observer, [p.rise.time for p in found])
    worst = {"time": 0.0, "altitude": 0.0}
    for ref, got in zip(expected, found, strict=True):
        t = lambda point: seconds(REFERENCE_START, point.time)  # noqa: E731
        pairs = [(t(got.rise), ref.rise), (t(got.culmination), ref.culmination), (t(got.set), ref.set)]
        assert got.type.value == ref.type, (observer, got.rise.time)
        if ref.lit_start is None:
            assert got.appears is None and got.disappears is None
        else:
            pairs += [(t(got.appears), ref.lit_start), (t(got.disappears), ref.lit_end)]
        found_crossings = [t(p) for p in (got.shadow_entry, got.shadow_exit) if p is not None]
        assert len(found_crossings) == len(ref.shadow_crossings)
        pairs += list(zip(sorted(found_crossings), ref.shadow_crossings, strict=True))
        for mine, theirs in pairs:
            assert abs(mine - theirs) <= TIME_TOL_S, (observer, got.rise.time, mine, theirs)
            worst["time"] = max(worst["time"], abs(mine - theirs))
        alt_error = abs(got.culmination.altitude_deg - ref.peak_altitude)
        assert alt_error <= ALT_TOL_DEG
        worst["altitude"] = max(worst["altitude"], alt_error)
        assert got.rise.altitude_deg == pytest.approx(min_elevation, abs=1e-3)
        assert got.set.altitude_deg == pytest.approx(min_elevation, abs=1e-3)
    return expected, worst


@pytest.mark.parametrize("observer", OBSERVERS, ids=lambda o: f"{o[0]:+.0f},{o[1]:+.0f},{o[2]:.0f}m")
def test_same_passes_as_one_second_skyfield_grid(reference, observer):
    expected, _ = _compare(reference, observer, 10.0)
    assert expected, "each reference observer sees passes in three days"


@pytest.mark.parametrize("min_elevation", [0.0, 30.0, 60.0])
def test_other_minimum_elevations(reference, min_elevation):
    _compare(reference, OBSERVERS[1], min_elevation)


@pytest.mark.parametrize("twilight", [-3.0, -12.0, -18.0])
def test_other_twilight_altitudes(reference, twilight):
    _compare(reference, OBSERVERS[3], 10.0, twilight)


def test_reference_covers_every_pass_type(reference):
    kinds = set()
    for lat, lon, elev in OBSERVERS:
        grid = reference.grid(lat, lon, elev)
        kinds |= {p.type for p in passes_from_grid(grid, 10.0, -6.0, REFERENCE_DAYS)}
    assert kinds == {"visible", "daylight", "unlit"}
