"""Many satellites in one search: the same passes as one search per satellite, merged in time order."""

from __future__ import annotations

import warnings
from datetime import datetime, timezone

import pytest

import isspass
from conftest import DATA

VISUAL = DATA / "visual-2026-02-22.tle"
START = datetime(2026, 2, 22, 12, tzinfo=timezone.utc)
#: Zurich; La Serena, Chile; Tromsø; Singapore: both hemispheres, a high latitude, the tropics.
OBSERVERS = [
    isspass.Observer(47.37, 8.54, 410),
    isspass.Observer(-29.9, -71.25, 30),
    isspass.Observer(69.65, 18.96),
    isspass.Observer(1.35, 103.82),
]
#: The ISS, Tiangong, Hubble, a Zenit upper stage, a Cosmos, XRISM (no standard magnitude) and
#: ISIS 1 (an eccentric orbit, e = 0.17).
CHOSEN = (25544, 48274, 20580, 22285, 22219, 57800, 3669)


@pytest.fixture(scope="module")
def visual() -> dict[int, isspass.Satellite]:
    return {e.norad_id: isspass.load_satellite(elements=[e]) for e in isspass.read_elements(VISUAL)}


@pytest.fixture(scope="module")
def fleet(visual) -> list[isspass.Satellite]:
    return [visual[n] for n in CHOSEN]


@pytest.mark.parametrize("visible_only", [True, False])
def test_many_satellites_equal_one_search_per_satellite(fleet, visible_only):
    together = isspass.find_passes_many(OBSERVERS, START, 2, satellite=fleet, visible_only=visible_only)
    alone = [
        isspass.find_passes_many(OBSERVERS, START, 2, satellite=s, visible_only=visible_only) for s in fleet
    ]
    assert sum(map(len, together)) > (20 if visible_only else 150)
    for k, merged in enumerate(together):
        expected = [p for per_satellite in alone for p in per_satellite[k]]
        assert sorted(p.id for p in merged) == sorted(p.id for p in expected)
        by_id = {p.id: p for p in expected}
        for p in merged:
            _same(p, by_id[p.id])


def _same(a: isspass.Pass, b: isspass.Pass) -> None:
    """The same pass to far better than anyone sees: 1 ms, 1e-4 degrees, 1e-4 magnitudes.

    (Not to the last bit: the shared Sun track fits the Earth's rotation over the whole
    window, a single search over its own, and UT1 drifts by milliseconds a week.)
    """
    assert a.type is b.type and a.satellite == b.satellite and a.orbit_number == b.orbit_number
    for name in ("rise", "culmination", "set", "appears", "highest", "disappears", "horizon_rise",
                 "horizon_set", "shadow_entry", "shadow_exit"):  # fmt: skip
        pa, pb = getattr(a, name), getattr(b, name)
        assert (pa is None) == (pb is None), name
        if pa is not None:
            assert abs((pa.time - pb.time).total_seconds()) < 1e-3, name
            assert pa.altitude_deg == pytest.approx(pb.altitude_deg, abs=1e-4)
            assert pa.azimuth_deg == pytest.approx(pb.azimuth_deg, abs=1e-4)
            assert pa.sunlit == pb.sunlit
            assert (pa.magnitude is None) == (pb.magnitude is None)
            if pa.magnitude is not None:
                assert pa.magnitude == pytest.approx(pb.magnitude, abs=1e-4)
    assert a.visible_duration_s == pytest.approx(b.visible_duration_s, abs=1e-3)


def test_merged_in_the_order_they_can_be_seen(fleet):
    (passes,) = isspass.find_passes_many(OBSERVERS[:1], START, 3, satellite=fleet, visible_only=False)
    seen = [(p.appears or p.rise).time for p in passes]
    assert seen == sorted(seen)
    assert len({p.satellite.norad_id for p in passes}) >= 5
    assert len({p.id for p in passes}) == len(passes)  # ids carry the catalogue number
    for p in passes:
        assert p.id.startswith(f"{p.satellite.norad_id}-")
        assert p.satellite.name == next(s.name for s in fleet if s.norad_id == p.satellite.norad_id)


def test_each_pass_knows_its_satellite_and_magnitude_rule(visual):
    singapore = OBSERVERS[3]
    passes = isspass.find_passes(
        singapore, START, 3, satellite=[visual[25544], visual[57800]], visible_only=False
    )
    iss = [p for p in passes if p.satellite.norad_id == 25544]
    xrism = [p for p in passes if p.satellite.norad_id == 57800]
    assert iss and xrism
    lit = [p for p in iss if p.highest is not None]
    assert lit and all(p.magnitude is not None and p.magnitude < 1 for p in lit)  # ISS: -1.8 in the table
    assert all(p.magnitude is None for p in xrism)  # XRISM: no standard magnitude, no magnitude


def test_a_satellite_that_decays_in_the_window_is_left_out_with_a_warning(visual):
    # CZ-2C R/B 43521 (16.1 rev/day) re-enters 13 days after its elements' epoch.
    start = datetime(2026, 3, 6, tzinfo=timezone.utc)
    with pytest.raises(isspass.PropagationError):
        isspass.find_passes(OBSERVERS[0], start, 3, satellite=visual[43521])
    with pytest.warns(isspass.SatelliteSkippedWarning, match=r"CZ-2C R/B \(43521\) is left out"):
        passes = isspass.find_passes(OBSERVERS[0], start, 3, satellite=[visual[43521], visual[25544]])
    assert passes and {p.satellite.norad_id for p in passes} == {25544}


def test_numbers_and_names_through_the_policy_each_once(iss):
    start = datetime(2026, 9, 24, 6, tzinfo=timezone.utc)
    zurich = OBSERVERS[0]
    many = isspass.find_passes(zurich, start, 1, satellite=[25544, "ISS (ZARYA)", iss], offline=True)
    one = isspass.find_passes(zurich, start, 1, satellite=25544, offline=True)
    assert [p.id for p in many] == [p.id for p in one] and one


def test_bad_sequences():
    with pytest.raises(ValueError, match="empty"):
        isspass.find_passes(OBSERVERS[0], START, 1, satellite=[])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        near_bundled = datetime(2026, 9, 24, tzinfo=timezone.utc)
        assert isspass.find_passes_many([], near_bundled, 1, satellite=[25544], offline=True) == []
