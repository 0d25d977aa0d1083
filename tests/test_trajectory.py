"""Predicting from NASA's ISS trajectory: interpolation, frames against Skyfield, passes against a TLE.

The TLE (epoch 2025-02-28 13:00 UTC) lies inside the trajectory's span; NASA made the
trajectory two days before it. Both are predictions, so they agree to seconds, not better.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import isspass
from conftest import DATA
from isspass.errors import TrajectoryCoverageError
from isspass.interpolate import Polynomials
from isspass.oem import read_oem
from isspass.sky import SunTrack, shadow_depth, skyfield_ephemeris, skyfield_timescale
from isspass.trajectory import DEFAULT_HERMITE_NODES, TrajectoryOrbit, TrajectorySatellite, teme_rotation
from isspass.trajectory_policy import load_trajectory

UTC = timezone.utc
ISSUE_TLE = """\
ISS (ZARYA)
1 25544U 98067A   25059.54152977  .00022226  00000-0  40176-3 0  9996
2 25544  51.6353 125.1519 0006135 326.8326  33.2278 15.49597200498316
"""
OBSERVERS = [
    isspass.Observer(47.37, 8.54, 410),  # Zurich
    isspass.Observer(40.71, -74.01),  # New York
    isspass.Observer(-33.87, 151.21),  # Sydney
    isspass.Observer(35.68, 139.69),  # Tokyo
    isspass.Observer(-33.92, 18.42),  # Cape Town
    isspass.Observer(64.15, -21.94),  # Reykjavik: near the edge of the ISS's reach, few passes
]


@pytest.fixture(scope="module")
def oem():
    return read_oem(DATA / "nasa-iss-oem-2025-02-26-trimmed.xml.gz")


@pytest.fixture(scope="module")
def iss_oem(oem):
    return load_trajectory(oem)


@pytest.fixture(scope="module")
def iss_tle():
    return isspass.load_satellite(elements=isspass.parse_elements(ISSUE_TLE, "issue 13"))


def _metres(a, b):
    return np.sqrt(np.sum((np.asarray(a) - np.asarray(b)) ** 2, axis=0)) * 1000.0


# --------------------------------------------------------------------------- interpolation


@pytest.mark.parametrize(
    ("method", "worst_m", "median_m"),
    [("hermite", 10.0, 1.0), ("lagrange-8", 20.0, 3.0), ("cubic-hermite", None, 500.0)],
)
def test_left_out_vectors_are_predicted_from_their_neighbours(oem, method, worst_m, median_m):
    """Each vector left out in turn and predicted across the doubled gap.

    A degree-7 Hermite (the default) and a degree-8 Lagrange err by metres; a cubic
    Hermite over the 8-minute gap errs by kilometres, which is why it is not used.
    """
    segment = oem.segments[0]
    t = segment.epochs_s - segment.epochs_s[0]
    errors = []
    for k in range(8, len(segment) - 8):
        near = np.r_[k - 8 : k, k + 1 : k + 9]
        p, v = segment.position_km[:, near], segment.velocity_km_s[:, near]
        if method == "hermite":
            poly = Polynomials.hermite(t[near], p, v, DEFAULT_HERMITE_NODES)
        elif method == "cubic-hermite":
            poly = Polynomials.hermite(t[near], p, v, 2)
        else:
            poly = Polynomials.lagrange(t[near], np.vstack([p, v]), 8)
        errors.append(_metres(poly(t[k : k + 1])[0][:3, 0], segment.position_km[:, k]))
    errors = np.array(errors)
    if worst_m is None:
        assert np.median(errors) > median_m
    else:
        assert errors.max() < worst_m and np.median(errors) < median_m


def _split(oem, at: int, shift_km: float = 0.0):
    """The real vectors as two segments sharing the vector ``at``; the second moved by ``shift_km`` in x."""
    s = oem.segments[0]

    def part(a: int, b: int, shift: float):
        epochs = s.epochs_s[a:b]
        first, last = (datetime.fromtimestamp(float(e), UTC) for e in (epochs[0], epochs[-1]))
        position = s.position_km[:, a:b] + np.array([[shift], [0.0], [0.0]])
        return replace(s, start=first, stop=last, useable_start=first, useable_stop=last, epochs_s=epochs,
                       position_km=position, velocity_km_s=s.velocity_km_s[:, a:b])  # fmt: skip

    return replace(oem, segments=(part(0, at + 1, 0.0), part(at, len(s), shift_km)))


def _without(ephemeris, k: int, at: int):
    """The ephemeris without the real vector ``k`` (not the shared one)."""
    number, index = (0, k) if k < at else (1, k - at)
    segment = ephemeris.segments[number]
    keep = np.delete(np.arange(len(segment)), index)
    thinner = replace(segment, epochs_s=segment.epochs_s[keep], position_km=segment.position_km[:, keep],
                      velocity_km_s=segment.velocity_km_s[:, keep])  # fmt: skip
    segments = list(ephemeris.segments)
    segments[number] = thinner
    return replace(ephemeris, segments=tuple(segments))


def test_left_out_vectors_next_to_a_segment_boundary(oem):
    """Each side of a boundary is interpolated from its own segment only.

    The second segment is moved by 1 km: had any of its vectors served the first segment
    (or the reverse), the predictions next to the boundary would be off by hundreds of metres.
    """
    at = 600
    two = _split(oem, at, shift_km=1.0)
    truth = oem.segments[0]
    for k in (596, 597, 598, 599, 601, 602, 603, 604):
        satellite = TrajectorySatellite(_without(two, k, at), 25544)
        t0 = float(truth.epochs_s[k])
        orbit = TrajectoryOrbit(satellite, SunTrack.build(t0, -3600.0, 3600.0))
        r, _ = orbit.teme(np.array([0.0]))
        expected = teme_rotation("EME2000", np.array([t0]))[:, :, 0] @ truth.position_km[:, k]
        if k > at:
            expected += teme_rotation("EME2000", np.array([t0]))[:, :, 0] @ np.array([1.0, 0.0, 0.0])
        assert _metres(r[:, 0], expected) < 10.0, k
    # At the boundary itself each segment holds its own value: the jump is there, and only there.
    satellite = TrajectorySatellite(two, 25544)
    t0 = float(truth.epochs_s[at])
    orbit = TrajectoryOrbit(satellite, SunTrack.build(t0, -3600.0, 3600.0))
    before, after = orbit.teme(np.array([-1e-7, 1e-7]))[0].T
    assert 999.0 < _metres(before, after) < 1001.0


# --------------------------------------------------------------------------- frames


def test_positions_velocities_and_sunlight_agree_with_skyfield(iss_oem):
    """EME2000 vectors through the engine's frames, against Skyfield's own frames."""
    from skyfield.constants import AU_KM, DAY_S
    from skyfield.framelib import ICRS_to_J2000, itrs
    from skyfield.positionlib import Geocentric
    from skyfield.sgp4lib import TEME

    segment = iss_oem.ephemeris.segments[0]
    index = np.arange(0, len(segment), 7)
    epochs = segment.epochs_s[index]
    t0 = float(epochs[0])
    s = epochs - t0
    orbit = TrajectoryOrbit(iss_oem, SunTrack.build(t0, 0.0, float(s[-1])))
    r_teme, v_teme = orbit.teme(s)
    r_itrs, _ = orbit.itrs(s)

    days = np.floor(epochs / DAY_S)
    times = skyfield_timescale().utc(1970, 1, 1 + days, 0, 0, epochs - days * DAY_S)
    gcrs_r = ICRS_to_J2000.T @ segment.position_km[:, index]
    gcrs_v = ICRS_to_J2000.T @ segment.velocity_km_s[:, index]
    sky = Geocentric(gcrs_r / AU_KM, gcrs_v / AU_KM * DAY_S, t=times, center=399)
    sky_r, sky_v = sky.frame_xyz_and_velocity(TEME)
    assert _metres(r_teme, sky_r.km).max() < 0.5
    assert _metres(v_teme, sky_v.km_per_s).max() < 1e-3  # mm/s
    # Earth-fixed: TEME by GMST 1982 (the engine), against Skyfield's ITRS (GAST, IAU 2000A).
    assert _metres(r_itrs, sky.frame_xyz(itrs).km).max() < 5.0
    # The shadow: the engine's TEME Sun against Skyfield's is_sunlit, away from the edges.
    depth, _ = shadow_depth(r_teme, v_teme, orbit.sun.geometric_teme_km(s))
    clear = np.abs(depth) > 1e-4
    assert np.array_equal((depth < 0)[clear], sky.is_sunlit(skyfield_ephemeris())[clear])
    assert 0.2 < np.mean(depth < 0) < 0.9  # both sunlight and shadow were tested


# --------------------------------------------------------------------------- passes


def test_passes_from_the_trajectory_and_from_the_tle_agree_within_a_day_of_its_epoch(iss_oem, iss_tle):
    start = iss_tle.epoch - timedelta(days=1)
    from_oem = isspass.find_passes_many(OBSERVERS, start, 2, satellite=iss_oem, visible_only=False)
    from_tle = isspass.find_passes_many(OBSERVERS, start, 2, satellite=iss_tle, visible_only=False)
    worst, count, visible = 0.0, 0, 0
    for mine, theirs in zip(from_oem, from_tle, strict=True):
        assert len(mine) == len(theirs) > 0
        for a, b in zip(mine, theirs, strict=True):
            assert a.type is b.type
            for name in ("rise", "culmination", "set", "horizon_rise", "horizon_set"):
                gap = abs((getattr(a, name).time - getattr(b, name).time).total_seconds())
                worst = max(worst, gap)
            assert a.culmination.altitude_deg == pytest.approx(b.culmination.altitude_deg, abs=0.3)
            assert a.culmination.range_km == pytest.approx(b.culmination.range_km, abs=20)
            if a.visible:
                visible += 1
                assert abs((a.appears.time - b.appears.time).total_seconds()) < 4.0
                assert abs((a.disappears.time - b.disappears.time).total_seconds()) < 4.0
                assert a.magnitude == pytest.approx(b.magnitude, abs=0.1)
            count += 1
    assert count > 40 and visible > 3
    assert 0.3 < worst < 4.0  # seconds: two predictions, not one source twice


def test_the_trajectory_carries_its_own_decay_and_timing_uncertainty(iss_oem, iss_tle):
    # The decay the trajectory shows, against the TLE's drag term: same order, independently.
    assert iss_oem.mean_motion == pytest.approx(iss_tle.elements.mean_motion, abs=0.01)
    assert 0.5 < iss_oem.mean_motion_dot / iss_tle.elements.mean_motion_dot < 1.5
    created = iss_oem.epoch
    assert created == datetime(2025, 2, 26, 18, 18, 7, 830000, tzinfo=UTC)
    soon, later = (iss_oem.timing_uncertainty_s(created + timedelta(days=d)) for d in (1, 4))
    assert 0.05 < soon < 1.0 < later < 10.0
    (first, *_), *_ = isspass.find_passes_many(OBSERVERS[:1], iss_tle.epoch, 1, satellite=iss_oem)
    assert first.timing_uncertainty_s == pytest.approx(iss_oem.timing_uncertainty_s(first.culmination.time))


def test_windows_the_trajectory_does_not_cover_are_refused(iss_oem):
    zurich = OBSERVERS[0]
    stop = iss_oem.ephemeris.stop
    near_the_end = isspass.find_passes(
        zurich, stop - timedelta(hours=12), 0.4, satellite=iss_oem, visible_only=False
    )
    assert near_the_end and near_the_end[-1].set.time < stop
    # The search follows the satellite an orbit beyond the window: that must be covered too.
    with pytest.raises(TrajectoryCoverageError, match=r"not the window .* with an orbit to spare"):
        isspass.find_passes(zurich, stop - timedelta(minutes=60), 0.01, satellite=iss_oem)
    with pytest.raises(TrajectoryCoverageError):
        isspass.find_passes(zurich, datetime(2026, 9, 24, tzinfo=UTC), 1, satellite=iss_oem)
    assert iss_oem.can_predict(iss_oem.ephemeris.start + timedelta(hours=2), stop - timedelta(hours=2))
    assert not iss_oem.can_predict(iss_oem.ephemeris.start, stop)
