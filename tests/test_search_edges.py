"""Edges of the search: windows cutting passes, tiny windows, poles, grazing passes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sgp4.io import compute_checksum

import isspass
from conftest import REFERENCE_DAYS, REFERENCE_START
from reference import passes_from_grid, seconds

ZURICH = isspass.Observer(47.3744, 8.5410, 400.0)
START = datetime(2026, 9, 24, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def all_passes(iss):
    return isspass.find_passes(ZURICH, START, 3, satellite=iss, visible_only=False)


def _same(a: isspass.Pass, b: isspass.Pass) -> None:
    for name in ("rise", "culmination", "set"):
        assert abs((getattr(a, name).time - getattr(b, name).time).total_seconds()) < 0.01, name
    assert a.type is b.type


def test_window_starting_mid_pass_reports_true_rise(iss, all_passes):
    target = all_passes[3]
    found = isspass.find_passes(ZURICH, target.culmination.time, 0.1, satellite=iss, visible_only=False)
    assert found[0].rise.time < target.culmination.time
    _same(found[0], target)


def test_window_ending_mid_pass_reports_true_set(iss, all_passes):
    target = all_passes[4]
    start = target.culmination.time - timedelta(hours=2)
    found = isspass.find_passes(ZURICH, start, 2 / 24, satellite=iss, visible_only=False)
    assert found[-1].set.time > start + timedelta(hours=2)
    _same(found[-1], target)


def test_one_minute_window_inside_a_pass(iss, all_passes):
    target = all_passes[5]
    assert target.duration_s > 120
    found = isspass.find_passes(
        ZURICH, target.rise.time + timedelta(seconds=30), 1 / 1440, satellite=iss, visible_only=False
    )
    assert len(found) == 1
    _same(found[0], target)


def test_one_minute_window_between_passes_is_empty(iss, all_passes):
    gap_start = all_passes[0].set.time + timedelta(minutes=5)
    assert isspass.find_passes(ZURICH, gap_start, 1 / 1440, satellite=iss, visible_only=False) == []


def test_window_edges_touching_a_pass_keep_it(iss, all_passes):
    target = all_passes[2]
    just_before = isspass.find_passes(
        ZURICH, target.set.time - timedelta(seconds=1), 0.001, satellite=iss, visible_only=False
    )
    assert just_before and abs((just_before[0].rise.time - target.rise.time).total_seconds()) < 0.01


@pytest.mark.parametrize("latitude", [90.0, -90.0, 80.0, -80.0])
def test_no_iss_passes_near_the_poles(iss, latitude):
    observer = isspass.Observer(latitude, 0.0)
    assert isspass.find_passes(observer, START, 10, satellite=iss, visible_only=False) == []


def test_polar_observer_sees_a_polar_orbiter():
    """At the pole itself the search and the azimuths still work (a sun-synchronous orbit)."""
    line1 = "1 27386U 02009A   26265.50000000  .00000100  00000-0  40000-4 0  9990"
    line2 = "2 27386  98.2000  90.0000 0001000  90.0000 270.0000 14.38000000  0000"
    fix = lambda line: line[:68] + str(compute_checksum(line))  # noqa: E731
    sat = isspass.load_satellite(elements=isspass.parse_elements(f"ENVISAT\n{fix(line1)}\n{fix(line2)}\n"))
    for latitude in (90.0, -90.0):
        passes = isspass.find_passes(
            isspass.Observer(latitude, 0.0), START, 1, satellite=sat, visible_only=False
        )
        assert len(passes) > 5
        for p in passes:
            assert p.rise.time < p.culmination.time < p.set.time
            assert 0.0 <= p.culmination.azimuth_deg < 360.0


def test_grazing_passes_at_the_threshold(iss, all_passes):
    """A pass that crests the minimum elevation by a hair is still found, and no more."""
    for target in all_passes[:6]:
        peak = target.culmination.altitude_deg
        for margin in (0.05, 0.01, 0.001):
            found = isspass.find_passes(
                ZURICH, START, 3, satellite=iss, min_elevation_deg=peak - margin, visible_only=False
            )
            match = [
                p for p in found if abs((p.culmination.time - target.culmination.time).total_seconds()) < 1
            ]
            assert len(match) == 1, (peak, margin)
            grazing = match[0]
            assert grazing.rise.time < grazing.culmination.time < grazing.set.time
            assert grazing.duration_s < 60
            assert grazing.culmination.altitude_deg >= peak - margin
        above = isspass.find_passes(
            ZURICH, START, 3, satellite=iss, min_elevation_deg=peak + 0.001, visible_only=False
        )
        assert all(abs((p.culmination.time - target.culmination.time).total_seconds()) > 60 for p in above)


def test_grazing_pass_agrees_with_the_reference(reference, iss):
    """A pass cresting 10° by 0.05° is found by both, with the same rise and set."""
    observer = (47.3744, 8.5410, 400.0)
    everything = passes_from_grid(reference.grid(*observer), 0.0, -6.0, REFERENCE_DAYS)
    target = min(everything, key=lambda p: abs(p.peak_altitude - 20.0))
    threshold = target.peak_altitude - 0.05
    expected = [p for p in passes_from_grid(reference.grid(*observer), threshold, -6.0, REFERENCE_DAYS)
                if abs(p.culmination - target.culmination) < 5]  # fmt: skip
    found = isspass.find_passes(
        isspass.Observer(*observer), REFERENCE_START, REFERENCE_DAYS,
        satellite=iss, min_elevation_deg=threshold, visible_only=False,
    )  # fmt: skip
    got = [p for p in found if abs(seconds(REFERENCE_START, p.culmination.time) - target.culmination) < 5]
    assert len(expected) == len(got) == 1
    assert abs(seconds(REFERENCE_START, got[0].rise.time) - expected[0].rise) < 0.5
    assert abs(seconds(REFERENCE_START, got[0].set.time) - expected[0].set) < 0.5


def test_bad_arguments(iss):
    with pytest.raises(ValueError, match="timezone-aware"):
        isspass.find_passes(ZURICH, datetime(2026, 9, 24), 1, satellite=iss)
    for days in (0, -1, float("nan"), float("inf"), 1000):
        with pytest.raises(ValueError, match="days"):
            isspass.find_passes(ZURICH, START, days, satellite=iss)
    with pytest.raises(ValueError, match="min_elevation_deg"):
        isspass.find_passes(ZURICH, START, 1, satellite=iss, min_elevation_deg=95)
    with pytest.raises(ValueError, match="twilight_deg"):
        isspass.find_passes(ZURICH, START, 1, satellite=iss, twilight_deg=5)
    with pytest.raises(TypeError):
        isspass.find_passes((47.0, 8.0), START, 1, satellite=iss)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"latitude_deg": 91, "longitude_deg": 0}, "latitude"),
        ({"latitude_deg": float("nan"), "longitude_deg": 0}, "finite"),
        ({"latitude_deg": 0, "longitude_deg": float("inf")}, "finite"),
        ({"latitude_deg": 0, "longitude_deg": -181}, "longitude"),
        ({"latitude_deg": 0, "longitude_deg": 0, "elevation_m": 20000}, "elevation"),
        ({"latitude_deg": "47", "longitude_deg": 0}, "number"),
    ],
)
def test_observer_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        isspass.Observer(**kwargs)


def test_observer_longitude_folding():
    assert isspass.Observer(10, 350).longitude_deg == -10.0
    assert isspass.Observer(10, 180).longitude_deg == 180.0


def test_decayed_elements_raise():
    """A satellite whose orbit has decayed by the window fails with a typed error, not NaNs."""
    line1 = "1 25544U 98067A   26267.14191496  .00009634  00000+0  50000-1 0  999"  # huge drag
    line2 = "2 25544  51.6318 170.3464 0004691 174.6338 185.4701 16.20000000587098"  # low orbit
    text = "".join(f"{line[:68]}{compute_checksum(line)}\n" for line in (line1, line2))
    doomed = isspass.load_satellite(elements=isspass.parse_elements(text))
    with pytest.raises(isspass.PropagationError, match="decayed"):
        isspass.find_passes(ZURICH, doomed.epoch + timedelta(days=30), 1, satellite=doomed)


def test_elements_decades_from_the_window_are_refused_even_when_allowed(iss):
    """Whatever is allowed, a set 20 years from the window predicts nothing real."""
    with pytest.raises(isspass.StaleElementsError, match="7040 days from the window"):
        isspass.find_passes(ZURICH, datetime(2046, 1, 1, tzinfo=timezone.utc), 1, satellite=iss)
    with pytest.raises(isspass.StaleElementsError, match="even with stale elements allowed"):
        isspass.find_passes(ZURICH, datetime(2025, 9, 1, tzinfo=timezone.utc), 1, allow_stale=True,
                            offline=True)  # fmt: skip


@pytest.mark.parametrize(
    "start",
    [datetime(1899, 7, 1, tzinfo=timezone.utc), datetime(2053, 10, 8, tzinfo=timezone.utc)],
    ids=["1899", "2053"],
)
def test_windows_outside_the_ephemeris_are_refused(iss, start):
    with pytest.raises(isspass.errors.WindowError, match=r"outside 1899-07-28\.\.2053-10-08"):
        isspass.find_passes(ZURICH, start, 1, satellite=iss)
