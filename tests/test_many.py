"""Many observers at once: the same passes as one observer at a time."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

import isspass

START = datetime(2026, 9, 24, tzinfo=timezone.utc)


def _observers(count: int, seed: int = 7) -> list[isspass.Observer]:
    rng = np.random.default_rng(seed)
    lat = rng.uniform(-70, 70, count)
    lon = rng.uniform(-180, 180, count)
    elev = rng.uniform(0, 3000, count)
    return [isspass.Observer(float(a), float(b), float(c)) for a, b, c in zip(lat, lon, elev, strict=True)]


@pytest.mark.parametrize("visible_only", [True, False])
def test_same_as_one_at_a_time(iss, visible_only):
    observers = _observers(40)
    together = isspass.find_passes_many(
        observers, START, 2, satellite=iss, visible_only=visible_only, chunk_size=7
    )
    assert len(together) == len(observers)
    assert sum(len(p) for p in together) > 20
    for observer, passes in zip(observers, together, strict=True):
        alone = isspass.find_passes(observer, START, 2, satellite=iss, visible_only=visible_only)
        assert len(alone) == len(passes)
        for a, b in zip(alone, passes, strict=True):
            _close(a, b)


def _close(a: isspass.Pass, b: isspass.Pass) -> None:
    """Equal passes, to the convergence of the root finder (microseconds)."""
    assert a.type is b.type
    for name in ("rise", "culmination", "set", "appears", "highest", "disappears", "horizon_rise",
                 "horizon_set", "shadow_entry", "shadow_exit"):  # fmt: skip
        pa, pb = getattr(a, name), getattr(b, name)
        assert (pa is None) == (pb is None), name
        if pa is not None:
            assert abs((pa.time - pb.time).total_seconds()) < 1e-4, name
            assert pa.altitude_deg == pytest.approx(pb.altitude_deg, abs=1e-6)
            assert pa.azimuth_deg == pytest.approx(pb.azimuth_deg, abs=1e-5)
            assert pa.sunlit == pb.sunlit
    assert (a.magnitude is None) == (b.magnitude is None)
    assert a.visible_duration_s == pytest.approx(b.visible_duration_s, abs=1e-4)


def test_chunk_size_does_not_change_results(iss):
    observers = _observers(12, seed=3)
    one = isspass.find_passes_many(observers, START, 1, satellite=iss, visible_only=False, chunk_size=1)
    big = isspass.find_passes_many(observers, START, 1, satellite=iss, visible_only=False, chunk_size=1000)
    assert [len(p) for p in one] == [len(p) for p in big]
    for passes_one, passes_big in zip(one, big, strict=True):
        for a, b in zip(passes_one, passes_big, strict=True):
            _close(a, b)


def test_empty_and_bad_input(iss):
    assert isspass.find_passes_many([], START, 1, satellite=iss) == []
    with pytest.raises(TypeError):
        isspass.find_passes_many([(47.0, 8.0)], START, 1, satellite=iss)
    with pytest.raises(ValueError, match="chunk_size"):
        isspass.find_passes_many(_observers(2), START, 1, satellite=iss, chunk_size=0)


def test_observers_without_passes_get_empty_lists(iss):
    observers = [isspass.Observer(89.0, 0.0), isspass.Observer(47.37, 8.54), isspass.Observer(-89.0, 0.0)]
    north, zurich, south = isspass.find_passes_many(observers, START, 3, satellite=iss)
    assert north == [] and south == [] and zurich


def test_a_chunk_longer_than_a_batch_is_searched_in_batches_with_the_same_passes(iss, monkeypatch):
    from isspass.search import passes as stage

    observers = _observers(30, seed=11)
    whole = isspass.find_passes_many(observers, START, 3, satellite=iss, visible_only=False)
    searched = []
    original = stage.sin_altitude_grid

    def counting(sites, r, v):
        searched.append(len(sites))
        return original(sites, r, v)

    monkeypatch.setattr(stage, "sin_altitude_grid", counting)
    monkeypatch.setattr(stage, "BATCH_CELLS", 4 * 1700)  # four observers a batch over 3 days
    batched = isspass.find_passes_many(observers, START, 3, satellite=iss, visible_only=False)
    assert max(searched) <= 4 and len(searched) >= 8
    assert batched == whole
