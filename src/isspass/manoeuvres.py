"""Manoeuvres between two consecutive element sets of one object: seen, dated and sized.

Drag only ever raises the mean motion, and moves a satellite along its track by no more
than the timing band allows; a newer set that breaks either rule follows a manoeuvre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from .freshness import timing_uncertainty_s
from .model import Elements
from .utc import DAY_S, unix_to_jd

#: A newer set whose mean motion is lower than the older one's by more than this (rev/day)
#: follows a manoeuvre that raised the orbit: drag can only raise the mean motion. The
#: sets' own scatter is a few 1e-5 rev/day; the smallest ISS reboost seen lowered it by 4e-3.
MEAN_MOTION_FALL = 3e-4
#: A newer set that puts the satellite further along its track from the older one's
#: prediction than this many timing bands (the older set's, without history) follows a
#: manoeuvre, of either sign.
SHIFT_BANDS = 3.0
#: The Earth's gravitational parameter (km³/s², WGS72 as SGP4 uses it).
MU_KM3_S2 = 398600.8
#: Step (seconds) of the search for the closest approach of the two sets' tracks, then of
#: its refinement.
_COARSE_STEP_S = 60.0
_FINE_STEP_S = 1.0
_MAX_SAMPLES = 50_000


@dataclass(frozen=True)
class Manoeuvre:
    """A manoeuvre detected between two consecutive element sets of one object.

    ``time`` (aware UTC) is where the two sets' tracks come closest (where the burn put
    the satellite on its new orbit), between ``before`` and ``after``, the two sets'
    epochs. ``mean_motion_change`` (rev/day) is the jump at ``time`` (negative: the
    orbit was raised, as by a reboost); ``delta_v_m_s`` the along-track velocity change
    that jump takes; ``timing_shift_s`` how much later (seconds; negative: earlier) the
    older set puts the satellite than the newer one at the newer one's epoch, i.e. how far
    off passes predicted across the manoeuvre are. ``closest_km`` is the distance of the
    two tracks at ``time``.
    """

    norad_id: int
    name: str
    time: datetime
    before: datetime
    after: datetime
    mean_motion_change: float
    delta_v_m_s: float
    timing_shift_s: float
    closest_km: float

    @property
    def raised(self) -> bool:
        """True when the orbit was raised (a reboost): the mean motion fell."""
        return self.mean_motion_change < 0

    def describe(self) -> str:
        """For people: when, which way, how large, and what it did to predictions."""
        way = "raised the orbit" if self.raised else "lowered the orbit"
        return (
            f"manoeuvre around {self.time:%Y-%m-%d %H:%M} UTC: {way} by about "
            f"{self.delta_v_m_s:.2f} m/s (mean motion {self.mean_motion_change:+.5f} rev/day), "
            f"moved passes by {_duration(self.timing_shift_s)}"
        )


def _duration(seconds: float) -> str:
    value = abs(seconds)
    return f"{value / 60:.1f} min" if value >= 60 else f"{value:.0f} s"


def positions_km(elements: Elements, unix_s: NDArray[np.float64]) -> NDArray[np.float64]:
    """TEME positions (km) of the satellite at POSIX times, shape (n, 3); NaN where SGP4 fails."""
    jd, fraction = unix_to_jd(unix_s)
    errors, position, _ = elements.satrec.sgp4_array(jd, fraction)
    position = np.array(position, dtype=float)
    position[errors != 0] = np.nan
    return position


def along_track_shift_s(older: Elements, newer: Elements, when: datetime) -> float:
    """How much later (seconds) ``older`` puts the satellite on its track than ``newer`` at ``when``.

    The angle between the two positions in the newer orbit's plane, over the angular
    rate: valid to half an orbit either way. NaN when SGP4 fails for either set.
    """
    t = np.array([when.timestamp()])
    r_old = positions_km(older, t)[0]
    r_new = positions_km(newer, t)[0]
    jd, fraction = unix_to_jd(t)
    _, _, velocity = newer.satrec.sgp4_array(jd, fraction)
    normal = np.cross(r_new, np.asarray(velocity, dtype=float)[0])
    size = float(np.linalg.norm(normal))
    if not (np.all(np.isfinite(r_old)) and math.isfinite(size) and size > 0):
        return math.nan
    normal /= size
    ahead_rad = math.atan2(float(np.dot(np.cross(r_new, r_old), normal)), float(np.dot(r_new, r_old)))
    rate_rad_s = 2.0 * math.pi * newer.mean_motion / DAY_S
    return -ahead_rad / rate_rad_s


def closest_approach(older: Elements, newer: Elements) -> tuple[datetime, float]:
    """When between the two epochs (aware UTC) the two sets' tracks come closest, and how close (km)."""
    start, end = older.epoch.timestamp(), newer.epoch.timestamp()
    span = max(end - start, 0.0)
    step = max(_COARSE_STEP_S, span / _MAX_SAMPLES)
    times = np.append(np.arange(start, end, step), end)
    distance = _distance_km(older, newer, times)
    if np.all(np.isnan(distance)):
        return older.epoch + timedelta(seconds=span / 2), math.nan
    best = int(np.nanargmin(distance))
    low, high = times[max(best - 1, 0)], times[min(best + 1, times.size - 1)]
    fine = np.arange(low, high + _FINE_STEP_S, _FINE_STEP_S)
    fine = fine[fine <= end]
    fine_distance = _distance_km(older, newer, fine)
    if np.all(np.isnan(fine_distance)):
        return older.epoch + timedelta(seconds=float(times[best] - start)), float(distance[best])
    k = int(np.nanargmin(fine_distance))
    return older.epoch + timedelta(seconds=float(fine[k] - start)), float(fine_distance[k])


