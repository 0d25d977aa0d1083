"""The observer-free part of a search for a batch of satellites on one shared grid, as rows of arrays.

One SGP4 call for the grid, one rotation, the Earth's shadow of all of them in one root search.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sgp4.api import SatrecArray

from ..errors import PropagationError
from ..model import Satellite
from ..sky import Array, Orbit, SunTrack, itrs_to_teme, shadow_depth, teme_to_itrs
from ..trajectory import TrajectoryOrbit
from ..utc import unix_to_jd
from .nodes import NodeOrbit, evaluate_cubic
from .roots import Index, Intervals, level_intervals
from .track import Track, track_orbit


class FleetOrbits:
    """Positions of a batch of satellites at (time, satellite) pairs, each through its own orbit.

    Each satellite's orbit is read through its node table (:class:`~isspass.search.nodes.NodeOrbit`,
    the same lattice a single-satellite search reads); the tables of a batch share one block of
    polynomials, so the positions of all satellites are one vectorised read once their nodes are
    propagated (one SGP4 call per satellite that still needs some). A satellite that cannot be
    followed to some time (SGP4 finds it decayed) is recorded in ``failed`` and gives NaN from
    then on: the others are not affected.
    """

    def __init__(self, orbits: list[NodeOrbit]) -> None:
        self.orbits = orbits
        self.failed: dict[int, PropagationError] = {}

    @classmethod
    def over(cls, sources: list[Orbit | TrajectoryOrbit], grid: Array) -> FleetOrbits:
        """The satellites' orbits read through node tables over ``grid`` (seconds from t0)."""
        return cls(NodeOrbit.many(sources, grid))

    def teme(self, s: Array, which: Index) -> tuple[Array, Array]:
        """TEME position (km) and velocity (km/s), each (3, n), of satellite ``which[i]`` at ``s[i]``."""
        r, v = self.itrs(s, which)
        return itrs_to_teme(self.orbits[0].sun, s, r, v) if self.orbits else (r, v)

    def itrs(self, s: Array, which: Index) -> tuple[Array, Array]:
        """Earth-fixed position (km) and velocity (km/s, rotating frame), as :meth:`teme` gives TEME ones."""
        r, v = np.full((3, s.size), np.nan), np.full((3, s.size), np.nan)
        if s.size == 0:
            return r, v
        nodes = self.orbits[0]  # every table of the batch has the same lattice and span
        interval, fraction, inside = nodes.locate(s)
        slots = nodes.slot.base if nodes.slot.base is not None else nodes.slot[None, :]
        empty = inside & (slots[which, interval] == 0)
        if np.any(empty):
            self._fill(interval[empty], which[empty])
        usable = inside & ~np.isin(which, list(self.failed))
        if np.any(usable):
            r[:, usable], v[:, usable] = evaluate_cubic(
                nodes.polynomials, slots[which[usable], interval[usable]], fraction[usable], nodes.step_s
            )
        outside = ~inside & ~np.isin(which, list(self.failed))
        if np.any(outside):  # beyond the tables (not met in a search): each orbit itself
            r[:, outside], v[:, outside] = self._each(s[outside], which[outside], "itrs", direct=True)
        return r, v

    def propagated_teme(self, s: Array, which: Index) -> tuple[Array, Array]:
        """:meth:`teme` from each satellite's own orbit, not its node table (what a single
        satellite's eclipse search reads, as :meth:`Track.build` does)."""
        return self._each(s, which, "teme", direct=True)

    def _fill(self, interval: Index, which: Index) -> None:
        """Propagate the nodes of these intervals, one call per satellite; a failure marks it."""
        for first, last, k, order in _slices(which):
            if k in self.failed:
                continue
            try:
                self.orbits[k].fill(interval[order[first:last]])
            except PropagationError as exc:
                self.failed[k] = exc

    def _each(self, s: Array, which: Index, frame: str, direct: bool = False) -> tuple[Array, Array]:
        r, v = np.full((3, s.size), np.nan), np.full((3, s.size), np.nan)
        if s.size == 0:
            return r, v
        for first, last, k, order in _slices(which):
            if k in self.failed:
                continue
            mine = order[first:last]
            try:
                orbit = self.orbits[k].source if direct else self.orbits[k]
                r[:, mine], v[:, mine] = getattr(orbit, frame)(s[mine])
            except PropagationError as exc:
                self.failed[k] = exc
        return r, v


