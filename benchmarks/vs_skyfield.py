"""isspass against the Skyfield expert path: same work, same process, ratio and agreement.

The Skyfield side is what an expert Skyfield user would write for the same definitions
(the README's): ``find_events`` per observer at the minimum elevation and at the true
horizon, one ``find_discrete`` search on ``is_sunlit`` shared by all observers, the Sun's
apparent altitude from DE421 at the ends and middle of every lit stretch above the horizon,
and the magnitude model at the highest lit point.

Run:  python benchmarks/vs_skyfield.py                 # 1 observer, then 1,000
      python benchmarks/vs_skyfield.py --observers 100 --days 10
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from skyfield.api import EarthSatellite, wgs84
from skyfield.searchlib import find_discrete

import isspass
from isspass.brightness import apparent_magnitude
from isspass.sky import skyfield_ephemeris, skyfield_timescale

START = datetime(2026, 9, 24, tzinfo=timezone.utc)


@dataclass
class Simple:
    rise: float
    culmination: float
    set: float
    visible: bool
    magnitude: float | None


class SkyfieldExpert:
    """The whole job in plain Skyfield. The eclipse search is shared by every observer."""

    def __init__(self, satellite: isspass.Satellite, start: datetime, days: float) -> None:
        self.ts, self.eph = skyfield_timescale(), skyfield_ephemeris()
        self.sat = EarthSatellite.from_satrec(satellite.elements.satrec, self.ts)
        self.std_mag = satellite.standard_magnitude
        pad = timedelta(seconds=satellite.elements.period_s)
        self.start, self.end = start, start + timedelta(days=days)
        self.t0, self.t1 = self.ts.from_datetime(start - pad), self.ts.from_datetime(self.end + pad)
        self.sun, self.earth = self.eph["sun"], self.eph["earth"]

        def sunlit(t):  # type: ignore[no-untyped-def]
            return self.sat.at(t).is_sunlit(self.eph)

        sunlit.step_days = satellite.elements.period_s / 86400 / 40
        times, values = find_discrete(self.t0, self.t1, sunlit)
        self.changes = times.tt
        self.lit_after = values
        self.lit_at_start = bool(sunlit(self.t0))

    def _lit_pieces(self, a: float, b: float) -> list[tuple[float, float]]:
        """The sunlit parts of [a, b] (TT Julian dates) from the shared eclipse search."""
        inside = (self.changes > a) & (self.changes < b)
        before = np.flatnonzero(self.changes <= a)
        lit = bool(self.lit_after[before[-1]]) if before.size else self.lit_at_start
        pieces, cursor = [], a
        for when, state in zip(self.changes[inside], self.lit_after[inside], strict=True):
            if lit and not state:
                pieces.append((cursor, when))
            cursor = when
            lit = bool(state)
        if lit:
            pieces.append((cursor, b))
        return pieces

    def passes(
        self, lat: float, lon: float, min_elevation: float = 10.0, twilight: float = -6.0
    ) -> list[Simple]:
        topos = wgs84.latlon(lat, lon)
        t, events = self.sat.find_events(topos, self.t0, self.t1, altitude_degrees=min_elevation)
        th, eh = self.sat.find_events(topos, self.t0, self.t1, altitude_degrees=0.0)
        horizon = [(a, b) for a, b in _triplets(th.tt, eh)]
        observer = self.earth + topos
        result = []
        start_tt, end_tt = self.ts.from_datetime(self.start).tt, self.ts.from_datetime(self.end).tt
        for (rise, fall), culm in zip(_triplets(t.tt, events), _culminations(t.tt, events), strict=True):
            if fall < start_tt or rise > end_tt:
                continue
            lit = self._lit_pieces(rise, fall)
            visible, magnitude = False, None
            if lit:
                h0, h1 = next(((a, b) for a, b in horizon if a <= rise and b >= fall), (rise, fall))
                sky = self._lit_pieces(h0, h1)
                probes = np.array([x for a, b in sky for x in (a, 0.5 * (a + b), b)])
                sun_alt = observer.at(self.ts.tt_jd(probes)).observe(self.sun).apparent().altaz()[0].degrees
                visible = bool(np.min(sun_alt) < twilight)
                if visible and self.std_mag is not None:
                    best = min((min(max(culm, a), b) for a, b in lit), key=lambda x: abs(x - culm))
                    tb = self.ts.tt_jd(best)
                    geo = self.sat.at(tb)
                    topo = geo - topos.at(tb)
                    to_sun = (self.earth.at(tb).observe(self.sun).position.km) - geo.position.km
                    to_obs = -topo.position.km
                    phase = np.arccos(
                        np.dot(to_sun, to_obs) / (np.linalg.norm(to_sun) * np.linalg.norm(to_obs))
                    )
                    magnitude = float(apparent_magnitude(self.std_mag, topo.distance().km, phase))
            result.append(Simple(rise, culm, fall, visible, magnitude))
        return result


def _triplets(tt: np.ndarray, events: np.ndarray) -> list[tuple[float, float]]:
    """(rise, set) pairs; passes cut by the padded window's ends are dropped."""
    pairs, rise = [], None
    for when, kind in zip(tt, events, strict=True):
        if kind == 0:
            rise = when
        elif kind == 2 and rise is not None:
            pairs.append((rise, when))
            rise = None
    return pairs


