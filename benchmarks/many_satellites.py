"""Many satellites over one place: one search of them all against a loop of one search per satellite.

The satellites are the real ``visual`` group of 2026-02-22 (149 objects, tests/data); 200 are
those and 51 of them again under other catalogue numbers. Both sides run in this process, taking
turns, best of ``--repeat``; the floor is what SGP4 alone costs on the search grids.

Run: python benchmarks/many_satellites.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import contextlib
import math
import time
import warnings
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

import isspass
from isspass.utc import unix_to_jd

VISUAL = Path(__file__).parents[1] / "tests" / "data" / "visual-2026-02-22.tle"
ZURICH = isspass.Observer(47.37, 8.54, 410)
#: (what, satellites, start, days): ten days from noon, and one night from 16:00 UTC to 06:00.
CASES = (
    ("10 days", 100, datetime(2026, 2, 22, 12, tzinfo=timezone.utc), 10.0),
    ("1 night", 200, datetime(2026, 2, 22, 16, tzinfo=timezone.utc), 14 / 24),
)


def satellites(count: int) -> list[isspass.Satellite]:
    sets = isspass.read_elements(VISUAL)
    extra = [replace(e, norad_id=900000 + k) for k, e in enumerate(sets)]
    return [isspass.load_satellite(elements=[e]) for e in (sets + extra)[:count]]


def best(repeat: int, *jobs):  # type: ignore[no-untyped-def]
    """The best time of each job over ``repeat`` rounds, the jobs taking turns (so a busy spell
    of the machine slows both sides alike), and each job's last result."""
    times: list[list[float]] = [[] for _ in jobs]
    results: list[object] = [None for _ in jobs]
    for _ in range(repeat):
        for k, job in enumerate(jobs):
            t = time.perf_counter()
            results[k] = job()
            times[k].append(time.perf_counter() - t)
    return [min(each) for each in times], results


def loop(fleet, start, days):  # type: ignore[no-untyped-def]
    passes = []
    for s in fleet:
        # A satellite that decays in the window: what the search of many leaves out with a warning.
        with contextlib.suppress(isspass.PropagationError):
            passes += isspass.find_passes(ZURICH, start, days, satellite=s)
    return passes


def together(fleet, start, days):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", isspass.SatelliteSkippedWarning)
        return isspass.find_passes(ZURICH, start, days, satellite=fleet)


def sgp4_floor(fleet, start, days) -> float:  # type: ignore[no-untyped-def]
    """SGP4 alone on each satellite's search grid (32 samples an orbit, padded by an orbit)."""
    grids = []
    for s in fleet:
        step = min(max(s.elements.period_s / 32, 5.0), 600.0)
        pad = max(s.elements.period_s, 1800.0)
        count = math.ceil((days * 86400 + 2 * pad) / step) + 1
        grids.append(unix_to_jd(start.timestamp() - pad + step * np.arange(count)))
    t = time.perf_counter()
    for s, (jd, fr) in zip(fleet, grids, strict=True):
        s.elements.satrec.sgp4_array(jd, fr)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    isspass.find_passes(ZURICH, CASES[0][2], 0.1, satellite=satellites(1)[0])  # load the ephemeris
    head = f"{'case':<8} {'sats':>5} {'loop s':>8} {'together s':>11} {'ratio':>6} {'SGP4 grid s':>12}"
    print(f"{head} {'passes':>7}")
    for what, count, start, days in CASES:
        fleet = satellites(count)
        (loop_s, many_s), (one_by_one, merged) = best(
            args.repeat,
            lambda f=fleet, s=start, d=days: loop(f, s, d),
            lambda f=fleet, s=start, d=days: together(f, s, d),
        )
        floor = min(sgp4_floor(fleet, start, days) for _ in range(args.repeat))
        assert sorted(p.id for p in merged) == sorted(p.id for p in one_by_one)  # type: ignore[union-attr]
        print(
            f"{what:<8} {count:>5} {loop_s:>8.3f} {many_s:>11.3f} {loop_s / many_s:>6.2f} {floor:>12.3f} "
            f"{len(merged):>7}"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    main()
