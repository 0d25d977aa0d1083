"""Orbit numbers and pass ids: NORAD's count reproduced, and ids that survive fresher elements."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import isspass
import isspass.utc
from isspass.revolutions import pass_id, pass_orbit_numbers, revolution_numbers


def test_each_set_predicts_the_next_sets_revolution_number(history):
    """Ten pairs of real sets, 1 to 13 days apart, one across a reboost: the same count."""
    for older, newer in itertools.pairwise(history):
        after_node = newer.epoch.timestamp() + 600.0  # the sets' epochs lie on an ascending node
        assert revolution_numbers(older, [after_node])[0] == newer.satrec.revnum
        assert revolution_numbers(newer, [after_node])[0] == newer.satrec.revnum
        before_node = newer.epoch.timestamp() - 600.0
        assert revolution_numbers(older, [before_node])[0] == newer.satrec.revnum - 1


def test_the_count_is_the_ascending_nodes_crossed_both_ways(history):
    """Against a brute-force count of the equator crossings northwards, every 20 s for 25 days."""
    elements = history[-1]
    epoch = elements.epoch.timestamp()
    grid = epoch + np.arange(-12.5 * 86400, 12.5 * 86400, 20.0)
    jd, fraction = isspass.utc.unix_to_jd(grid)
    _, r, _ = elements.satrec.sgp4_array(jd, fraction)
    northwards = np.flatnonzero((r[:-1, 2] < 0) & (r[1:, 2] >= 0))
    numbers = revolution_numbers(elements, grid)
    assert np.all(np.diff(numbers) >= 0)
    steps = np.flatnonzero(np.diff(numbers))
    assert np.array_equal(steps, northwards)  # it turns over exactly at each ascending node
    assert numbers[-1] - numbers[0] == northwards.size > 380
    assert numbers[np.searchsorted(grid, epoch + 600)] == elements.satrec.revnum


LATITUDES = (-60.0, -30.0, -0.5, 0.0, 0.5, 20.0, 47.37, 51.6, 65.0)
OBSERVERS = [(lat, lon) for lat in LATITUDES for lon in (8.54, -120.0)]


@pytest.fixture(scope="module")
def zoo(history):
    """Every pass (all types) over 18 places for 4 days after the last set, from two sets 8 days apart."""
    start = datetime(2026, 9, 24, 6, tzinfo=timezone.utc)
    observers = [isspass.Observer(lat, lon) for lat, lon in OBSERVERS]
    found = []
    for elements in (history[-2], history[-1]):
        satellite = isspass.Satellite(elements, -1.8)
        found.append(isspass.find_passes_many(observers, start, 4, satellite=satellite, visible_only=False))
    return observers, found


def test_ids_survive_fresher_elements(zoo):
    observers, (older, newer) = zoo
    matched = 0
    for observer, a, b in zip(observers, older, newer, strict=True):
        assert len({p.id for p in b}) == len(b)  # unique for a place
        for p in b:
            twin = min(a, key=lambda q: abs((q.culmination.time - p.culmination.time).total_seconds()))
            if abs((twin.culmination.time - p.culmination.time).total_seconds()) < 300:
                assert twin.id == p.id, (observer, p.culmination.time)
                matched += 1
    assert matched > 150


def test_an_orbit_number_survives_a_shift_of_ten_minutes_either_way(zoo, history):
    """Wherever the observer, culmination is a quarter orbit from where the count turns over."""
    observers, (_, newer) = zoo
    for observer, passes in zip(observers, newer, strict=True):
        culminations = np.array([p.culmination.time.timestamp() for p in passes])
        latitude = np.full(culminations.size, observer.latitude_deg)
        numbers = pass_orbit_numbers(history[-1], culminations, latitude)
        assert numbers.tolist() == [p.orbit_number for p in passes]
        for shift in (-600.0, 600.0):
            assert np.array_equal(pass_orbit_numbers(history[-1], culminations + shift, latitude), numbers)


def test_the_id_reads_satellite_orbit_and_place():
    assert pass_id(25544, 58712, 47.37, 8.54) == "25544-58712-+47.37+008.54"
    assert pass_id(20580, 7, -33.8688, -151.2093) == "20580-7--33.87-151.21"
    assert pass_id(25544, 1, -0.001, 0.004) == "25544-1-+00.00+000.00"


def test_ids_do_not_depend_on_the_window_or_the_criteria(iss):
    zurich = isspass.Observer(47.37, 8.54)
    start = datetime(2026, 9, 24, tzinfo=timezone.utc)
    wide = isspass.find_passes(zurich, start, 3, satellite=iss, visible_only=False, min_elevation_deg=0)
    narrow = isspass.find_passes(zurich, start + timedelta(hours=19), 0.5, satellite=iss)
    ids = {p.id for p in wide}
    assert narrow and {p.id for p in narrow} <= ids
