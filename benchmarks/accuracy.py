"""Print isspass's worst errors against two references.

1. A brute-force Skyfield reference on a 1-second grid (7 observers, 3 days from the
   bundled element epoch, minimum elevation 10°): rise / culmination / set, lit-arc ends,
   shadow crossings, peak altitude.
2. Heavens-Above's Zurich table (January 2022, HA's own TLE): start / highest / end
   times, altitudes, magnitudes and the pass-detail rows.

Run: python benchmarks/accuracy.py   (takes about a minute; Skyfield's 1-s grid is slow)
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

import isspass  # noqa: E402
from conftest import REFERENCE_DAYS, REFERENCE_START  # noqa: E402
from heavens_above import read_capture  # noqa: E402
from reference import Reference, passes_from_grid, seconds  # noqa: E402
from test_search_reference import OBSERVERS  # noqa: E402


def against_reference() -> None:
    satellite = isspass.load_satellite(elements=isspass.bundled_elements())
    reference = Reference(satellite.elements.satrec, REFERENCE_START, REFERENCE_DAYS)
    worst: dict[str, float] = {}
    count = same_type = 0

    def note(name: str, value: float) -> None:
        worst[name] = max(worst.get(name, 0.0), abs(value))

    for lat, lon, elev in OBSERVERS:
        expected = passes_from_grid(reference.grid(lat, lon, elev), 10.0, -6.0, REFERENCE_DAYS)
        found = isspass.find_passes(
            isspass.Observer(lat, lon, elev), REFERENCE_START, REFERENCE_DAYS,
            satellite=satellite, visible_only=False,
        )  # fmt: skip
        if len(found) != len(expected):
            print(f"  MISMATCH at {lat},{lon}: {len(found)} found, {len(expected)} expected")
            continue
        for got, ref in zip(found, expected, strict=True):
            count += 1
            same_type += got.type.value == ref.type
            t = lambda p: seconds(REFERENCE_START, p.time)  # noqa: E731
            note("rise (s)", t(got.rise) - ref.rise)
            note("culmination (s)", t(got.culmination) - ref.culmination)
            note("set (s)", t(got.set) - ref.set)
            note("peak altitude (deg)", got.culmination.altitude_deg - ref.peak_altitude)
            if ref.lit_start is not None and got.appears is not None:
                note("appears (s)", t(got.appears) - ref.lit_start)
                note("disappears (s)", t(got.disappears) - ref.lit_end)
            mine = sorted(t(p) for p in (got.shadow_entry, got.shadow_exit) if p is not None)
            for a, b in zip(mine, ref.shadow_crossings, strict=False):
                note("shadow crossing (s)", a - b)
    print(f"1-second Skyfield reference: {count} passes at {len(OBSERVERS)} observers, "
          f"{same_type} of the same type")  # fmt: skip
    for name, value in worst.items():
        print(f"  worst |error| {name:32s} {value:.4f}")
    print("  (lit-arc ends and shadow crossings: the reference resolves them to 10 ms)")


def against_heavens_above() -> None:
    capture = read_capture((TESTS / "data" / "heavens-above-zurich-iss-2022-01.txt").read_text("utf-8"))
    satellite = isspass.load_satellite(elements=isspass.parse_elements(capture.tle, "HA"))
    observer = isspass.Observer(capture.latitude, capture.longitude, capture.elevation_m)
    found = isspass.find_passes(observer, capture.first_day + timedelta(hours=12), 10, satellite=satellite)
    print(f"Heavens-Above Zurich: {len(found)} visible passes found, {len(capture.passes)} listed")
    worst: dict[str, float] = {}

    def note(name: str, value: float) -> None:
        worst[name] = max(worst.get(name, 0.0), abs(value))

    compass = 0
    for got, want in zip(found, capture.passes, strict=True):
        for mine, theirs in (
            (got.appears, want.start),
            (got.highest, want.highest),
            (got.disappears, want.end),
        ):
            note("start/highest/end time (s)", (mine.time - theirs.time).total_seconds())
            note("start/highest/end altitude (deg)", mine.altitude_deg - theirs.altitude)
            compass += mine.direction == theirs.direction
        note("magnitude (mag)", got.magnitude - want.magnitude)
        rows = {"Rises": got.horizon_rise, "Reaches altitude 10°": got.rise,
                "Maximum altitude": got.culmination, "Enters shadow": got.shadow_entry}  # fmt: skip
        for event, theirs in want.details.items():
            mine = rows[event]
            note("detail time (s)", (mine.time - theirs.time).total_seconds())
            note("detail azimuth (deg)", mine.azimuth_deg - theirs.azimuth)
            note("detail distance (km)", mine.range_km - theirs.distance_km)
            note("detail magnitude (mag)", mine.magnitude - theirs.magnitude)
            note("detail Sun altitude (deg)", mine.sun_altitude_deg - theirs.sun_altitude)
    print(f"  compass points equal: {compass} of {3 * len(found)}")
    for name, value in worst.items():
        print(f"  worst |error| {name:32s} {value:.3f}")
    print("  (HA prints whole seconds, degrees and km, and 0.1 mag: rounding alone is up to half of each)")


if __name__ == "__main__":
    against_heavens_above()
    against_reference()
