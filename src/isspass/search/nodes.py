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
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..sky import Array, Orbit, SunTrack, itrs_to_teme, teme_to_itrs
from ..trajectory import TrajectoryOrbit
from .roots import sorted_unique

#: The node spacing (s). See the module docstring for the error it allows.
NODE_STEP_S = 20.0
#: Intervals propagated either side of one asked for: a root search narrowing on a time asks
#: next for times beside it, so these few nodes save it further calls.
FILL_AROUND = 2


class Polynomials:
    """The interval polynomials propagated so far, one row each (12 numbers: 4 coefficients × xyz),
    in the order they were: a compact block that grows by doubling.

    Kept compact rather than as a table over the whole window: a search touches a small part
    of the window, and a large table's first touches are slow (the system may back it with
    huge pages). Appending takes a lock, so that threads sharing a search (a Dask worker's)
    never lose a row; it is re-made when the block is unpickled.
    """

    def __init__(self, rows: Array | None = None) -> None:
        self.rows = np.empty((64, 12)) if rows is None else rows
        self.count = 0 if rows is None else len(rows)
        self.lock = threading.Lock()

    def __getstate__(self) -> Array:
        return self.rows[: self.count].copy()

    def __setstate__(self, rows: Array) -> None:
        self.__init__(rows)  # type: ignore[misc]

    def append(self, new: Array) -> int:
        """Store ``new`` rows (the caller holds :attr:`lock`); returns the row of the first."""
        first = self.count
        if first + len(new) > len(self.rows):
            grown = np.empty((max(2 * len(self.rows), first + len(new)), 12))
            grown[:first] = self.rows[:first]
            self.rows = grown  # readers take rows after the slots that point into them
        self.rows[first : first + len(new)] = new
        self.count = first + len(new)
        return first


@dataclass(frozen=True)
class NodeOrbit:
    """An orbit (SGP4 or a trajectory) read through lazily propagated Hermite nodes.

    Offers what the orbit offers (``teme``, ``itrs``, ``to_itrs``, ``sun``), so a search uses
    either alike. Times are seconds from ``sun.t0_unix``; outside the table the orbit itself
    answers. The table fills as the search goes: the object is a cache of its orbit, and
    reading it from several threads is safe (an interval's polynomial is stored, always with
    the same values, before the interval points to it).
    """

    source: Orbit | TrajectoryOrbit
    first: int  # the lattice number of the table's first node (node k is at k · step_s from t0)
    step_s: float  # node spacing (s)
    slot: NDArray[np.int32]  # (intervals,) 1 + the row of each interval's polynomial; 0: not yet propagated
    polynomials: Polynomials  # the Earth-fixed cubics of the intervals propagated, in t (0…1) of each

    @classmethod
    def over(cls, source: Orbit | TrajectoryOrbit, grid: Array) -> NodeOrbit:
        """Nodes of the lattice that cover the search's ``grid`` (seconds from t0)."""
        (orbit,) = cls.many([source], grid)
        return orbit

    @classmethod
    def many(cls, sources: Sequence[Orbit | TrajectoryOrbit], grid: Array) -> list[NodeOrbit]:
        """Tables of several orbits over one ``grid`` that share one block of polynomials, and
        whose slots are the rows of one array (``orbits[0].slot.base``): positions at (time,
        orbit) pairs are then one read (:func:`evaluate_cubic`)."""
        first = math.floor(float(grid[0]) / NODE_STEP_S)
        intervals = max(1, math.ceil(float(grid[-1]) / NODE_STEP_S) - first)
        slots = np.zeros((len(sources), intervals), dtype=np.int32)
        shared = Polynomials()
        return [cls(source, first, NODE_STEP_S, slots[k], shared) for k, source in enumerate(sources)]

    @property
    def propagated(self) -> int:
        """How many intervals have been propagated so far."""
        return int(np.count_nonzero(self.slot))

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
        interval, fraction, inside = self.locate(s)
        if not np.all(inside):
            return self._mixed(s, inside)
        self.fill(interval)
        return evaluate_cubic(self.polynomials, self.slot[interval], fraction, self.step_s)

    def locate(self, s: Array) -> tuple[NDArray[np.intp], Array, NDArray[np.bool_]]:
        """The interval of the table each time falls in, the fraction of it (0…1), and whether
        the time is inside the table at all (where not, the interval is meaningless)."""
        intervals = self.slot.size
        lattice = s / self.step_s  # the time in node steps from t0
        inside = (lattice >= self.first) & (lattice <= self.first + intervals)
        node = np.clip(np.floor(lattice), self.first, self.first + intervals - 1).astype(np.intp)
        return node - self.first, lattice - node, inside

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

    def fill(self, interval: NDArray[np.intp]) -> None:
        """Propagate the nodes of every interval in ``interval`` not yet filled, and of the
        :data:`FILL_AROUND` intervals either side (one call for all)."""
        missing = interval[self.slot[interval] == 0]
        if missing.size == 0:
            return
        around = np.arange(-FILL_AROUND, FILL_AROUND + 1)
        missing = sorted_unique(np.clip(missing[:, None] + around, 0, self.slot.size - 1).ravel())
        missing = missing[self.slot[missing] == 0]
        node = sorted_unique(np.concatenate([missing, missing + 1]))  # each node once
        r, v = self.source.itrs(self.step_s * (self.first + node))
        ends = np.concatenate([r, self.step_s * v]).T  # position and tangent (km) at every node
        a, b = ends[np.searchsorted(node, missing)], ends[np.searchsorted(node, missing + 1)]
        p0, m0, dp, m1 = a[:, :3], a[:, 3:], b[:, :3] - a[:, :3], b[:, 3:]
        # The cubic Hermite polynomial p0 + m0·t + (3Δp − 2m0 − m1)·t² + (m0 + m1 − 2Δp)·t³.
        cubic = np.concatenate([p0, m0, 3.0 * dp - 2.0 * m0 - m1, m0 + m1 - 2.0 * dp], axis=1)
        store = self.polynomials
        with store.lock:
            new = self.slot[missing] == 0  # another thread may have stored some meanwhile
            first = store.append(cubic[new])
            self.slot[missing[new]] = first + 1 + np.arange(np.count_nonzero(new), dtype=np.int32)


def evaluate_cubic(
    polynomials: Polynomials, slot: NDArray[np.int32], fraction: Array, step_s: float
) -> tuple[Array, Array]:
    """Positions (km) and velocities (km/s), each (3, n), from the polynomials the ``slot``s
    point to (all filled) at ``fraction`` (0…1) of each interval ``step_s`` long."""
    c = np.ascontiguousarray(polynomials.rows[slot - 1].T)  # (12, n); the slots were read first
    t = fraction
    r = c[0:3] + t * (c[3:6] + t * (c[6:9] + t * c[9:12]))
    rate = c[3:6] + t * (2.0 * c[6:9] + t * (3.0 * c[9:12]))
    return r, rate / step_s
