"""The passes of a batch of satellites over a chunk of observers: every (satellite, observer) pair a row.

Altitude peaks and crossings of all pairs in one batch; then each satellite's lit arcs and results.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from ..model import Observer
from ..passtable import PassTable
from ..sky import Array, Sites, sin_altitude
from .fleet_assemble import fleet_results
from .fleet_track import FleetTrack
from .passes import refine_passes
from .prescreen import horizon_bounds, sun_always_above
from .roots import Index, Intervals

#: At most this many (pair × grid sample) altitudes at once: satellites are taken a few at a
#: time when many observers would make the rows of all of them too large.
MAX_PAIR_SAMPLES = 4_000_000


def fleet_tables(
    fleet: FleetTrack,
    sites: Sites,
    min_elevation_deg: float,
    twilight_deg: float,
    visible_only: bool,
    observers: Sequence[Observer] | None = None,
    prescreen: bool = True,
) -> dict[int, PassTable]:
    """Each satellite's passes over the sites (observer = site index), by its row in ``fleet``.

    The same tables as :func:`~isspass.search.passes.observer_table` for each satellite's
    :meth:`~FleetTrack.track`; a satellite that failed (see :class:`FleetOrbits`) has none.
    Satellites without a wanted pass are left out of the result.
    """
    m = len(sites)
    per_batch = max(1, MAX_PAIR_SAMPLES // max(1, m * fleet.grid.size))
    screen = twilight_deg if visible_only and prescreen else None
    tables: dict[int, PassTable] = {}
    for first in range(0, len(fleet), per_batch):
        rows = np.arange(first, min(first + per_batch, len(fleet)))
        rows = rows[fleet.usable()[rows]]
        if rows.size == 0:
            continue
        passes, horizon_start, horizon_end = _passes_above(fleet, rows, sites, min_elevation_deg, screen)
        satellite = rows[passes.owner // m]
        keep = fleet.usable()[satellite]  # not one that failed meanwhile
        site = Intervals(passes.owner % m, passes.start, passes.peak, passes.end, passes.peak_value)
        tables.update(
            fleet_results(
                fleet,
                sites,
                site.take(keep),
                satellite[keep],
                horizon_start[keep],
                horizon_end[keep],
                min_elevation_deg,
                twilight_deg,
                visible_only,
                observers,
            )
        )
    return tables


def _passes_above(
    fleet: FleetTrack, rows: Index, sites: Sites, min_elevation_deg: float, visible_twilight_deg: float | None
) -> tuple[Intervals, Array, Array]:
    """:func:`isspass.search.passes._passes_above` for satellites ``rows`` of the fleet, all at once:
    the passes (owner = satellite's place in ``rows`` × sites + site) and their horizon crossings."""
    m = len(sites)
    grid = fleet.grid
    z, z_rate = sin_altitude_pairs(sites, fleet.r_itrs[rows], fleet.v_itrs[rows])
    evaluate = _altitude_evaluator(fleet, rows, sites)
    level = math.sin(math.radians(min_elevation_deg))
    near = _peak_candidates(fleet, rows, sites, min_elevation_deg)
    candidate = near
    if visible_twilight_deg is not None:
        twilight = visible_twilight_deg

        def candidate(owner: Index, index: Index) -> NDArray[np.bool_]:
            keep = near(owner, index)
            which = np.flatnonzero(keep)
            lo, hi = horizon_bounds(grid, z, owner[which], index[which])
            dark = ~_in_one_shadow(fleet, rows[owner[which] // m], lo, hi)
            shown = np.flatnonzero(dark)
            dark[shown] = ~sun_always_above(
                sites, fleet.sun, owner[which][shown] % m, lo[shown], hi[shown], twilight
            )
            keep[which] = dark
            return keep

    with np.errstate(invalid="ignore"):  # a satellite that failed gives NaN rows
        return refine_passes(grid, z, z_rate, evaluate, candidate, level, fleet.duration_s)


def sin_altitude_pairs(sites: Sites, r: Array, v: Array) -> tuple[Array, Array]:
    """Sine of the altitude and its rate (1/s) of every satellite from every site: (satellites × sites, n).

    ``r`` and ``v`` are Earth-fixed, (satellites, 3, n); row ``k·m + j`` is satellite ``k``
    seen from site ``j`` (``m`` sites), as :func:`isspass.sky.sin_altitude_grid` gives it.
    """
    pos, up = sites.position_km.T, sites.up.T  # (m, 3)
    r2 = np.einsum("skn,skn->sn", r, r)
    rho2 = r2[:, None, :] - 2.0 * (pos @ r) + np.einsum("ij,ij->i", pos, pos)[None, :, None]
    rng = np.sqrt(rho2)
    z = (up @ r - np.einsum("ij,ij->i", up, pos)[None, :, None]) / rng
    rho_v = np.einsum("skn,skn->sn", r, v)[:, None, :] - pos @ v
    rate = (up @ v) / rng - z * rho_v / rho2
    count = r.shape[0] * pos.shape[0]
    return z.reshape(count, -1), rate.reshape(count, -1)


def _altitude_evaluator(
    fleet: FleetTrack, rows: Index, sites: Sites
) -> Callable[[Array, Index], tuple[Array, Array]]:
    """``evaluate(s, pair)`` for the root finders: the sine of the altitude and its rate of each pair."""
    m = len(sites)

    def evaluate(s: Array, owner: Index) -> tuple[Array, Array]:
        r, v = fleet.orbits.itrs(s, rows[owner // m])
        site = owner % m
        return sin_altitude(sites.position_km[:, site], sites.up[:, site], r, v)

    return evaluate


def _peak_candidates(
    fleet: FleetTrack, rows: Index, sites: Sites, min_elevation_deg: float
) -> Callable[[Index, Index], NDArray[np.bool_]]:
    """:meth:`isspass.search.track.Track.peak_candidates` for every pair at once (each satellite's bounds)."""
    m = len(sites)
    r, v = fleet.r_itrs[rows], fleet.v_itrs[rows]
    r_max = np.max(np.sqrt(np.sum(r**2, axis=1)), axis=1) * 1.001  # per satellite
    reach = 1.2 * np.max(np.sqrt(np.sum(v**2, axis=1)), axis=1) * fleet.step_s
    radius = np.sqrt(np.sum(sites.position_km**2, axis=0))  # per site
    e = math.radians(min_elevation_deg - 0.5)
    slant = (
        np.sqrt(np.maximum(r_max[:, None] ** 2 - (radius * math.cos(e))[None, :] ** 2, 0.0))
        - (radius * math.sin(e))[None, :]
    )

    def candidate(owner: Index, index: Index) -> NDArray[np.bool_]:
        k, j = owner // m, owner % m
        rho = r[k, :, index] - sites.position_km[:, j].T
        return np.sqrt(np.sum(rho**2, axis=1)) - reach[k] <= slant[k, j]

    return candidate


def _in_one_shadow(fleet: FleetTrack, satellite: Index, lo: Array, hi: Array) -> NDArray[np.bool_]:
    """:func:`isspass.search.prescreen.in_one_shadow` for each [lo, hi] and its satellite's own eclipses.

    The satellites' intervals are laid end to end on one axis (satellite ``k`` shifted by ``k``
    spans): a rounding there can only make an interval look less inside, which keeps the peak.
    """
    shadow = fleet.shadow
    if shadow.start.size == 0:
        return np.zeros(lo.shape, dtype=bool)
    span = 2.0 ** math.ceil(math.log2(float(np.max(np.abs(fleet.grid))) + 1.0) + 1)
    start = shadow.start + shadow.owner * span
    end = shadow.end + shadow.owner * span
    lo, hi = lo + satellite * span, hi + satellite * span
    j = np.searchsorted(start, lo, side="left") - 1
    jj = np.maximum(j, 0)
    return (j >= 0) & (shadow.owner[jj] == satellite) & (start[jj] < lo) & (hi < end[jj])
