"""The shared trajectory of a search, tabulated lazily: propagated once per node, cubic Hermite between.

Every observer's refinement asks for the satellite near the same passes: each node is
propagated the first time a time near it is asked for, then reused by every observer.

The nodes lie on a fixed lattice, every :data:`NODE_STEP_S` seconds counted from the start
of the window, over the span of the search's grid: two searches from the same start (one
satellite alone, or among many on a shared grid) read the very same values at a time. A node
is propagated the first time a time beside it is asked for (all of a call's missing nodes in
one vectorised call), so a search over one observer propagates little more than it would
point by point, and one over thousands propagates each node once. A time's position depends
only on its two nodes, never on which were propagated before: results do not depend on the
order of the work nor on where it runs.

Between two nodes the position is the cubic Hermite polynomial matching positions and
velocities at both. For a circular orbit its error is ``r·(ω·h)⁴/384`` (radius ``r``, angular
rate ``ω``, spacing ``h``): 4 mm for a low orbit and 20-second nodes; SGP4's short-period
terms bring it to 4 cm at most for the ISS (tests/test_nodes.py), some 6 µs of its motion,
far below what the elements themselves can promise (:mod:`isspass.freshness`).

The table holds Earth-fixed positions, what every observer's refinement asks for (the Earth's
turn adds little curvature to the motion); TEME ones, which the shadow and the final look
need far less often, are rotated back exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..sky import Array, Orbit, SunTrack, itrs_to_teme, teme_to_itrs
from ..trajectory import TrajectoryOrbit

#: The node spacing (s). See the module docstring for the error it allows.
NODE_STEP_S = 20.0


@dataclass(frozen=True)
class NodeOrbit:
    """An orbit (SGP4 or a trajectory) read through lazily propagated Hermite nodes.

    Offers what the orbit offers (``teme``, ``itrs``, ``to_itrs``, ``sun``), so a search uses
    either alike. Times are seconds from ``sun.t0_unix``; outside the table the orbit itself
    answers. The table fills as the search goes: the object is a cache of its orbit, and
    reading it from several threads is safe (an interval is written, always with the same
    values, before it is marked filled).
    """

    source: Orbit | TrajectoryOrbit
    first: int  # the lattice number of the table's first node (node k is at k · step_s from t0)
    step_s: float  # node spacing (s)
    cubic: Array  # (n − 1, 12) each interval's Earth-fixed cubic in its fraction t: 4 coefficients × xyz
    filled: NDArray[np.bool_]  # (n − 1,) whether each interval's nodes are propagated

    @classmethod
    def over(cls, source: Orbit | TrajectoryOrbit, grid: Array) -> NodeOrbit:
        """Nodes of the lattice that cover the search's ``grid`` (seconds from t0)."""
        first = math.floor(float(grid[0]) / NODE_STEP_S)
        intervals = max(1, math.ceil(float(grid[-1]) / NODE_STEP_S) - first)
        cubic = np.zeros((intervals, 12))
        return cls(source, first, NODE_STEP_S, cubic, np.zeros(intervals, dtype=bool))

    @property
    def sun(self) -> SunTrack:
        return self.source.sun

    def teme(self, s: Array) -> tuple[Array, Array]:
        """TEME position (km) and velocity (km/s), each (3, n), at seconds from ``t0``."""
        s = np.asarray(s, dtype=float)
        r, v = self.itrs(s)
        return itrs_to_teme(self.sun, s, r, v)

    def itrs(self, s: Array) -> tuple[Array, Array]:
        """Earth-fixed position (km) and velocity (km/s, in the rotating frame), each (3, n)."""
        s = np.asarray(s, dtype=float)
        intervals = self.cubic.shape[0]
        lattice = s / self.step_s  # the time in node steps from t0
        inside = (lattice >= self.first) & (lattice <= self.first + intervals)
        if not np.all(inside):
            return self._mixed(s, inside)
        node = np.minimum(np.floor(lattice).astype(np.intp), self.first + intervals - 1)
        interval = node - self.first
        self._fill(interval)
        return self._hermite(lattice - node, interval)

    def to_itrs(self, s: Array, r_teme: Array, v_teme: Array) -> tuple[Array, Array]:
        return teme_to_itrs(self.sun, s, r_teme, v_teme)

    def _mixed(self, s: Array, inside: NDArray[np.bool_]) -> tuple[Array, Array]:
        """Times partly outside the table: those from the orbit itself (Earth-fixed)."""
        r, v = np.empty((3, s.size)), np.empty((3, s.size))
        if np.any(inside):
            r[:, inside], v[:, inside] = self.itrs(s[inside])
        outside = ~inside
        r[:, outside], v[:, outside] = self.source.itrs(s[outside])
        return r, v

    def _fill(self, interval: NDArray[np.intp]) -> None:
        """Propagate both nodes of every interval in ``interval`` not yet filled (one call for all)."""
        missing = interval[~self.filled[interval]]
        if missing.size == 0:
            return
        missing = np.unique(missing)
        node = self.first + np.concatenate([missing, missing + 1])
        r, v = self.source.itrs(self.step_s * node)
        ends = np.concatenate([r, self.step_s * v]).T  # position and tangent (km) at every node
        a, b = ends[: missing.size], ends[missing.size :]
        p0, m0, dp, m1 = a[:, :3], a[:, 3:], b[:, :3] - a[:, :3], b[:, 3:]
        # The cubic Hermite polynomial p0 + m0·t + (3Δp − 2m0 − m1)·t² + (m0 + m1 − 2Δp)·t³.
        self.cubic[missing] = np.concatenate([p0, m0, 3.0 * dp - 2.0 * m0 - m1, m0 + m1 - 2.0 * dp], axis=1)
        self.filled[missing] = True

    def _hermite(self, t: Array, interval: NDArray[np.intp]) -> tuple[Array, Array]:
        """The position and its derivative at fraction ``t`` (0…1) of each interval, each (3, n)."""
        c = np.ascontiguousarray(self.cubic[interval].T)  # (12, n): rows read faster contiguous
        r = c[0:3] + t * (c[3:6] + t * (c[6:9] + t * c[9:12]))
        rate = c[3:6] + t * (2.0 * c[6:9] + t * (3.0 * c[9:12]))
        return r, rate / self.step_s
