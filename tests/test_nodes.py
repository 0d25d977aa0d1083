"""The trajectory table a search refines on: close to the orbit it reads, whatever the order of the reads."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

import isspass
from isspass.search.nodes import FILL_AROUND, NodeOrbit
from isspass.search.track import Track
from isspass.sky import Orbit

START = datetime(2026, 9, 24, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def track():
    satellite = isspass.load_satellite(elements=isspass.bundled_elements())
    return Track.build(satellite, START, 2 * 86400.0)


def _fresh(track):
    return NodeOrbit.over(track.orbit.source, track.grid)


def test_the_track_reads_its_orbit_through_the_table(track):
    assert isinstance(track.orbit, NodeOrbit)
    assert isinstance(track.orbit.source, Orbit)
    assert track.orbit.step_s == 20.0


def test_positions_and_velocities_agree_with_sgp4_to_centimetres(track):
    nodes = _fresh(track)
    s = np.random.default_rng(3).uniform(track.grid[0], track.grid[-1], 5000)
    for ours, theirs in ((nodes.itrs(s), nodes.source.itrs(s)), (nodes.teme(s), nodes.source.teme(s))):
        (r, v), (r0, v0) = ours, theirs
        assert np.max(np.abs(r - r0)) < 1e-4  # km: 10 cm, ~15 µs of the station's motion
        assert np.max(np.abs(v - v0)) < 1e-4  # km/s
    # At the nodes themselves the table is SGP4's own answer.
    at_nodes = nodes.step_s * (nodes.first + np.arange(100, 200))
    assert np.allclose(nodes.itrs(at_nodes)[0], nodes.source.itrs(at_nodes)[0], rtol=0, atol=1e-9)


def test_an_answer_does_not_depend_on_what_was_asked_before(track):
    rng = np.random.default_rng(5)
    first, second = (rng.uniform(track.grid[0], track.grid[-1], 3000) for _ in range(2))
    one, other = _fresh(track), _fresh(track)
    one.itrs(first)
    a = one.itrs(second)
    b = other.itrs(second)  # nothing filled before
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert one.propagated > other.propagated


def test_only_the_nodes_asked_for_are_propagated(track):
    nodes = _fresh(track)
    nodes.itrs(np.array([1000.0, 1000.5, 50_000.0]))
    assert nodes.propagated == 2 * (2 * FILL_AROUND + 1)  # two intervals far apart, and their neighbours


def test_two_tables_over_different_grids_give_the_same_values_where_both_reach(track):
    wider = NodeOrbit.over(track.orbit.source, np.linspace(track.grid[0] - 999.0, track.grid[-1] + 77.0, 50))
    s = np.random.default_rng(9).uniform(track.grid[0], track.grid[-1], 2000)
    for ours, theirs in zip(_fresh(track).itrs(s), wider.itrs(s), strict=True):
        assert np.array_equal(ours, theirs)


def test_times_beyond_the_table_come_from_the_orbit_itself(track):
    nodes = _fresh(track)
    s = np.array([track.grid[0] - 30.0, 0.0, track.grid[-1] + 30.0])
    r, v = nodes.itrs(s)
    r0, v0 = nodes.source.itrs(s)
    assert np.array_equal(r[:, [0, 2]], r0[:, [0, 2]]) and np.array_equal(v[:, [0, 2]], v0[:, [0, 2]])
    assert np.max(np.abs(r[:, 1] - r0[:, 1])) < 1e-4


def test_a_table_pickles_with_what_it_holds_and_keeps_filling(track):
    import pickle

    nodes = _fresh(track)
    s = np.random.default_rng(4).uniform(track.grid[0], track.grid[-1], 500)
    before = nodes.itrs(s)
    copy = pickle.loads(pickle.dumps(nodes))
    assert copy.propagated == nodes.propagated
    for a, b in zip(copy.itrs(s), before, strict=True):
        assert np.array_equal(a, b)
    more = np.random.default_rng(6).uniform(track.grid[0], track.grid[-1], 500)
    for a, b in zip(copy.itrs(more), _fresh(track).itrs(more), strict=True):
        assert np.array_equal(a, b)


def test_threads_filling_one_table_lose_nothing(track):
    from concurrent.futures import ThreadPoolExecutor

    nodes = _fresh(track)
    rng = np.random.default_rng(12)
    batches = [rng.uniform(track.grid[0], track.grid[-1], 3000) for _ in range(16)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(nodes.itrs, batches))
    alone = _fresh(track)
    for s, (r, v) in zip(batches, answers, strict=True):
        r0, v0 = alone.itrs(s)
        assert np.array_equal(r, r0) and np.array_equal(v, v0)
    assert nodes.polynomials.count == nodes.propagated  # each interval stored once
