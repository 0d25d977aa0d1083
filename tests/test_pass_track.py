"""The track of a pass as data: it goes through the pass's events, and Skyfield sees the same sky."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

import isspass
from isspass.pass_track import pass_track
from isspass.sky import skyfield_ephemeris, skyfield_timescale

PLACE = isspass.Observer(40.71, -74.01, 10)  # New York: visible, daylight and unlit passes in two days
START = datetime(2026, 9, 24, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def passes(iss):
    """Every pass over New York for two days: visible, daylight and unlit ones."""
    found = isspass.find_passes(PLACE, START, 2, satellite=iss, visible_only=False)
    assert {p.type.value for p in found} == {"visible", "daylight", "unlit"}
    return found


def _times(track):
    return [
        START + timedelta(microseconds=int(us))
        for us in (track.times - np.datetime64(START.replace(tzinfo=None), "us")).astype(int)
    ]


def test_track_runs_from_rise_to_set_through_every_event(passes, iss):
    for p in passes:
        track = pass_track(p, PLACE, iss, step_s=3.0)
        times = _times(track)
        assert times[0] == p.rise.time and times[-1] == p.set.time  # to the microsecond
        assert np.all(np.diff(track.offset_s) > 0) and np.max(np.diff(track.offset_s)) <= 3.0 + 1e-9
        for name in ("rise", "culmination", "set", "appears", "highest", "disappears"):
            point = getattr(p, name)
            if point is None:
                continue
            i = track.index_at(point.time)
            assert abs((times[i] - point.time).total_seconds()) < 1e-3
            assert track.altitude_deg[i] == pytest.approx(point.altitude_deg, abs=1e-5)
            # On the sky, not in azimuth alone (which stretches near the zenith).
            turn = (track.azimuth_deg[i] - point.azimuth_deg + 180) % 360 - 180
            assert abs(turn * np.cos(np.radians(point.altitude_deg))) < 1e-5
            assert track.range_km[i] == pytest.approx(point.range_km, abs=1e-3)
        # The culmination is the highest sample; nothing dips below the minimum elevation.
        assert track.altitude_deg.max() == pytest.approx(p.culmination.altitude_deg, abs=1e-5)
        assert track.altitude_deg.min() >= p.min_elevation_deg - 1e-5


def test_sunlight_and_magnitude_follow_the_pass(passes, iss):
    for p in passes:
        track = pass_track(p, PLACE, iss)
        if p.type.value == "unlit":
            assert not track.sunlit.any() and np.isnan(track.magnitude).all()
            continue
        assert np.array_equal(np.isnan(track.magnitude), ~track.sunlit)
        assert track.magnitude[track.index_at(p.highest.time)] == pytest.approx(p.magnitude, abs=1e-6)
        assert np.nanmin(track.magnitude) == pytest.approx(p.brightest_magnitude, abs=0.02)
        lit_offsets = track.offset_s[track.sunlit]
        first = (p.appears.time - p.rise.time).total_seconds()
        last = (p.disappears.time - p.rise.time).total_seconds()
        assert lit_offsets.min() == pytest.approx(first, abs=1e-6)
        assert lit_offsets.max() == pytest.approx(last, abs=1e-6)
    entering = [p for p in passes if p.disappears is not None and p.disappears.time < p.set.time]
    assert entering, "the two days hold a pass that enters the shadow above the minimum elevation"


def test_skyfield_sees_the_same_track(passes, iss):
    """Independent geometry: Skyfield's own topocentric alt/az/range and is_sunlit at the samples."""
    ts, eph = skyfield_timescale(), skyfield_ephemeris()
    satellite = EarthSatellite.from_satrec(iss.elements.satrec, ts)
    place = wgs84.latlon(PLACE.latitude_deg, PLACE.longitude_deg, PLACE.elevation_m)
    for p in passes[:4]:
        track = pass_track(p, PLACE, iss, step_s=10.0)
        t = ts.from_datetimes(_times(track))
        alt, az, distance = (satellite - place).at(t).altaz()
        assert np.max(np.abs(alt.degrees - track.altitude_deg)) < 0.005
        delta_az = (az.degrees - track.azimuth_deg + 180) % 360 - 180
        assert np.max(np.abs(delta_az * np.cos(np.radians(track.altitude_deg)))) < 0.005
        assert np.max(np.abs(distance.km - track.range_km)) < 0.05
        sunlit = satellite.at(t).is_sunlit(eph)
        assert np.mean(sunlit == track.sunlit) >= 0.95  # only the samples on the shadow's edge may differ


def test_a_track_for_another_place_or_satellite_is_refused(passes, iss, history):
    p = passes[0]
    with pytest.raises(ValueError, match="not found for this observer"):
        pass_track(p, isspass.Observer(52.52, 13.40), iss)
    other = isspass.Satellite(history[0], standard_magnitude=-1.8)
    with pytest.raises(ValueError, match="not found for this observer"):
        pass_track(p, PLACE, other)
    for step in (0, 0.01, float("nan"), True, "2"):
        with pytest.raises(ValueError):
            pass_track(p, PLACE, iss, step_s=step)
    with pytest.raises(TypeError):
        pass_track(p, (47.37, 8.54), iss)


def test_unknown_standard_magnitude_gives_no_magnitudes(iss):
    plain = isspass.Satellite(iss.elements, standard_magnitude=None)
    p = isspass.find_passes(PLACE, START, 1, satellite=plain)[0]
    track = pass_track(p, PLACE, plain)
    assert track.sunlit.any() and np.isnan(track.magnitude).all()
