"""Orbit (revolution) numbers: which revolution a satellite is on at given times, and pass ids.

Counted from the element set's revolution number at epoch and the propagated state, so that a
pass moved by seconds or minutes by fresher elements keeps its number, and with it its id.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import PropagationError
from .model import Elements
from .utc import DAY_S, unix_to_jd

#: When counting revolutions, the argument of latitude moves at most this far between samples
#: (a quarter of the half turn that unwrapping can tell apart), even at the perigee.
_MAX_STEP_RAD = math.pi / 4
_MIN_SAMPLES_PER_ORBIT = 16
TWO_PI = 2.0 * math.pi
#: An epoch this close to an ascending node (radians of argument of latitude, about 1.5 minutes
#: for the ISS) is taken to lie on it.
_NODE_TOLERANCE_RAD = 0.1


def argument_of_latitude_rad(r: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    """The angle (radians, 0…2π) from the ascending node to the satellite, in its orbit plane.

    ``r`` and ``v`` are inertial (TEME) positions and velocities, each (3, n). For an orbit in
    the equator, which has no node, the true longitude (from the x axis) stands in for it.
    """
    h = np.cross(r, v, axis=0)
    h_norm = np.sqrt(np.sum(h**2, axis=0))
    sin_i = np.sqrt(h[0] ** 2 + h[1] ** 2) / h_norm
    node = np.arctan2(h[0], -h[1])
    along = r[0] * np.cos(node) + r[1] * np.sin(node)
    across = r[2] / np.where(sin_i > 1e-9, sin_i, 1.0)
    u = np.where(sin_i > 1e-9, np.arctan2(across, along), np.arctan2(r[1], r[0]))
    return np.mod(u, TWO_PI)


def _teme(elements: Elements, unix_s: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    jd, fraction = unix_to_jd(unix_s)
    error, r, v = elements.satrec.sgp4_array(jd, fraction)
    if np.any(error):
        raise PropagationError(
            f"SGP4 cannot propagate the elements for {elements.name} to count its revolutions"
        )
    return r.T, v.T


def unwrapped_latitude_argument_rad(elements: Elements, unix_s: ArrayLike) -> NDArray[np.float64]:
    """The argument of latitude at POSIX times ``unix_s``, counted on from the epoch without wrapping.

    It is in 0…2π at the epoch (−0.1…0 when the epoch lies a hair before a node) and grows
    by 2π at each ascending node after it (falls by 2π at each one before it). The turns
    are counted on a grid of at least 16 samples per orbit from the epoch to each time, more
    for an eccentric orbit (see :func:`_samples_per_orbit`), so drag, J2 and eccentricity
    cannot make the count slip; the fraction comes from the exact state
    at each time.
    """
    times = np.atleast_1d(np.asarray(unix_s, dtype=float))
    epoch = elements.epoch.timestamp()
    offsets = times - epoch
    step = DAY_S / elements.mean_motion / _samples_per_orbit(elements.eccentricity)
    low = min(0.0, float(offsets.min(initial=0.0)))
    high = max(0.0, float(offsets.max(initial=0.0)))
    before = np.arange(0.0, low - step, -step)[::-1]  # from low up to 0 (0 included)
    after = np.arange(step, high + step, step)
    grid = np.concatenate([before, after])
    u_grid = argument_of_latitude_rad(*_teme(elements, epoch + grid))
    zero = before.size - 1
    unwrapped = np.unwrap(u_grid)
    # At the epoch in −δ…2π−δ: NORAD's epochs lie on an ascending node, a hair either side
    # of it, and the revolution number at epoch is then that of the revolution beginning there.
    at_epoch = np.mod(u_grid[zero] + _NODE_TOLERANCE_RAD, TWO_PI) - _NODE_TOLERANCE_RAD
    unwrapped += at_epoch - unwrapped[zero]
    estimate = np.interp(offsets, grid, unwrapped)
    exact = argument_of_latitude_rad(*_teme(elements, times))
    return exact + TWO_PI * np.round((estimate - exact) / TWO_PI)


def _samples_per_orbit(eccentricity: float) -> int:
    """Samples per orbit that keep every step of the argument of latitude below ``_MAX_STEP_RAD``.

    It turns fastest at the perigee, (1 + e)² / (1 − e²)^1.5 times its mean rate: 16 samples
    for a circular orbit, 110 for a Molniya orbit (e = 0.74).
    """
    e = min(max(float(eccentricity), 0.0), 0.99)
    fastest = (1.0 + e) ** 2 / (1.0 - e * e) ** 1.5
    return max(_MIN_SAMPLES_PER_ORBIT, math.ceil(2.0 * math.pi * fastest / _MAX_STEP_RAD))


def revolution_numbers(elements: Elements, unix_s: ArrayLike, start_rad: float = 0.0) -> NDArray[np.int64]:
    """The revolution number at POSIX times ``unix_s``, from the set's revolution number at epoch.

    With ``start_rad`` 0 a revolution begins at the ascending node, NORAD's convention (the
    revolution number at epoch of a TLE, columns 64–68 of line 2, counts the same way).
    Another ``start_rad`` (an argument of latitude, −π…π) makes revolutions begin at that
    point of the orbit instead: the count then differs from NORAD's by one between that
    point and the ascending node nearest it. Five-digit TLE counts wrap at 100000, and
    the numbers follow the set's count.
    """
    u = unwrapped_latitude_argument_rad(elements, unix_s)
    turns = np.floor((u - start_rad) / TWO_PI)
    return (int(elements.satrec.revnum) + turns).astype(np.int64)


def pass_orbit_numbers(
    elements: Elements, culmination_unix_s: ArrayLike, latitude_deg: ArrayLike
) -> NDArray[np.int64]:
    """The orbit number of each pass: its revolution at culmination, counted for its observer.

    Revolutions are counted from :func:`pass_start_rad` of each observer's latitude, so that
    the number survives fresher elements that move the pass by minutes (see there).
    """
    times = np.atleast_1d(np.asarray(culmination_unix_s, dtype=float))
    if times.size == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.where(np.asarray(latitude_deg, dtype=float) >= 0.0, -math.pi / 2, math.pi / 2)
    u = unwrapped_latitude_argument_rad(elements, times)
    return (int(elements.satrec.revnum) + np.floor((u - start) / TWO_PI)).astype(np.int64)


def pass_start_rad(latitude_deg: float) -> float:
    """Where a pass's revolution is taken to begin, for an observer: far from every culmination.

    A pass culminates where the satellite is near the observer's latitude, so its argument
    of latitude at culmination is never near the orbit's point over the other hemisphere:
    the southernmost point (−π/2) for an observer north of the equator, the northernmost
    (+π/2) south of it. Counting a pass's revolution from there, a pass would have to move
    by a quarter of an orbit (some twenty minutes for the ISS) to change number.
    """
    return -math.pi / 2 if latitude_deg >= 0.0 else math.pi / 2


def pass_id(norad_id: int, orbit_number: int, latitude_deg: float, longitude_deg: float) -> str:
    """The id of a pass: satellite, revolution at culmination, and the place to 0.01°.

    ``25544-58712-+47.37+008.54``: the same pass predicted again from fresher elements
    keeps it, however its clock times moved, and it does not depend on the time zone, the
    window, the output format or the criteria the pass was selected by.
    """
    lat = _hundredths(latitude_deg)
    lon = _hundredths(longitude_deg)
    return f"{norad_id}-{orbit_number}-{lat[0]}{lat[1]:02d}.{lat[2]:02d}{lon[0]}{lon[1]:03d}.{lon[2]:02d}"


def _hundredths(degrees: float) -> tuple[str, int, int]:
    """Sign, whole degrees and hundredths of an angle rounded to 0.01° (−0.00 is +0.00)."""
    count = round(abs(degrees) * 100)
    sign = "-" if degrees < 0 and count else "+"
    return sign, count // 100, count % 100
