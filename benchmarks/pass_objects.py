"""Time to turn a PassTable into Pass objects, and what it does to ``find_passes_many``.

ISS, visible passes, 10 days from the bundled epoch, random observers (2,000 by default:
12,872 passes, 115k points). In this process: ``PassTable.to_passes`` against the public
constructors (``PassPoint(...)``, ``Pass(...)`` per row, as before) on the same table. In
fresh processes on one core (one BLAS thread): ``to_passes`` on that table, and the whole
``find_passes_many`` (CPU seconds); given the ``src`` directory of another checkout (e.g.
``git archive 601c293 | tar -x -C /tmp/base``), the same for it, alternating, with ratios.
Best of N each, counting the young-generation collection that follows (which a paused
collector only puts off).

Run: python benchmarks/pass_objects.py [observers] [repeats] [baseline-src]
"""

from __future__ import annotations

import gc
import json
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
ONE_CORE = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}

#: A fresh process: the pickled table's to_passes (wall), then find_passes_many (CPU seconds).
CHILD = r"""
import gc, json, pickle, sys, time
from datetime import datetime, timezone
import numpy as np
import isspass
path, repeats, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
satellite = isspass.load_satellite(elements=isspass.bundled_elements())
start = datetime(2026, 9, 24, tzinfo=timezone.utc)
isspass.find_passes(isspass.Observer(0, 0), start, 0.1, satellite=satellite)  # everything a search loads
with open(path, "rb") as f:
    table = pickle.load(f)
convert = search = float("inf")
for _ in range(repeats):
    gc.collect()
    t = time.perf_counter()
    passes = table.to_passes()
    gc.collect(0)
    convert = min(convert, time.perf_counter() - t)
    del passes
rng = np.random.default_rng(2026)
lat, lon = rng.uniform(-60, 60, count), rng.uniform(-180, 180, count)
places = [isspass.Observer(float(a), float(b)) for a, b in zip(lat, lon)]
for _ in range(max(1, repeats // 3)):
    gc.collect()
    t = time.process_time()
    passes = isspass.find_passes_many(places, start, 10, satellite=satellite)
    search = min(search, time.process_time() - t)
    assert sum(map(len, passes)) == len(table)
    del passes
print(json.dumps({"to_passes": convert, "find_passes_many": search}))
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


def observers(count: int) -> list[isspass.Observer]:
    rng = np.random.default_rng(2026)
    lat, lon = rng.uniform(-60, 60, count), rng.uniform(-180, 180, count)
    return [isspass.Observer(float(a), float(b)) for a, b in zip(lat, lon, strict=True)]


def fresh(src: str, table_path: str, repeats: int, count: int) -> dict[str, float]:
    """The CHILD's figures for the checkout whose ``src`` is given."""
    env = dict(os.environ, PYTHONPATH=src, **ONE_CORE)
    command = [sys.executable, "-c", CHILD, table_path, str(repeats), str(count)]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    baseline = sys.argv[3] if len(sys.argv) > 3 else None
    satellite = isspass.load_satellite(elements=isspass.bundled_elements())
    table = isspass.find_pass_table(observers(count), START, 10, satellite=satellite)
    points = int((~np.isnat(table.time)).sum())
    assert table.to_passes() == public_passes(table)
    print(f"{count} observers: {len(table)} passes, {points} points")
    bulk = best_of(repeats, table.to_passes)
    public = best_of(repeats, lambda: public_passes(table))
    print(f"{'to_passes':>26}: {bulk * 1000:7.1f} ms ({bulk / points * 1e9:.0f} ns a point)")
    print(f"{'public constructors':>26}: {public * 1000:7.1f} ms ({public / bulk:.2f}x to_passes's time)")
    here = os.path.dirname(os.path.dirname(isspass.__file__))
    checkouts = {"this checkout": here} | ({"baseline": baseline} if baseline else {})
    best: dict[str, dict[str, float]] = {name: {} for name in checkouts}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "table.pickle")
        with open(path, "wb") as f:
            pickle.dump(table, f)
        for _ in range(3):  # alternate, so that a busy moment hits both
            for name, src in checkouts.items():
                for key, value in fresh(src, path, repeats, count).items():
                    best[name][key] = min(value, best[name].get(key, math.inf))
    for key, unit, scale in (("to_passes", "ms", 1000), ("find_passes_many", "s CPU", 1)):
        mine = best["this checkout"][key]
        line = f"{key + ', one core':>26}: {mine * scale:7.2f} {unit}"
        if baseline:
            theirs = best["baseline"][key]
            line += f"; baseline {theirs * scale:.2f} {unit}, {theirs / mine:.2f}x faster"
        print(line)


if __name__ == "__main__":
    main()
