"""The observer-free part of a search: one satellite propagated over one window.

The sampling grid, positions and eclipses, and the altitude evaluator and peak filter observers use.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from numpy.typing import NDArray

from ..ephemeris import window_padding_s
from ..errors import TrajectoryCoverageError
from ..freshness import check_plausible, timing_band_s, timing_uncertainty_s
from ..model import Satellite
from ..sky import Array, Orbit, Sites, SunTrack, shadow_depth, sin_altitude
from ..trajectory import TrajectoryOrbit, TrajectorySatellite
from ..utc import DAY_S
from .nodes import NodeOrbit
from .roots import Evaluate, Index, Intervals, level_intervals

#: Grid samples per orbit: peaks of altitude and of shadow depth are half an orbit apart.
_SAMPLES_PER_ORBIT = 32


def check_predictable(satellite: Satellite | TrajectorySatellite, start: datetime, end: datetime) -> None:
    """Raise unless the satellite can be followed over ``start``…``end``: a trajectory must cover
    it with the search's padding (:class:`TrajectoryCoverageError`), elements must lie within a
    year of it (:class:`StaleElementsError`)."""
    if isinstance(satellite, TrajectorySatellite):
        if not satellite.can_predict(start, end):
            raise TrajectoryCoverageError(
                f"the trajectory ({satellite.source}) covers {satellite.ephemeris.start:%Y-%m-%d %H:%M} to "
                f"{satellite.ephemeris.stop:%Y-%m-%d %H:%M} UTC, not the window {start:%Y-%m-%d %H:%M} to "
                f"{end:%Y-%m-%d %H:%M} UTC with an orbit to spare either side"
            )
    else:
        check_plausible(satellite.elements, start, end)


def orbital_period_s(satellite: Satellite | TrajectorySatellite) -> float:
    """The satellite's period (s): from its elements, or from its trajectory."""
    if isinstance(satellite, TrajectorySatellite):
        return satellite.period_s
    return satellite.elements.period_s


def grid_step_s(period_s: float) -> float:
    """The search's sampling step (s) for a period: 32 samples an orbit, within 5 s…10 minutes."""
    return min(max(period_s / _SAMPLES_PER_ORBIT, 5.0), 600.0)


def track_orbit(satellite: Satellite | TrajectorySatellite, sun: SunTrack) -> Orbit | TrajectoryOrbit:
    """What a track evaluates positions with: SGP4 for elements, interpolation for a trajectory."""
    if isinstance(satellite, TrajectorySatellite):
        return TrajectoryOrbit(satellite, sun)
    return Orbit(satellite.elements.satrec, sun)


@dataclass(frozen=True)
class Track:
    """One satellite over one window: everything that does not depend on the observer."""

    satellite: Satellite | TrajectorySatellite
    orbit: NodeOrbit  # the satellite's orbit, read through nodes propagated once for all observers
    grid: Array  # seconds from t0
    r_itrs: Array
    v_itrs: Array
    shadow: Intervals  # the satellite's eclipses (their ends refined; their peaks only sampled)
    duration_s: float
    step_s: float

    @property
    def t0(self) -> datetime:
        return datetime.fromtimestamp(self.orbit.sun.t0_unix, tz=timezone.utc)

    @classmethod
    def build(
        cls,
        satellite: Satellite | TrajectorySatellite,
        start: datetime,
        duration_s: float,
        sun: SunTrack | None = None,
    ) -> Track:
        """The track of ``satellite`` (elements or a trajectory) over ``duration_s`` seconds from ``start``.

        ``sun``, the Sun over the window (``t0`` = ``start``), is built when not given; a
        search of many satellites builds it once and hands it to each.
        """
        period = orbital_period_s(satellite)
        step = grid_step_s(period)
        pad = window_padding_s(period)
        count = math.ceil((duration_s + 2 * pad) / step) + 1
        grid = -pad + step * np.arange(count)
        t0 = start.timestamp()
        if sun is None:
            sun = SunTrack.build(t0, grid[0], grid[-1])
        elif sun.t0_unix != t0 or not sun.covers(grid[0], grid[-1]):
            raise ValueError("the Sun track given does not cover this satellite's window")
        orbit = track_orbit(satellite, sun)
        r_teme, v_teme = orbit.teme(grid)
        r_itrs, v_itrs = orbit.to_itrs(grid, r_teme, v_teme)
        nodes = NodeOrbit.over(orbit, grid)  # what every refinement below, and the observers', reads

        def shadow(s: Array, _: Index) -> tuple[Array, Array]:
            r, v = orbit.teme(s)
            return shadow_depth(r, v, orbit.sun.geometric_teme_km(s))

        depth, depth_rate = shadow_depth(r_teme, v_teme, orbit.sun.geometric_teme_km(grid))
        shade = level_intervals(grid, depth[None, :], depth_rate[None, :], 0.0, shadow)
        return cls(satellite, nodes, grid, r_itrs, v_itrs, shade, duration_s, step)

    def timing_uncertainty_s(self, when: datetime) -> float:
        """How far a time predicted at ``when`` may be off: from the elements' age, or the trajectory's."""
        if isinstance(self.satellite, TrajectorySatellite):
            return self.satellite.timing_uncertainty_s(when)
        return timing_uncertainty_s(self.satellite.elements, when, self.satellite.history_drag)

    def timing_uncertainties_s(self, s: Array) -> Array:
        """:meth:`timing_uncertainty_s` at many times (seconds from ``t0``), in one vectorised call."""
        if isinstance(self.satellite, TrajectorySatellite) or s.size == 0:
            return np.array([self.timing_uncertainty_s(self.t0 + timedelta(seconds=float(x))) for x in s])
        elements = self.satellite.elements
        age_days = (self.orbit.sun.t0_unix + s - elements.epoch.timestamp()) / DAY_S
        drag = self.satellite.history_drag
        return timing_band_s(
            age_days, elements.mean_motion, elements.mean_motion_dot, np.nan if drag is None else drag
        )

    def altitude_evaluator(self, sites: Sites) -> Evaluate:
        def evaluate(s: Array, owner: Index) -> tuple[Array, Array]:
            r, v = self.orbit.itrs(s)
            return sin_altitude(sites.position_km[:, owner], sites.up[:, owner], r, v)

        return evaluate

    def peak_candidates(
        self, sites: Sites, min_elevation_deg: float
    ) -> Callable[[Index, Index], NDArray[np.bool_]]:
        """Rule out sampled peaks too far away to reach the minimum elevation.

        The true peak lies within one step of the sample, and in a step the satellite moves
        at most ``v_max · step``; so if the sampled range exceeds the slant range at the
        minimum elevation by more than that, the pass cannot reach it. Generous margins:
        half a degree of elevation (geodetic vs geocentric horizon) and 20 % of the motion.
        """
        r_max = float(np.max(np.sqrt(np.sum(self.r_itrs**2, axis=0)))) * 1.001
        reach = 1.2 * float(np.max(np.sqrt(np.sum(self.v_itrs**2, axis=0)))) * self.step_s
        radius = np.sqrt(np.sum(sites.position_km**2, axis=0))
        e = math.radians(min_elevation_deg - 0.5)
        slant = np.sqrt(np.maximum(r_max**2 - (radius * math.cos(e)) ** 2, 0.0)) - radius * math.sin(e)

        def candidate(owner: Index, index: Index) -> NDArray[np.bool_]:
            rho = self.r_itrs[:, index] - sites.position_km[:, owner]
            return np.sqrt(np.sum(rho**2, axis=0)) - reach <= slant[owner]

        return candidate
