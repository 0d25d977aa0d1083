"""Fit the timing band on element histories and print how well it holds; list the manoeuvres found.

Each history file holds the sets of one object (TLE, 3LE or OMM JSON), as many as were
collected. For every manoeuvre-free pair of sets 1–20 days apart, passes over 50 observers
predicted with the older set are compared with the newer set's at its epoch; the band's two
drag factors are fitted to cover 99 % of them, and the result is checked per age, leaving
each pair out in turn, and across the files (fitted on all others, tested on one).

Run:  python tools/fit_timing_band.py [HISTORY ...]   (default: the two ISS histories in
tests/data; about 15 seconds). Put the fitted factors, rounded up, in
isspass.freshness.TIMING_BAND and the figures in the README.
"""

from __future__ import annotations

import argparse
import math
import sys
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import numpy as np

import isspass
from isspass.calibration import (
    FIT_QUANTILE,
    PairErrors,
    buckets,
    calibration_observers,
    coverage,
    fit_band,
    leave_one_pair_out,
    realized_errors,
)
from isspass.freshness import (
    TIMING_BAND,
    BandConstants,
    molczan_uncertainty_s,
    timing_band_s,
    timing_uncertainty_s,
)
from isspass.history import ElementHistory, element_history
from isspass.manoeuvres import MEAN_MOTION_FALL, SHIFT_BANDS, along_track_shift_s

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
DEFAULT_FILES = [DATA / "iss-2026-history.tle", DATA / "iss-2025-autumn-history.tle"]
AGES_DAYS = (1.0, 3.0, 7.0, 14.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--observers", type=int, default=50)
    parser.add_argument("--quantile", type=float, default=FIT_QUANTILE)
    args = parser.parse_args()

    histories = {path.name: element_history(isspass.read_elements(path)) for path in args.files}
    for name, history in histories.items():
        print_detection(name, history)

    observers = calibration_observers(args.observers)
    pairs = {name: realized_errors(history, observers) for name, history in histories.items()}
    everything = [pair for found in pairs.values() for pair in found]
    fitted = fit_band(everything, args.quantile)
    print(f"\nFit on {len(everything)} pairs, {sum(p.age_days.size for p in everything)} events, "
          f"quantile {args.quantile}:")
    print(f"  history_factor    {fitted.history_factor:.4f}   (shipped {TIMING_BAND.history_factor})")
    print(f"  single_set_factor {fitted.single_set_factor:.4f}   (shipped {TIMING_BAND.single_set_factor})")
    print(f"  fixed: floor {TIMING_BAND.floor_s} s, growth {TIMING_BAND.growth_s_per_day} s/day, "
          f"mismatch {TIMING_BAND.mismatch_factor}, drag reference {TIMING_BAND.drag_reference} rev/day²")

    covered_lopo = leave_one_pair_out(everything, args.quantile)
    start = 0
    for name, found in pairs.items():
        lopo = covered_lopo[start : start + len(found)]
        start += len(found)
        others = [pair for other, more in pairs.items() if other != name for pair in more]
        print_file(name, found, lopo, fit_band(others, args.quantile) if others else None)

    print("\nThe band (seconds) at 1 / 3 / 7 / 14 days:")
    for name, history in histories.items():
        newest = history.newest
        drag = history.drag_before(newest.epoch)
        print_band(f"{name}, newest set with its history (drag {_drag(drag)})", newest, drag)
        print_band(f"{name}, newest set alone (ndot/2 {_drag(newest.mean_motion_dot)})", newest, None)
    bundled = isspass.bundled_elements()[0]
    print_band("bundled ISS set alone", bundled, None)
    bands = timing_band_s(np.array(AGES_DAYS), 14.3, 1e-7)
    label = "a satellite at 800 km (n 14.3 rev/day, ndot/2 1e-7)"
    print(f"  {label:<72} " + _row(bands))


def print_detection(name: str, history: ElementHistory) -> None:
    print(f"\n{name}: {len(history.sets)} sets, {len(history.manoeuvres)} manoeuvres")
    found = dict(zip(history.manoeuvre_after_set, history.manoeuvres, strict=True))
    for k, (older, newer) in enumerate(pairwise(history.sets)):
        change = newer.mean_motion - older.mean_motion
        shift = along_track_shift_s(older, newer, newer.epoch)
        limit = SHIFT_BANDS * timing_uncertainty_s(older, newer.epoch)
        verdict = found[k].describe() if k in found else "drag"
        print(
            f"  {older.epoch:%Y-%m-%d %H:%M} -> {newer.epoch:%Y-%m-%d %H:%M}  Δn {change:+.5f} "
            f"(limit -{MEAN_MOTION_FALL:g})  shift {shift:+8.1f} s (limit ±{limit:6.1f})  {verdict}"
        )


def print_file(
    name: str, found: list[PairErrors], lopo: list[np.ndarray], other_fit: BandConstants | None
) -> None:
    print(f"\n{name}: {len(found)} manoeuvre-free pairs 1–20 days apart")
    print(f"  shipped band: {coverage(found):.1%} of events covered; leave one pair out: "
          f"{np.concatenate(lopo).mean():.1%}")
    if other_fit is not None:
        print(f"  fitted on the other files only ({other_fit.history_factor:.3f}, "
              f"{other_fit.single_set_factor:.3f}): {coverage(found, other_fit):.1%}")
    molczan = [
        abs(error) <= molczan_uncertainty_s(pair.older, pair.older.epoch + timedelta(days=float(age)))
        for pair in found
        for age, error in zip(pair.age_days, pair.error_s, strict=True)
    ]
    print(f"  Molczan, P = 20 %, on each set's own ndot: {np.mean(molczan):.1%}")
    print("  age (days)  events  covered  leave-one-out  median band  realized p95  tight limit")
    lopo_buckets = buckets(found, covered=lopo)
    for bucket, left_out in zip(buckets(found), lopo_buckets, strict=True):
        high = "" if math.isinf(bucket.high_days) else f"{bucket.high_days:g}"
        print(
            f"  {bucket.low_days:>4g}–{high:<5} {bucket.events:7d}  {bucket.coverage:7.1%}"
            f"  {left_out.coverage:13.1%}"
            f"  {bucket.median_band_s:9.1f} s  {bucket.p95_error_s:10.1f} s  {bucket.tight_limit_s:9.1f} s"
            f"{'' if bucket.tight else '  NOT TIGHT'}"
        )


def print_band(label: str, elements: isspass.Elements, drag: float | None) -> None:
    bands = [timing_uncertainty_s(elements, elements.epoch + timedelta(days=d), drag) for d in AGES_DAYS]
    print(f"  {label:<72} " + _row(bands))


def _row(bands) -> str:  # type: ignore[no-untyped-def]
    return "  ".join(f"{b:6.1f}" for b in bands)


def _drag(value: float | None) -> str:
    return "none" if value is None else f"{value:.2e}"


if __name__ == "__main__":
    sys.exit(main())
