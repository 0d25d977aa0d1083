"""Many satellites searched in batches on shared grids: the passes of one search each, whatever the mix."""

from __future__ import annotations

import random
import warnings
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import isspass
from conftest import DATA
from isspass.ephemeris import window_padding_s
from isspass.oem import read_oem
from isspass.search import fleet_passes, grids
from isspass.search.fleet_track import FleetOrbits
from isspass.search.grids import SHARED_MAX_PERIOD_S, share_grids
from isspass.search.nodes import NodeOrbit
from isspass.search.track import grid_step_s
from isspass.sky import Orbit, SunTrack
from isspass.tle import compute_checksum
from isspass.trajectory_policy import load_trajectory
from test_fleet import OBSERVERS, _same

VISUAL = DATA / "visual-2026-02-22.tle"
START = datetime(2026, 2, 22, 12, tzinfo=timezone.utc)


def tle(norad: int, name: str, epoch: str, incl: float, node: float, ecc: float, perigee: float,
        anomaly: float, motion: float) -> str:  # fmt: skip
    """A three-line element set (no drag) with valid checksums."""
    one = f"1 {norad:05d}U 26001A   {epoch}  .00000000  00000-0  00000-0 0  999"
    two = (
        f"2 {norad:05d} {incl:8.4f} {node:8.4f} {round(ecc * 1e7):07d} {perigee:8.4f} {anomaly:8.4f} "
        f"{motion:11.8f}{100:5d}"
    )
    return f"{name}\n{one}{compute_checksum(one)}\n{two}{compute_checksum(two)}\n"


def high_orbits(epoch: str) -> list[isspass.Satellite]:
    """A GPS-like orbit, a Molniya orbit (e = 0.72) and a geostationary one, at ``epoch`` (YYDDD.DDDDDDDD)."""
    text = (
        tle(99001, "GPS TEST", epoch, 55.0, 100.0, 0.005, 30.0, 200.0, 2.00563)
        + tle(99002, "MOLNIYA TEST", epoch, 63.4, 40.0, 0.72, 270.0, 10.0, 2.006)
        + tle(99003, "GEO TEST", epoch, 0.05, 0.0, 0.0002, 0.0, 200.0, 1.0027)
    )
    return [isspass.load_satellite(elements=[e]) for e in isspass.parse_elements(text, "test")]


@pytest.fixture(scope="module")
def visual() -> dict[int, isspass.Satellite]:
    return {e.norad_id: isspass.load_satellite(elements=[e]) for e in isspass.read_elements(VISUAL)}


def _equal_to_one_search_each(fleet, observers, start, days, visible_only=False, expect_skipped=(),
                              chunk=256):  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        together = isspass.find_passes_many(
            observers, start, days, satellite=fleet, visible_only=visible_only, chunk_size=chunk
        )
    skipped = {w.message.args[0].split(" is left out")[0] for w in caught
               if issubclass(w.category, isspass.SatelliteSkippedWarning)}  # fmt: skip
    assert skipped == {f"{s.name} ({s.norad_id})" for s in expect_skipped}
    alone = [
        isspass.find_passes_many(observers, start, days, satellite=s, visible_only=visible_only)
        for s in fleet
        if s not in expect_skipped
    ]
    for k, merged in enumerate(together):
        expected = [p for per_satellite in alone for p in per_satellite[k]]
        assert sorted(p.id for p in merged) == sorted(p.id for p in expected)
        assert len(merged) == len(expected)
        for a, b in zip(sorted(merged, key=_key), sorted(expected, key=_key), strict=True):
            _same(a, b)  # (a trajectory's passes have no id: matched by satellite and time)
    return together


def _key(p: isspass.Pass) -> tuple[int, float]:
    return p.satellite.norad_id, p.culmination.time.timestamp()


@pytest.mark.parametrize("small_batches", [False, True])
def test_mixed_periods_and_high_orbits_over_several_observers(visual, monkeypatch, small_batches):
    # Periods from 89 to 127 minutes (two shared grids), an eccentric ISIS 1, and three high
    # orbits of 12 and 24 hours, each on its own grid; then the same in batches of two
    # satellites, altitudes of one satellite at a time, observers three at a time.
    chosen = [43521, 25544, 48274, 20580, 3669, 22285, 57800, 4632, 11267]
    fleet = [visual[n] for n in chosen if n in visual] + high_orbits("26053.50000000")
    if small_batches:
        monkeypatch.setattr(grids, "MAX_BATCH_SAMPLES", 2 * 1000)
        monkeypatch.setattr(fleet_passes, "MAX_PAIR_SAMPLES", 1)
        shared = share_grids([s.elements.period_s for s in fleet], 1.5 * 86400)
        assert max(len(g.members) for g in shared) == 2
    passes = _equal_to_one_search_each(fleet, OBSERVERS, START, 1.5, chunk=3 if small_batches else 256)
    seen = {p.satellite.norad_id for each in passes for p in each}
    assert {99001, 99002, 99003} <= seen and len(seen) >= 8
    periods = [s.elements.period_s for s in fleet]
    assert len({g.step_s for g in share_grids(periods, 1.5 * 86400.0) if len(g.members) > 1}) >= 1


