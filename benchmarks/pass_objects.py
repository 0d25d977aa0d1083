"""Time to turn a PassTable into Pass objects: ``PassTable.to_passes`` against the public
constructors (``PassPoint(...)``, ``Pass(...)`` per row) on the same table, in the same process.

The table: ISS, visible passes, 10 days from the bundled epoch, random observers (2,000 by
default: 12,872 passes, 115k points). Best of N, each time with the young-generation
collection that follows (which a paused collector only puts off).
Given the ``src`` directory of another checkout (e.g. ``git archive 601c293 | tar -x -C
/tmp/base``), its ``to_passes`` is timed on the same table in fresh processes, alternating
with this checkout's, and the ratio printed.

Run: python benchmarks/pass_objects.py [observers] [repeats] [baseline-src]
"""

from __future__ import annotations

import gc
import math
import os
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

import numpy as np

import isspass
from isspass.model import Pass, PassPoint, SatelliteId
from isspass.passtable import EVENTS, NO_ORBIT, PASS_TYPES, PassTable

START = datetime(2026, 9, 24, tzinfo=timezone.utc)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

#: A fresh process: load everything a search loads, then time ``to_passes`` on the pickled table.
CHILD = r"""
import gc, pickle, sys, time
from datetime import datetime, timezone
import isspass
satellite = isspass.load_satellite(elements=isspass.bundled_elements())
start = datetime(2026, 9, 24, tzinfo=timezone.utc)
isspass.find_passes(isspass.Observer(0, 0), start, 0.1, satellite=satellite)  # everything a search loads
with open(sys.argv[1], "rb") as f:
    table = pickle.load(f)
best = float("inf")
for _ in range(int(sys.argv[2])):
    gc.collect()
    t = time.perf_counter()
    passes = table.to_passes()
    gc.collect(0)  # the young objects scanned once: work a paused collector only puts off
    best = min(best, time.perf_counter() - t)
    del passes
print(best)
"""


def public_passes(table: PassTable) -> list[Pass]:
    """The peer: every point and pass through its public constructor, as before the bulk path."""
    result = []
    times = table.time.astype(np.int64).tolist()
    present = (~np.isnat(table.time)).tolist()
    names = ("altitude_deg", "azimuth_deg", "range_km", "sun_altitude_deg", "sunlit", "point_magnitude")
    columns = [getattr(table, name).tolist() for name in names]
    satellite = SatelliteId(table.satellite_name, 0)
    for row, norad_id in enumerate(table.norad_id.tolist()):
        alt, az, rng, sun, lit, mag = (column[row] for column in columns)
        points = {
            name: PassPoint(
                EPOCH + timedelta(microseconds=times[row][k]),
                alt[k],
                az[k],
                rng[k],
                sun[k],
                lit[k],
                None if math.isnan(mag[k]) else mag[k],
            )
            if present[row][k]
            else None
            for k, name in enumerate(EVENTS)
        }
        if satellite.norad_id != norad_id:
            satellite = SatelliteId(table.satellite_name, norad_id)
        brightest = float(table.brightest_magnitude[row])
        orbit = int(table.orbit_number[row])
        highest = points["highest"]
        result.append(
            Pass(
                type=PASS_TYPES[int(table.type[row])],
                **points,  # type: ignore[arg-type]
                magnitude=None if highest is None else highest.magnitude,
                brightest_magnitude=None if math.isnan(brightest) else brightest,
                visible_duration_s=float(table.visible_duration_s[row]),
                min_elevation_deg=table.min_elevation_deg,
                timing_uncertainty_s=float(table.timing_uncertainty_s[row]),
                orbit_number=None if orbit == NO_ORBIT else orbit,
                id=str(table.id[row]),
                satellite=satellite,
            )
        )
    return result


def best_of(repeats: int, work) -> float:  # type: ignore[no-untyped-def]
    """Best wall time of ``work()``, with the scan of its young objects it may have put off."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        result = work()
        gc.collect(0)
        best = min(best, time.perf_counter() - t)
        del result
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    baseline = sys.argv[3] if len(sys.argv) > 3 else None
    satellite = isspass.load_satellite(elements=isspass.bundled_elements())
    rng = np.random.default_rng(2026)
    lat, lon = rng.uniform(-60, 60, count), rng.uniform(-180, 180, count)
    places = [isspass.Observer(float(a), float(b)) for a, b in zip(lat, lon, strict=True)]
    table = isspass.find_pass_table(places, START, 10, satellite=satellite)
    points = int((~np.isnat(table.time)).sum())
    assert table.to_passes() == public_passes(table)
    print(f"{count} observers: {len(table)} passes, {points} points")
    bulk = best_of(repeats, table.to_passes)
    public = best_of(repeats, lambda: public_passes(table))
    print(f"{'to_passes':>22}: {bulk * 1000:7.1f} ms  ({bulk / points * 1e9:.0f} ns a point)")
    print(f"{'public constructors':>22}: {public * 1000:7.1f} ms  ({public / bulk:.2f}x to_passes's time)")
    if baseline:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "table.pickle")
            with open(path, "wb") as f:
                pickle.dump(table, f)
            here = os.path.dirname(os.path.dirname(isspass.__file__))
            mine, theirs = [], []
            for _ in range(3):  # alternate, so that a busy moment hits both
                for src, into in ((here, mine), (baseline, theirs)):
                    env = dict(os.environ, PYTHONPATH=src)
                    command = [sys.executable, "-c", CHILD, path, str(repeats)]
                    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
                    into.append(float(out.stdout))
        print(
            f"{'to_passes, fresh process':>22}: {min(mine) * 1000:7.1f} ms; "
            f"baseline {min(theirs) * 1000:.1f} ms, {min(theirs) / min(mine):.2f}x faster"
        )


if __name__ == "__main__":
    main()
