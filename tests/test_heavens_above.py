"""Heavens-Above's own visible-pass table for Zurich, reproduced with HA's own TLE."""

from __future__ import annotations

from datetime import timedelta

import pytest

import isspass
from conftest import DATA
from heavens_above import read_capture

CAPTURE = read_capture((DATA / "heavens-above-zurich-iss-2022-01.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def passes():
    satellite = isspass.load_satellite(elements=isspass.parse_elements(CAPTURE.tle, "heavens-above"))
    observer = isspass.Observer(CAPTURE.latitude, CAPTURE.longitude, CAPTURE.elevation_m)
    # Heavens-Above's 10-day table runs from noon of the first day, local time.
    start = CAPTURE.first_day + timedelta(hours=12)
    return isspass.find_passes(observer, start, 10, satellite=satellite)


def test_capture_is_read_completely():
    assert len(CAPTURE.passes) == 15
    assert sum(len(p.details) for p in CAPTURE.passes) == 12


def test_exactly_heavens_above_visible_passes(passes):
    assert len(passes) == len(CAPTURE.passes)
    for got, want in zip(passes, CAPTURE.passes, strict=True):
        assert got.type is isspass.PassType.VISIBLE
        assert abs((got.highest.time - want.highest.time).total_seconds()) < 60


@pytest.mark.parametrize("index", range(15))
def test_start_highest_end(passes, index):
    got, want = passes[index], CAPTURE.passes[index]
    for mine, theirs in ((got.appears, want.start), (got.highest, want.highest), (got.disappears, want.end)):
        assert abs((mine.time - theirs.time).total_seconds()) <= 2.0
        assert mine.altitude_deg == pytest.approx(theirs.altitude, abs=1.0)
        assert mine.direction == theirs.direction
    assert got.magnitude == pytest.approx(want.magnitude, abs=0.3)


def test_pass_details(passes):
    """Rises (0°), reaches 10°, maximum altitude and enters shadow: time, place, distance."""
    checked = 0
    for got, want in zip(passes, CAPTURE.passes, strict=True):
        mine = {
            "Rises": got.horizon_rise,
            "Reaches altitude 10°": got.rise,
            "Maximum altitude": got.culmination,
            "Enters shadow": got.shadow_entry,
        }
        for event, theirs in want.details.items():
            point = mine[event]
            assert abs((point.time - theirs.time).total_seconds()) <= 2.0, event
            assert point.altitude_deg == pytest.approx(theirs.altitude, abs=1.0), event
            assert point.azimuth_deg == pytest.approx(theirs.azimuth, abs=1.0), event
            assert point.direction == theirs.direction, event
            assert point.range_km == pytest.approx(theirs.distance_km, rel=0.005), event
            assert point.magnitude == pytest.approx(theirs.magnitude, abs=0.3), event
            assert point.sun_altitude_deg == pytest.approx(theirs.sun_altitude, abs=0.15), event
            checked += 1
    assert checked == 12