def _distance_km(older: Elements, newer: Elements, unix_s: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.linalg.norm(positions_km(older, unix_s) - positions_km(newer, unix_s), axis=1)


def detect_manoeuvre(older: Elements, newer: Elements) -> Manoeuvre | None:
    """The manoeuvre between two consecutive sets of one object, or None when drag explains them.

    A manoeuvre when the mean motion fell by more than :data:`MEAN_MOTION_FALL`, or when
    the older set, propagated to the newer one's epoch, disagrees along the track by more
    than :data:`SHIFT_BANDS` times its timing band.
    """
    if newer.epoch <= older.epoch:
        raise ValueError("the sets must be given oldest first, with different epochs")
    fell = newer.mean_motion - older.mean_motion < -MEAN_MOTION_FALL
    shift_s = along_track_shift_s(older, newer, newer.epoch)
    band_s = timing_uncertainty_s(older, newer.epoch)
    if not fell and not (math.isfinite(shift_s) and abs(shift_s) > SHIFT_BANDS * band_s):
        return None
    when, closest_km = closest_approach(older, newer)
    jump = _mean_motion_at(newer, when) - _mean_motion_at(older, when)
    return Manoeuvre(
        norad_id=newer.norad_id,
        name=newer.name,
        time=when,
        before=older.epoch,
        after=newer.epoch,
        mean_motion_change=jump,
        delta_v_m_s=_delta_v_m_s(older.mean_motion, jump),
        timing_shift_s=shift_s,
        closest_km=closest_km,
    )


def _mean_motion_at(elements: Elements, when: datetime) -> float:
    """The set's mean motion (rev/day) at ``when``, carried by its own drag term."""
    return elements.mean_motion + 2.0 * elements.mean_motion_dot * elements.age_days(when)


def _delta_v_m_s(mean_motion: float, jump: float) -> float:
    """The along-track velocity change (m/s) that changes a near-circular orbit's mean motion by ``jump``.

    From n ∝ a^(-3/2) and v = n·a: Δv = v·|Δn| / (3·n).
    """
    n_rad_s = 2.0 * math.pi * mean_motion / DAY_S
    a_km = (MU_KM3_S2 / n_rad_s**2) ** (1.0 / 3.0)
    return 1000.0 * n_rad_s * a_km * abs(jump) / (3.0 * mean_motion)
