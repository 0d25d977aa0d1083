"""NASA's ISS trajectory (an OEM) against a TLE from inside its span: interpolation, agreement, speed.

1. Interpolation: every vector left out in turn and predicted from its neighbours across
   the doubled gap (the default degree-7 Hermite, a degree-8 Lagrange, a cubic Hermite).
2. Agreement: the OEM and the TLE at the TLE's epoch (along-track distance), and the pass
   lists of many observers, day by day from the TLE's epoch.
3. Speed: the same searches from the OEM and from the TLE, in the same process.

Run:  python benchmarks/oem_vs_elements.py                      # the trimmed copy in tests/data
      python benchmarks/oem_vs_elements.py --oem FULL_FILE.xml.gz  # NASA's whole 15-day file
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

import isspass
from isspass.interpolate import Polynomials
from isspass.sky import SunTrack
from isspass.trajectory import DEFAULT_HERMITE_NODES, TrajectoryOrbit

HERE = Path(__file__).resolve().parent
TRIMMED = HERE.parent / "tests" / "data" / "nasa-iss-oem-2025-02-26-trimmed.xml.gz"
#: A real TLE from inside the trajectory's span (epoch 2025-02-28 13:00 UTC).
TLE = """\
ISS (ZARYA)
1 25544U 98067A   25059.54152977  .00022226  00000-0  40176-3 0  9996
2 25544  51.6353 125.1519 0006135 326.8326  33.2278 15.49597200498316
"""


def observers(count: int) -> list[isspass.Observer]:
    """A fixed spread of places between 55° S and 55° N."""
    rng = np.random.default_rng(13)
    lat = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(-55)), np.sin(np.radians(55)), count)))
    lon = rng.uniform(-180, 180, count)
    return [isspass.Observer(float(a), float(b)) for a, b in zip(lat, lon, strict=True)]


def interpolation(oem: isspass.Ephemeris) -> None:
    print("1. Leave-one-out: each vector predicted from its neighbours (metres)")
    for segment in oem.segments:
        t = segment.epochs_s - segment.epochs_s[0]
        steps = np.diff(t)
        for name, size in (("Hermite deg 7 (default)", None), ("Lagrange deg 8", 9), ("cubic Hermite", 2)):
            errors, irregular = [], {}
            for k in range(8, len(segment) - 8):
                near = np.r_[k - 8 : k, k + 1 : k + 9]
                p, v = segment.position_km[:, near], segment.velocity_km_s[:, near]
                if name.startswith("Lagrange"):
                    poly = Polynomials.lagrange(t[near], np.vstack([p, v]), 8)
                else:
                    poly = Polynomials.hermite(t[near], p, v, size or DEFAULT_HERMITE_NODES)
                error = np.linalg.norm(poly(t[k : k + 1])[0][:3, 0] - segment.position_km[:, k]) * 1000
                if np.all(steps[k - 8 : k + 8] == 240.0):
                    errors.append(error)
                else:  # an uneven stencil: the grid restarts at planned events
                    irregular[k] = error
            errors = np.array(errors)
            worst = sorted(irregular, key=irregular.get)[-3:][::-1]
            shown = ", ".join(f"{_epoch(segment, k)} {irregular[k]:.1f}" for k in worst)
            print(
                f"   {name:<24} {errors.size:5d} vectors in even 4-minute stretches: median "
                f"{np.median(errors):7.2f}, 99% {np.percentile(errors, 99):7.2f}, max {errors.max():7.2f}"
            )
            middle = np.median(list(irregular.values()))
            print(f"   {'':<24} {len(irregular):5d} near uneven epochs: median {middle:7.2f}, worst {shown}")


def _epoch(segment: isspass.ephemeris.EphemerisSegment, k: int) -> str:
    return f"{datetime.fromtimestamp(float(segment.epochs_s[k]), timezone.utc):%m-%d %H:%M:%S}"


def along_track(
    sat: isspass.TrajectorySatellite, tle: isspass.Satellite, when: datetime
) -> tuple[float, float]:
    """Along-track distance (km, OEM ahead positive) and its time (s) between the two at ``when``."""
    from isspass.sky import Orbit

    sun = SunTrack.build(when.timestamp(), -60.0, 60.0)
    r_oem, v_oem = TrajectoryOrbit(sat, sun).teme(np.array([0.0]))
    r_tle, _ = Orbit(tle.elements.satrec, sun).teme(np.array([0.0]))
    speed = float(np.linalg.norm(v_oem))
    along = float(np.dot((r_oem - r_tle)[:, 0], v_oem[:, 0] / speed))
    return along, along / speed


def agreement(sat: isspass.TrajectorySatellite, tle: isspass.Satellite, count: int) -> None:
    print(f"2. OEM (created {sat.epoch:%Y-%m-%d %H:%M}) against the TLE (epoch {tle.epoch:%Y-%m-%d %H:%M})")
    for hours in (-24, 0, 24, 48, 96):
        when = tle.epoch + timedelta(hours=hours)
        if sat.can_predict(when, when):
            km, s = along_track(sat, tle, when)
            print(f"   TLE epoch {hours:+4d} h: the OEM is {km:+7.1f} km along the track ({s:+5.2f} s)")
    places = observers(count)
    day = tle.epoch - timedelta(days=1)
    while sat.can_predict(day, day + timedelta(days=1)):
        a = isspass.find_passes_many(places, day, 1, satellite=sat, visible_only=False)
        b = isspass.find_passes_many(places, day, 1, satellite=tle, visible_only=False)
        gaps, same, total = [], 0, 0
        for mine, theirs in zip(a, b, strict=True):
            total += max(len(mine), len(theirs))
            if len(mine) == len(theirs) and all(x.type is y.type for x, y in zip(mine, theirs, strict=True)):
                same += len(mine)
                for x, y in zip(mine, theirs, strict=True):
                    gaps += [abs((getattr(x, e).time - getattr(y, e).time).total_seconds()) for e in
                             ("rise", "culmination", "set")]  # fmt: skip
        gaps = np.array(gaps)
        offset = (day - tle.epoch).total_seconds() / 86400
        print(
            f"   day {offset:+5.1f} to {offset + 1:+5.1f} from the TLE epoch, {count} observers: "
            f"{same}/{total} passes the same; rise/culmination/set differ by median "
            f"{np.median(gaps):5.2f} s, max {gaps.max():5.2f} s"
        )
        day += timedelta(days=1)


def speed(sat: isspass.TrajectorySatellite, tle: isspass.Satellite, repeat: int) -> None:
    pad = timedelta(hours=2)
    start = max(sat.ephemeris.start + pad, tle.epoch - timedelta(days=1))
    days = min(10.0, (sat.ephemeris.stop - pad - start).total_seconds() / 86400)
    print(f"3. Speed: visible passes over {days:.1f} days from {start:%Y-%m-%d %H:%M} (best of {repeat})")
    for count in (1, 1000):
        places = observers(count)
        timings = {}
        for name, satellite in (("OEM", sat), ("TLE", tle)):
            best = np.inf
            for _ in range(repeat if count == 1 else max(repeat // 5, 1)):
                began = time.perf_counter()
                isspass.find_passes_many(places, start, days, satellite=satellite)
                best = min(best, time.perf_counter() - began)
            timings[name] = best
        ratio = timings["TLE"] / timings["OEM"]
        print(
            f"   {count:5d} observers: OEM {timings['OEM'] * 1000:8.1f} ms, "
            f"TLE {timings['TLE'] * 1000:8.1f} ms: the OEM is {ratio:.2f}x the speed of elements"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oem", type=Path, default=TRIMMED, help="an ISS OEM (KVN or XML, gzip allowed)")
    parser.add_argument("--observers", type=int, default=50, help="observers for the pass comparison")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    began = time.perf_counter()
    oem = isspass.read_oem(args.oem)
    sat = isspass.load_trajectory(oem)
    loaded = time.perf_counter() - began
    print(
        f"{args.oem.name}: {oem.vector_count} vectors, "
        f"{oem.start:%Y-%m-%d %H:%M} to {oem.stop:%Y-%m-%d %H:%M} UTC"
    )
    print(f"   read, validated and made ready in {loaded * 1000:.0f} ms (once per run)")
    tle = isspass.load_satellite(elements=isspass.parse_elements(TLE, "issue 13"))
    interpolation(oem)
    agreement(sat, tle, args.observers)
    speed(sat, tle, args.repeat)


if __name__ == "__main__":
    main()
