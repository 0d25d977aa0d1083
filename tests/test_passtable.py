"""The columnar pass table: the same passes as the object API, times rounded as datetimes
round them, and small enough to send between processes."""

from __future__ import annotations

import pickle
import random
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import isspass
from isspass.passtable import EVENTS, NO_ORBIT, PASS_TYPES, concat_tables, microseconds_after

START = datetime(2026, 9, 24, 5, 17, 3, 250001, tzinfo=timezone.utc)


def _observers(count: int, seed: int) -> list[isspass.Observer]:
    rng = random.Random(seed)
    return [
        isspass.Observer(rng.uniform(-75, 75), rng.uniform(-180, 180), rng.uniform(0, 3000))
        for _ in range(count)
    ]


@pytest.mark.parametrize("visible_only", [True, False])
def test_table_equals_the_object_api(iss, visible_only):
    observers = _observers(12, 3 if visible_only else 4)
    how = dict(satellite=iss, visible_only=visible_only, chunk_size=5)
    table = isspass.find_pass_table(observers, START, 3, **how)
    assert table.per_observer(len(observers)) == isspass.find_passes_many(observers, START, 3, **how)
    # and one search per observer finds the same passes (batches differ in the last bits only)
    singles = [isspass.find_passes(o, START, 3, satellite=iss, visible_only=visible_only) for o in observers]
    assert len(table) == sum(map(len, singles)) > 0
    for row, p in enumerate(p for one in singles for p in one):
        assert PASS_TYPES[table.type[row]] is p.type and table.id[row] == p.id
        for column, name in enumerate(EVENTS):
            point = getattr(p, name)
            micro = table.time[row, column].astype(np.int64)
            assert (point is None) == np.isnat(table.time[row, column])
            if point is not None:
                assert abs(int(micro) - round(point.time.timestamp() * 1e6)) <= 1_000
    # rows grouped by observer, in time order within each
    order = np.lexsort((table.time[:, 0], table.observer))
    assert (order == np.arange(len(table))).all()


def test_columns_say_what_the_passes_say(iss):
    observers = _observers(20, 9)
    table = isspass.find_pass_table(observers, START, 2, satellite=iss, visible_only=False)
    passes = table.to_passes()
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    for row, p in enumerate(passes):
        assert PASS_TYPES[table.type[row]] is p.type
        for column, name in enumerate(EVENTS):
            point = getattr(p, name)
            if point is None:
                assert np.isnat(table.time[row, column]) and np.isnan(table.altitude_deg[row, column])
                continue
            micro = int(table.time[row, column].astype(np.int64))
            assert epoch + timedelta(microseconds=micro) == point.time
            assert table.altitude_deg[row, column] == point.altitude_deg
        assert table.duration_s[row] == p.duration_s
        assert table.id[row] == p.id and table.orbit_number[row] == p.orbit_number != NO_ORBIT
        assert table.norad_id[row] == p.satellite.norad_id == 25544
        assert (p.magnitude is None) == bool(np.isnan(table.magnitude[row]))
        # physics: rise before culmination before set; the highest point is the peak
        rise, top, end = table.time[row, 0], table.time[row, 1], table.time[row, 2]
        assert rise < top < end
        assert table.altitude_deg[row, 1] == np.nanmax(table.altitude_deg[row, :3])
        assert table.altitude_deg[row, 1] >= 10.0 - 1e-6


def test_microseconds_round_like_timedelta():
    rng = np.random.default_rng(1)
    offsets = np.concatenate([
        rng.uniform(-86400, 30 * 86400, 5000),
        np.array([0.0, 1e-7, 5e-7, 1.5e-6, 2.5e-6, -2.5e-6, 0.4999995, 86399.9999995, -0.0000005, np.nan]),
    ])  # fmt: skip
    got = microseconds_after(START, offsets)
    for value, when in zip(offsets.tolist(), got.tolist(), strict=True):
        if value != value:
            assert when is None
        else:
            assert when == (START + timedelta(seconds=value)).replace(tzinfo=None)


def test_a_table_unpickles_into_a_few_objects_whatever_its_rows(iss):
    """What made workers slow was unpickling a Python object per pass and per point."""
    import pickletools

    def opcodes(data: bytes) -> int:
        return sum(1 for _ in pickletools.genops(data))

    table = isspass.find_pass_table(_observers(60, 5), START, 3, satellite=iss, visible_only=False)
    small = table.take(np.arange(5))
    assert len(table) > 200
    assert opcodes(pickle.dumps(table)) < opcodes(pickle.dumps(small)) + 50  # not per row
    assert opcodes(pickle.dumps(table.to_passes())) > 50 * len(table)
    assert pickle.loads(pickle.dumps(table)).to_passes() == table.to_passes()


def test_concat_and_take_keep_rows(iss):
    observers = _observers(10, 6)
    tables = list(isspass.iter_pass_tables(observers, START, 2, satellite=iss, chunk_size=3))
    assert len(tables) == 4
    whole = concat_tables(tables)
    assert whole.to_passes() == [p for t in tables for p in t.to_passes()]
    assert set(whole.observer.tolist()) <= set(range(10))
    assert len(whole.take(whole.observer < 3)) == len(tables[0])


def test_one_satellite_only(iss):
    with pytest.raises(TypeError):
        isspass.iter_pass_tables(_observers(1, 1), START, 1, satellite=[iss, 20580])