def test_a_whole_group_for_one_night_in_one_search(visual):
    fleet = list(visual.values())
    night = datetime(2026, 2, 22, 16, tzinfo=timezone.utc)
    (passes,) = _equal_to_one_search_each(fleet, OBSERVERS[:1], night, 14 / 24, visible_only=True)
    assert len(passes) > 100


def test_a_member_that_decays_is_left_out_and_its_batch_mates_keep_their_passes(visual):
    # CZ-2C R/B 43521 re-enters 13 days after its epoch; the others share its grid.
    start = datetime(2026, 3, 6, tzinfo=timezone.utc)
    decayed = visual[43521]
    fleet = [visual[25544], decayed, visual[48274], visual[20580]]
    periods = [s.elements.period_s for s in fleet]
    assert len(share_grids(periods, 3 * 86400.0)) == 1
    passes = _equal_to_one_search_each(fleet, OBSERVERS[:2], start, 3, expect_skipped=[decayed])
    assert all(passes)


def test_a_trajectory_among_elements_keeps_its_own_passes():
    trajectory = load_trajectory(read_oem(DATA / "nasa-iss-oem-2025-02-26-trimmed.xml.gz"))
    start = trajectory.ephemeris.start + timedelta(days=1)
    epoch = f"{start:%y}{start.timetuple().tm_yday:03d}.00000000"
    leo = isspass.parse_elements(tle(99010, "LEO TEST", epoch, 97.5, 10.0, 0.001, 0.0, 0.0, 15.2), "test")
    fleet = [trajectory, isspass.load_satellite(elements=leo), *high_orbits(epoch)]
    passes = _equal_to_one_search_each(fleet, OBSERVERS[:2], start, 1.5)
    assert {p.satellite.norad_id for each in passes for p in each} >= {25544, 99010}


def test_fleet_orbits_mark_a_failing_satellite_and_spare_the_others(visual):
    t0 = datetime(2026, 3, 6, tzinfo=timezone.utc).timestamp()
    sun = SunTrack.build(t0, 0.0, 30 * 86400.0)
    decayed, iss = Orbit(visual[43521].elements.satrec, sun), Orbit(visual[25544].elements.satrec, sun)
    grid = np.linspace(0.0, 29 * 86400.0, 500)
    orbits = FleetOrbits.over([decayed, iss], grid)
    s = np.array([0.0, 25 * 86400.0, 3600.0, 25 * 86400.0])  # the rocket body is gone by day 25
    which = np.array([0, 0, 1, 1])
    r, v = orbits.teme(s, which)
    assert set(orbits.failed) == {0} and isinstance(orbits.failed[0], isspass.PropagationError)
    assert np.all(np.isnan(r[:, :2])) and np.all(np.isnan(v[:, :2]))
    own_r, own_v = NodeOrbit.over(iss, grid).teme(s[2:])  # what the ISS alone reads
    assert np.array_equal(r[:, 2:], own_r) and np.array_equal(v[:, 2:], own_v)
    direct_r, _ = iss.teme(s[2:])
    assert np.max(np.abs(r[:, 2:] - direct_r)) < 1e-4  # km, from its node table
    r, _ = orbits.teme(np.array([0.0]), np.array([0]))  # and it stays failed
    assert np.all(np.isnan(r))


def test_shared_grids_sample_every_member_as_finely_and_as_far_as_alone():
    rng = random.Random(15)
    periods = [rng.uniform(85 * 60, 130 * 60) for _ in range(300)] + [
        rng.uniform(3 * 3600, 30 * 3600) for _ in range(20)
    ]
    for duration_s in (3600.0, 14 * 3600.0, 10 * 86400.0, 366 * 86400.0):
        shared = share_grids(periods, duration_s)
        assert sorted(k for g in shared for k in g.members) == list(range(len(periods)))
        for g in shared:
            times = g.times_s
            assert len(g.members) * times.size <= max(grids.MAX_BATCH_SAMPLES, times.size)
            for k in g.members:
                own_pad = window_padding_s(periods[k])
                assert g.step_s <= grid_step_s(periods[k]) <= 1.25 * g.step_s
                assert times[0] <= -own_pad and times[-1] >= duration_s + own_pad
                if periods[k] > SHARED_MAX_PERIOD_S:  # high orbits: the grid they have alone
                    assert g.members == (k,) and g.pad_s == own_pad and g.step_s == grid_step_s(periods[k])