def _culminations(tt: np.ndarray, events: np.ndarray) -> list[float]:
    """The culmination of each complete pass, in the same order as ``_triplets``.

    An ISS pass has exactly one; the first is taken should find_events report several.
    """
    result, rise, best = [], None, None
    for when, kind in zip(tt, events, strict=True):
        if kind == 0:
            rise, best = when, None
        elif kind == 1 and rise is not None:
            best = when if best is None else best
        elif kind == 2 and rise is not None:
            result.append(best if best is not None else 0.5 * (rise + when))
            rise = None
    return result


def _as_tt(ts, when: datetime) -> float:  # type: ignore[no-untyped-def]
    return float(ts.from_datetime(when).tt)


def compare(ours: list[isspass.Pass], theirs: list[Simple], ts) -> tuple[bool, float]:  # type: ignore[no-untyped-def]
    """(same passes and visibility, worst timing difference in seconds)."""
    same = len(ours) == len(theirs)
    worst = 0.0
    for a, b in zip(ours, theirs, strict=False):
        same &= a.visible == b.visible
        for mine, other in ((a.rise, b.rise), (a.culmination, b.culmination), (a.set, b.set)):
            worst = max(worst, abs(_as_tt(ts, mine.time) - other) * 86400)
    return same, worst


def observers(count: int) -> list[tuple[float, float]]:
    rng = np.random.default_rng(2026)
    return list(
        zip(rng.uniform(-60, 60, count).tolist(), rng.uniform(-180, 180, count).tolist(), strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--observers", type=int, default=1000)
    parser.add_argument("--days", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=5, help="repeats of the 1-observer timing (best taken)")
    args = parser.parse_args()
    satellite = isspass.load_satellite(elements=isspass.bundled_elements())
    ts = skyfield_timescale()
    isspass.find_passes(isspass.Observer(0, 0), START, 0.1, satellite=satellite)  # warm caches
    zurich = (47.37, 8.54)

    # ---- one observer, all of it (the eclipse search counts for Skyfield here)
    sky_times, our_times = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        expert = SkyfieldExpert(satellite, START, args.days)
        theirs = [p for p in expert.passes(*zurich) if p.visible]
        sky_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        ours = isspass.find_passes(
            isspass.Observer(*zurich), START, args.days, satellite=satellite, visible_only=True
        )
        our_times.append(time.perf_counter() - t)
    same, worst = compare(ours, theirs, ts)
    print(f"1 observer, {args.days:g} days, visible passes with lit arcs and magnitudes:")
    print(f"  Skyfield expert {min(sky_times) * 1000:8.1f} ms   isspass {min(our_times) * 1000:7.1f} ms"
          f"   ratio {min(sky_times) / min(our_times):6.1f}x")  # fmt: skip
    print(f"  agreement: {'same passes' if same else 'DIFFERENT passes'} ({len(ours)}), "
          f"worst rise/culmination/set difference {worst:.3f} s")  # fmt: skip

    # ---- many observers
    places = observers(args.observers)
    t = time.perf_counter()
    expert = SkyfieldExpert(satellite, START, args.days)
    theirs_all = [[p for p in expert.passes(lat, lon) if p.visible] for lat, lon in places]
    sky_many = time.perf_counter() - t
    t = time.perf_counter()
    ours_all = isspass.find_passes_many(
        [isspass.Observer(lat, lon) for lat, lon in places], START, args.days, satellite=satellite
    )
    our_many = time.perf_counter() - t
    agree, worst_all, total = 0, 0.0, 0
    for ours, theirs in zip(ours_all, theirs_all, strict=True):
        same, worst = compare(ours, theirs, ts)
        agree += same
        worst_all = max(worst_all, worst)
        total += len(ours)
    print(f"{args.observers} observers, {args.days:g} days ({total} visible passes):")
    ratio = sky_many / our_many
    print(f"  Skyfield expert {sky_many:8.2f} s    isspass {our_many:7.2f} s    ratio {ratio:6.1f}x")
    print(f"  agreement: identical pass lists for {agree} of {args.observers} observers, "
          f"worst rise/culmination/set difference {worst_all:.3f} s")  # fmt: skip


if __name__ == "__main__":
    main()
