"""Brute-force reference passes: Skyfield sampled every second, no cleverness.

Independent of isspass's geometry: Skyfield's own ``altaz``, ``is_sunlit`` and apparent
Sun altitude on a 1-second grid, with crossings interpolated between samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from skyfield.api import EarthSatellite, wgs84

from isspass.sky import skyfield_ephemeris, skyfield_timescale

PAD_S = 2 * 3600  # enough for the true rise/set of a pass under way at an edge


@dataclass
class RefPass:
    rise: float  # seconds from the window start, interpolated between samples
    culmination: float
    set: float
    peak_altitude: float
    lit_start: float | None  # the lit arc's ends (shadow changes refined to 10 ms)
    lit_end: float | None
    shadow_crossings: list[float]  # refined to 10 ms, while above the true horizon
    type: str


@dataclass
class Grid:
    s: np.ndarray
    altitude: np.ndarray
    sunlit: np.ndarray
    sun_altitude: np.ndarray
    shadow_time: dict[int, float]  # sunlit changes between samples i and i+1: when (s)


class Reference:
    """Skyfield's view of one satellite over a window, sampled once a second."""

    def __init__(self, satrec, start: datetime, days: float):
        ts, self.eph = skyfield_timescale(), skyfield_ephemeris()
        self.start = start
        self.s = np.arange(-PAD_S, days * 86400 + PAD_S + 1, 1.0)
        t0 = start.astimezone(timezone.utc)
        self.t = ts.utc(
            t0.year, t0.month, t0.day, t0.hour, t0.minute, t0.second + t0.microsecond / 1e6 + self.s
        )
        self.sat = EarthSatellite.from_satrec(satrec, ts)
        self.geocentric = self.sat.at(self.t)
        self.sunlit = self.geocentric.is_sunlit(self.eph)
        self.shadow_time = self._refine_shadow_changes(ts)
        self._grids: dict[tuple[float, float, float], Grid] = {}

    def _refine_shadow_changes(self, ts) -> dict[int, float]:
        """Where ``is_sunlit`` changes between two samples, find when to 10 ms."""
        changes = np.flatnonzero(np.diff(self.sunlit.astype(np.int8)) != 0)
        fine = (self.s[changes][:, None] + np.linspace(0.0, 1.0, 101)[None, :]).ravel()
        t0 = self.start.astimezone(timezone.utc)
        second = t0.second + t0.microsecond / 1e6 + fine
        t = ts.utc(t0.year, t0.month, t0.day, t0.hour, t0.minute, second)
        lit = self.sat.at(t).is_sunlit(self.eph).reshape(changes.size, 101)
        result = {}
        for row, i in enumerate(changes):
            flip = int(np.flatnonzero(lit[row] != lit[row][0])[0])
            result[int(i)] = float(self.s[i] + (flip - 0.5) * 0.01)
        return result

    def grid(self, lat: float, lon: float, elevation_m: float) -> Grid:
        key = (lat, lon, elevation_m)
        if key not in self._grids:
            self._grids[key] = self._compute_grid(lat, lon, elevation_m)
        return self._grids[key]

    def _compute_grid(self, lat: float, lon: float, elevation_m: float) -> Grid:
        topos = wgs84.latlon(lat, lon, elevation_m)
        altitude = (self.geocentric - topos.at(self.t)).altaz()[0].degrees
        observer = self.eph["earth"] + topos
        sun_altitude = observer.at(self.t).observe(self.eph["sun"]).apparent().altaz()[0].degrees
        return Grid(self.s, altitude, self.sunlit, sun_altitude, self.shadow_time)

    def passes(self, grid: Grid, min_elevation: float, twilight: float, days: float) -> list[RefPass]:
        return passes_from_grid(grid, min_elevation, twilight, days)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges [i, j] (inclusive) of the True runs of a boolean array."""
    edges = np.diff(mask.astype(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _cross(s, y, i, level):
    """Linear interpolation of the crossing of ``level`` between samples i and i+1."""
    return s[i] + (level - y[i]) / (y[i + 1] - y[i]) * (s[i + 1] - s[i])


def passes_from_grid(g: Grid, min_elevation: float, twilight: float, days: float) -> list[RefPass]:
    s, alt = g.s, g.altitude
    result = []
    n = s.size
    horizon_runs = _runs(alt >= 0.0)
    for i, j in _runs(alt >= min_elevation):
        if i == 0 or j == n - 1:
            continue  # inside the padding: not a complete pass
        rise = _cross(s, alt, i - 1, min_elevation)
        fall = _cross(s, alt, j, min_elevation)
        if fall < 0 or rise > days * 86400:
            continue
        k = i + int(np.argmax(alt[i : j + 1]))
        z = np.sin(np.radians(alt[k - 1 : k + 2]))
        denom = z[0] - 2 * z[1] + z[2]
        offset = 0.5 * (z[0] - z[2]) / denom if denom != 0 else 0.0
        peak_z = z[1] - 0.25 * (z[0] - z[2]) * offset
        culmination = s[k] + offset
        lit = g.sunlit[i : j + 1]
        lit_idx = np.flatnonzero(lit)
        lit_start = lit_end = None
        if lit_idx.size:
            a, b = i + lit_idx[0], i + lit_idx[-1]
            lit_start = g.shadow_time[a - 1] if a > i else rise
            lit_end = g.shadow_time[b] if b < j else fall
        h_i, h_j = next((a, b) for a, b in horizon_runs if a <= i and b >= j)
        changes = np.flatnonzero(np.diff(g.sunlit[h_i : h_j + 1].astype(np.int8)) != 0)
        crossings = [g.shadow_time[h_i + c] for c in changes]
        if not lit_idx.size:
            kind = "unlit"
        else:
            window = slice(h_i, h_j + 1)
            dark = np.any(g.sunlit[window] & (g.sun_altitude[window] < twilight))
            kind = "visible" if dark else "daylight"
        result.append(
            RefPass(
                rise, culmination, fall, float(np.degrees(np.arcsin(min(peak_z, 1.0)))),
                lit_start, lit_end, crossings, kind,
            )
        )  # fmt: skip
    return result


def seconds(start: datetime, when: datetime) -> float:
    return (when - start) / timedelta(seconds=1)
