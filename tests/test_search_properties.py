"""Invariants of every search, for random observers and windows (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from skyfield.api import EarthSatellite, wgs84

import isspass
from isspass.search import Track
from isspass.sky import skyfield_timescale

EPOCH = datetime(2026, 9, 24, 3, 24, tzinfo=timezone.utc)


def _altitudes(track, observer, when, offsets):
    """isspass's own altitudes (degrees) at ``when`` + ``offsets`` seconds, on the search's track."""
    from isspass.sky import Sites, look

    site = Sites.from_geodetic([observer.latitude_deg], [observer.longitude_deg], [observer.elevation_m])
    base = (when - track.t0).total_seconds()
    return look(track.orbit, site, base + offsets).altitude_deg


# Derandomized: the same 60 examples on every run, so CI is reproducible.
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    latitude=st.floats(-70, 70),
    longitude=st.floats(-180, 180),
    elevation=st.floats(0, 4000),
    offset_h=st.floats(-72, 72),
    days=st.floats(0.01, 2.0),
    min_elevation=st.floats(0, 60),
    twilight=st.sampled_from([-3.0, -6.0, -12.0]),
)
def test_pass_invariants(iss, latitude, longitude, elevation, offset_h, days, min_elevation, twilight):
    start = EPOCH + timedelta(hours=offset_h)
    end = start + timedelta(days=days)
    observer = isspass.Observer(latitude, longitude, elevation)
    passes = isspass.find_passes(
        observer, start, days, satellite=iss, min_elevation_deg=min_elevation,
        twilight_deg=twilight, visible_only=False,
    )  # fmt: skip
    track = Track.build(iss, start, days * 86400.0)  # the same geometry the search used
    ts = skyfield_timescale()
    sat = EarthSatellite.from_satrec(iss.elements.satrec, ts)
    topos = wgs84.latlon(latitude, longitude, elevation)
    for before, after in itertools.pairwise(passes):
        assert before.set.time < after.rise.time  # ordered and disjoint
    for p in passes:
        assert p.set.time >= start and p.rise.time <= end  # overlaps the window
        assert p.horizon_rise.time <= p.rise.time < p.culmination.time < p.set.time <= p.horizon_set.time
        assert p.culmination.altitude_deg >= min_elevation
        # The culmination is the highest point: sample the pass with isspass's own geometry
        # (exact), and independently with Skyfield (the two agree to ~10 milliarcseconds).
        span = (p.set.time - p.rise.time).total_seconds()
        offsets = np.linspace(0, span, 41)
        own = _altitudes(track, observer, p.rise.time, offsets)
        assert np.max(own) <= p.culmination.altitude_deg + 1e-9
        assert np.min(own) >= min_elevation - 1e-6
        times = ts.from_datetimes([p.rise.time + timedelta(seconds=float(x)) for x in offsets])
        altitudes = (sat - topos).at(times).altaz()[0].degrees
        assert np.max(np.abs(altitudes - own)) < 1e-4
        assert np.max(altitudes) <= p.culmination.altitude_deg + 1e-4
        if p.type is isspass.PassType.UNLIT:
            assert p.appears is None and p.magnitude is None and p.visible_duration_s == 0
            assert p.brightest_magnitude is None and p.highest is None and p.disappears is None
        else:
            assert p.rise.time <= p.appears.time <= p.highest.time <= p.disappears.time <= p.set.time
            assert p.highest.altitude_deg <= p.culmination.altitude_deg + 1e-9
            assert p.magnitude is not None and p.brightest_magnitude <= p.magnitude + 1e-9
        if p.type is isspass.PassType.VISIBLE:
            lit = (p.disappears.time - p.appears.time).total_seconds()
            assert 0 < p.visible_duration_s <= lit + 1e-6
        for point in (p.rise, p.culmination, p.set):
            assert point.time.tzinfo is timezone.utc