def _slices(which: Index) -> Iterator[tuple[int, int, int, Index]]:
    """For each satellite in ``which``: where its points lie in ``order`` (``which`` sorted, stable)."""
    order = np.argsort(which, kind="stable")
    ordered = which[order]
    cuts = np.flatnonzero(np.diff(ordered)) + 1
    firsts, lasts = np.concatenate([[0], cuts]).tolist(), np.concatenate([cuts, [which.size]]).tolist()
    for first, last, k in zip(firsts, lasts, ordered[firsts].tolist(), strict=True):
        yield first, last, k, order


@dataclass(frozen=True)
class FleetTrack:
    """A batch of satellites over one window on one grid: everything that does not depend on observers.

    Row ``k`` of ``r_itrs``/``v_itrs`` (satellites, 3, samples) is ``satellites[k]``; the
    shadow intervals' ``owner`` is that row, and they are sorted by row, then time.
    """

    satellites: tuple[Satellite, ...]
    orbits: FleetOrbits
    grid: Array  # seconds from t0
    r_itrs: Array
    v_itrs: Array
    shadow: Intervals
    duration_s: float
    step_s: float
    sun: SunTrack

    @classmethod
    def build(
        cls,
        satellites: list[Satellite],
        grid: Array,
        step_s: float,
        duration_s: float,
        sun: SunTrack,
    ) -> FleetTrack:
        """The satellites over ``grid`` (seconds from ``sun.t0_unix``): one SGP4 call for all of them.

        A satellite SGP4 cannot carry over the grid is marked failed (see :class:`FleetOrbits`).
        """
        if not sun.covers(grid[0], grid[-1]):
            raise ValueError("the Sun track given does not cover the grid")
        orbits = FleetOrbits.over([track_orbit(s, sun) for s in satellites], grid)
        jd, fraction = unix_to_jd(sun.t0_unix + grid)
        error, r, v = SatrecArray([s.elements.satrec for s in satellites]).sgp4(jd, fraction)
        for k in np.flatnonzero(np.any(error, axis=1)):
            try:  # the satellite's own orbit says what went wrong, in its own words
                orbits.orbits[k].teme(grid)
                raise PropagationError("SGP4 cannot propagate the elements over the window")
            except PropagationError as exc:
                orbits.failed[int(k)] = exc
            r[k], v[k] = np.nan, np.nan
        r_teme, v_teme = np.moveaxis(r, 2, 0), np.moveaxis(v, 2, 0)  # (3, satellites, samples)
        r_itrs, v_itrs = teme_to_itrs(sun, grid, r_teme, v_teme)
        shadow = _shadows(orbits, sun, grid, r_teme, v_teme)
        if orbits.failed:  # what the root search made of a failed satellite is meaningless
            shadow = shadow.take(~np.isin(shadow.owner, list(orbits.failed)))
        return cls(
            tuple(satellites),
            orbits,
            grid,
            np.ascontiguousarray(np.moveaxis(r_itrs, 0, 1)),
            np.ascontiguousarray(np.moveaxis(v_itrs, 0, 1)),
            shadow,
            duration_s,
            step_s,
            sun,
        )

    def __len__(self) -> int:
        return len(self.satellites)

    def track(self, k: int) -> Track:
        """Satellite ``k`` alone, as a single-satellite search would hold it (its grid is this one)."""
        first, last = np.searchsorted(self.shadow.owner, [k, k + 1])
        mine = self.shadow.take(slice(first, last))
        alone = np.zeros(mine.owner.size, dtype=np.intp)
        shadow = Intervals(alone, mine.start, mine.peak, mine.end, mine.peak_value)
        return Track(
            self.satellites[k],
            self.orbits.orbits[k],
            self.grid,
            self.r_itrs[k],
            self.v_itrs[k],
            shadow,
            self.duration_s,
            self.step_s,
        )

    def usable(self) -> NDArray[np.bool_]:
        """Which satellites have been followed without an SGP4 failure so far."""
        ok = np.ones(len(self), dtype=bool)
        ok[list(self.orbits.failed)] = False
        return ok


def _shadows(orbits: FleetOrbits, sun: SunTrack, grid: Array, r_teme: Array, v_teme: Array) -> Intervals:
    """Every satellite's eclipses (rows of ``r_teme``/``v_teme``, each (3, satellites, samples))."""

    def shadow(s: Array, owner: Index) -> tuple[Array, Array]:
        r, v = orbits.propagated_teme(s, owner)
        return shadow_depth(r, v, sun.geometric_teme_km(s))

    depth, depth_rate = shadow_depth(r_teme, v_teme, sun.geometric_teme_km(grid)[:, None, :])
    with np.errstate(invalid="ignore"):
        return level_intervals(grid, depth, depth_rate, 0.0, shadow)
