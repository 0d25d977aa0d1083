"""Satellite and Sun geometry over numpy arrays of UTC times.

SGP4 propagation to Earth-fixed coordinates, the Sun's direction from the bundled
DE421 ephemeris, topocentric altitude/azimuth, and the Earth's shadow.

Times are float seconds from a UTC origin (``t0_unix``, POSIX seconds) so that the
search can work on plain arrays. Earth-fixed means Skyfield's ITRS without polar
motion: TEME rotated by GMST 1982 at UT1, exactly as Skyfield converts SGP4 output.
Observer quantities take site vectors of shape (3,) or (3, m), one per time.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec

from .errors import PropagationError
from .utc import DAY_S, unix_to_jd

Array = NDArray[np.float64]

#: Radius of the spherical Earth that casts the shadow (WGS84 equatorial), km.
EARTH_RADIUS_KM = 6378.137
#: Spacing of the Sun nodes that are interpolated to the search times, seconds. The Sun
#: moves 0.5° in 12 hours in TEME axes: linear interpolation errs by about 2 arcseconds.
_SUN_NODE_S = 12 * 3600.0


@lru_cache(maxsize=1)
def _skyfield_context():  # type: ignore[no-untyped-def]
    """The Skyfield timescale and the DE421 ephemeris, loaded once, never downloaded."""
    from skyfield.jpllib import SpiceKernel

    with warnings.catch_warnings():
        # skyfield-data warns about an expired Earth-orientation file isspass never reads.
        warnings.simplefilter("ignore", RuntimeWarning)
        import skyfield_data

        path = skyfield_data.get_skyfield_data_path()
    return _builtin_timescale(), SpiceKernel(f"{path}/de421.bsp")


def _builtin_timescale():  # type: ignore[no-untyped-def]
    """Skyfield's timescale from the tables it ships, as ``load.timescale(builtin=True)`` builds it.

    Built here from the parts, because ``skyfield.api`` would also import Skyfield's downloader
    (urllib, http, ssl) and catalogues: about 10 ms of every command's start-up, for nothing.
    """
    from skyfield.functions import load_bundled_npy
    from skyfield.timelib import Timescale

    arrays = load_bundled_npy("iers.npz")
    daily_tt = arrays["tt_jd_minus_arange"]
    daily_tt += np.arange(len(daily_tt))
    daily_delta_t = (arrays["delta_t_1e7"] / 1e7).round(7)
    return Timescale((daily_tt, daily_delta_t), arrays["leap_dates"], arrays["leap_offsets"])


@lru_cache(maxsize=1)
def ephemeris_span() -> tuple[datetime, datetime]:
    """The UTC span the bundled ephemeris covers (DE421: 1899-07-29 to 2053-10-08).

    A fact of the file, worked out once: every search checks its window against it.
    """
    ts, eph = _skyfield_context()
    segments = [s.spk_segment for s in eph.segments]
    first = max(s.start_jd for s in segments)
    last = min(s.end_jd for s in segments)
    return ts.tdb_jd(first).utc_datetime(), ts.tdb_jd(last).utc_datetime()


def skyfield_timescale():  # type: ignore[no-untyped-def]
    """Skyfield's built-in timescale (no download)."""
    return _skyfield_context()[0]


def skyfield_ephemeris():  # type: ignore[no-untyped-def]
    """The DE421 ephemeris bundled by skyfield-data (no download)."""
    return _skyfield_context()[1]


def _dot(a: Array, b: Array) -> Array:
    """Row-wise dot product of (3, n) arrays (either may be (3,) or (3, 1))."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@dataclass(frozen=True)
class SunTrack:
    """The Sun and Earth's rotation over a time span, at nodes interpolated linearly.

    Sun vectors are in the satellite's TEME axes (km). GMST 1982 at UT1 is linear in
    time to far better than a microradian over a window, so it is kept as an angle at
    ``t0`` and a rate.
    """

    t0_unix: float
    node_s: Array  # node times, seconds from t0
    geometric_km: Array  # (3, n) geometric Earth→Sun vector (what casts the shadow)
    apparent_unit: Array  # (3, n) apparent direction (what sets the sky's brightness)
    theta0: float  # GMST 1982 at t0 (UT1), radians
    omega: float  # its rate, radians per second of UTC

    @classmethod
    def build(cls, t0_unix: float, start_s: float, end_s: float) -> SunTrack:
        from skyfield.nutationlib import iau2000b_radians
        from skyfield.sgp4lib import TEME, theta_GMST1982

        ts, eph = _skyfield_context()
        # Nodes on a fixed 12-hour lattice from t0, a node beyond each end: a track built for a
        # wider span has the same nodes, so one built for many satellites gives each the same Sun.
        first, last = math.floor(start_s / _SUN_NODE_S) - 1, math.ceil(end_s / _SUN_NODE_S) + 1
        node_s = _SUN_NODE_S * np.arange(first, last + 1, dtype=float)
        # Whole UTC days and seconds into the day: Skyfield then applies the leap seconds of
        # each node's own date (seconds counted from 1970 would get 1970's, 27 s too few).
        unix = t0_unix + node_s
        days = np.floor(unix / DAY_S)
        times = ts.utc(1970, 1, 1 + days, 0, 0, unix - days * DAY_S)
        # IAU 2000B nutation (1 mas) is ample for the Sun's direction and far cheaper.
        times._nutation_angles_radians = iau2000b_radians(times)
        earth, sun = eph["earth"], eph["sun"]
        geometric = (sun - earth).at(times).frame_xyz(TEME).km
        apparent = earth.at(times).observe(sun).apparent().frame_xyz(TEME).km
        apparent = apparent / np.linalg.norm(apparent, axis=0)
        dut1 = np.asarray(times.dut1, dtype=float)
        jd, fraction = unix_to_jd(t0_unix + node_s[[0, -1]])
        theta, _ = theta_GMST1982(jd, fraction + dut1[[0, -1]] / DAY_S)
        span = node_s[-1] - node_s[0]
        turns = np.round((theta[0] + 2 * np.pi * 1.00273781191135448 * span / DAY_S - theta[1]) / (2 * np.pi))
        omega = (theta[1] + 2 * np.pi * turns - theta[0]) / span
        theta0 = theta[0] - omega * node_s[0]
        return cls(t0_unix, node_s, geometric, apparent, float(theta0), float(omega))

    def covers(self, start_s: float, end_s: float) -> bool:
        """Whether the nodes span ``start_s``…``end_s`` (seconds from ``t0``) with a node to spare."""
        return self.node_s[0] <= start_s - _SUN_NODE_S and end_s + _SUN_NODE_S <= self.node_s[-1]

    def _interp(self, values: Array, s: Array) -> Array:
        return np.stack([np.interp(s, self.node_s, row) for row in values])

    def geometric_teme_km(self, s: Array) -> Array:
        return self._interp(self.geometric_km, s)

    def apparent_teme_unit(self, s: Array) -> Array:
        return self._interp(self.apparent_unit, s)

    def theta(self, s: Array) -> Array:
        """GMST 1982 (radians): the angle from TEME to Earth-fixed axes."""
        return self.theta0 + self.omega * s


def rotate_z(vectors: Array, theta: Array) -> Array:
    """Rotate (3, n) vectors by −theta about z (TEME → Earth-fixed)."""
    c, s = np.cos(theta), np.sin(theta)
    x, y, z = vectors
    return np.stack([c * x + s * y, -s * x + c * y, z])


@dataclass(frozen=True)
class Orbit:
    """One satellite over one window: SGP4 positions at any times, TEME or Earth-fixed."""

    satrec: Satrec
    sun: SunTrack

    def teme(self, s: Array) -> tuple[Array, Array]:
        """TEME position (km) and velocity (km/s), each (3, n), at seconds from ``t0``."""
        s = np.asarray(s, dtype=float)
        jd, fraction = unix_to_jd(self.sun.t0_unix + s)
        error, r, v = self.satrec.sgp4_array(jd, fraction)
        if np.any(error):
            bad = int(np.flatnonzero(error)[0])
            raise PropagationError(
                f"SGP4 cannot propagate the elements {s[bad] / DAY_S:+.1f} days into the window "
                f"(error {int(error[bad])}: the orbit has decayed or the elements are unusable)"
            )
        return r.T, v.T

    def itrs(self, s: Array) -> tuple[Array, Array]:
        """Earth-fixed position (km) and velocity (km/s, in the rotating frame)."""
        r_teme, v_teme = self.teme(s)
        return self.to_itrs(np.asarray(s, dtype=float), r_teme, v_teme)

    def to_itrs(self, s: Array, r_teme: Array, v_teme: Array) -> tuple[Array, Array]:
        return teme_to_itrs(self.sun, s, r_teme, v_teme)


def teme_to_itrs(sun: SunTrack, s: Array, r_teme: Array, v_teme: Array) -> tuple[Array, Array]:
    """TEME position (km) and velocity (km/s) to Earth-fixed ones (velocity in the rotating frame)."""
    theta = sun.theta(s)
    r = rotate_z(r_teme, theta)
    v = rotate_z(v_teme, theta)
    v[0] += sun.omega * r[1]
    v[1] -= sun.omega * r[0]
    return r, v


def itrs_to_teme(sun: SunTrack, s: Array, r_itrs: Array, v_itrs: Array) -> tuple[Array, Array]:
    """The inverse of :func:`teme_to_itrs`: Earth-fixed position and velocity back to TEME."""
    theta = sun.theta(s)
    v = v_itrs.copy()
    v[0] -= sun.omega * r_itrs[1]
    v[1] += sun.omega * r_itrs[0]
    return rotate_z(r_itrs, -theta), rotate_z(v, -theta)


@dataclass(frozen=True)
class Sites:
    """Observers' Earth-fixed positions (km) and local east/north/up unit vectors, each (3, k)."""

    position_km: Array
    east: Array
    north: Array
    up: Array

    @classmethod
    def from_geodetic(
        cls, latitude_deg: Sequence[float], longitude_deg: Sequence[float], elevation_m: Sequence[float]
    ) -> Sites:
        from skyfield.toposlib import wgs84

        lat_deg = np.asarray(latitude_deg, dtype=float)
        lon_deg = np.asarray(longitude_deg, dtype=float)
        position = wgs84.latlon(lat_deg, lon_deg, np.asarray(elevation_m, dtype=float)).itrs_xyz.km
        lat, lon = np.radians(lat_deg), np.radians(lon_deg)
        zero = np.zeros_like(lat)
        east = np.stack([-np.sin(lon), np.cos(lon), zero])
        north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
        up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
        return cls(np.asarray(position, dtype=float).reshape(3, -1), east, north, up)

    def __len__(self) -> int:
        return self.position_km.shape[1]

    def take(self, index: NDArray[np.intp] | slice) -> Sites:
        """The sites at ``index`` (one column per point of a flattened evaluation)."""
        return Sites(self.position_km[:, index], self.east[:, index], self.north[:, index], self.up[:, index])


def sin_altitude_grid(sites: Sites, r: Array, v: Array) -> tuple[Array, Array]:
    """Sine of the altitude and its rate (1/s) for every site × time: (k, n) arrays.

    Done with matrix products, so thousands of observers cost little more than one.
    """
    pos, up = sites.position_km.T, sites.up.T  # (k, 3)
    rho2 = _dot(r, r)[None, :] - 2.0 * (pos @ r) + np.einsum("ij,ij->i", pos, pos)[:, None]
    rng = np.sqrt(rho2)
    z = (up @ r - np.einsum("ij,ij->i", up, pos)[:, None]) / rng
    rho_v = _dot(r, v)[None, :] - pos @ v
    rate = (up @ v) / rng - z * rho_v / rho2
    return z, rate


def sin_altitude(position_km: Array, up: Array, r: Array, v: Array) -> tuple[Array, Array]:
    """Sine of the altitude and its rate (1/s), one site column (position and up, as in
    :class:`Sites`) per time column of the satellite's Earth-fixed ``r`` (km) and ``v`` (km/s).

    The sine is smooth even for a pass straight overhead, where the altitude has a kink.
    """
    rho = r - position_km
    rho2 = _dot(rho, rho)
    rng = np.sqrt(rho2)
    z = _dot(up, rho) / rng
    rate = _dot(up, v) / rng - z * _dot(rho, v) / rho2
    return z, rate


def shadow_depth(r_teme: Array, v_teme: Array, sun_teme_km: Array) -> tuple[Array, Array]:
    """How deep the satellite is in the Earth's cylindrical shadow, and its rate (per second).

    Positive inside the shadow (the line to the Sun's centre meets the Earth sphere),
    negative in sunlight; zero exactly on the shadow boundary. Computed in TEME axes.
    """
    radius = np.sqrt(_dot(r_teme, r_teme))
    to_sat = r_teme - sun_teme_km  # direction sunlight travels to reach the satellite
    away = to_sat / np.sqrt(_dot(to_sat, to_sat))
    cos_angle = _dot(r_teme, away) / radius
    edge = np.sqrt(np.clip(1.0 - (EARTH_RADIUS_KM / radius) ** 2, 0.0, None))
    depth = cos_angle - edge
    radial_rate = _dot(r_teme, v_teme) / radius
    cos_rate = _dot(v_teme, away) / radius - cos_angle * radial_rate / radius
    edge_rate = EARTH_RADIUS_KM**2 * radial_rate / (radius**3 * np.where(edge > 0, edge, 1.0))
    return depth, cos_rate - edge_rate


@dataclass(frozen=True)
class Topocentric:
    """Satellite and Sun as seen from sites, at an array of times (degrees, km)."""

    altitude_deg: Array
    azimuth_deg: Array
    range_km: Array
    sun_altitude_deg: Array
    phase_angle_rad: Array
    sunlit: NDArray[np.bool_]


def look(orbit: Orbit, sites: Sites, s: Array) -> Topocentric:
    """Altitude, azimuth, range, the Sun's altitude, phase angle and sunlight, per time."""
    s = np.asarray(s, dtype=float)
    r_teme, v_teme = orbit.teme(s)
    r, _ = orbit.to_itrs(s, r_teme, v_teme)
    theta = orbit.sun.theta(s)
    sun_teme = orbit.sun.geometric_teme_km(s)
    rho = r - sites.position_km
    rng = np.sqrt(_dot(rho, rho))
    altitude = np.degrees(np.arcsin(np.clip(_dot(sites.up, rho) / rng, -1.0, 1.0)))
    azimuth = np.degrees(np.arctan2(_dot(sites.east, rho), _dot(sites.north, rho))) % 360.0
    sun_app = rotate_z(orbit.sun.apparent_teme_unit(s), theta)
    sun_altitude = np.degrees(np.arcsin(np.clip(_dot(sites.up, sun_app), -1.0, 1.0)))
    to_sun = rotate_z(sun_teme, theta) - r
    cos_phase = -_dot(to_sun, rho) / (np.sqrt(_dot(to_sun, to_sun)) * rng)
    phase = np.arccos(np.clip(cos_phase, -1.0, 1.0))
    sunlit = shadow_depth(r_teme, v_teme, sun_teme)[0] < 0.0
    return Topocentric(altitude, azimuth, rng, sun_altitude, phase, sunlit)


def sun_altitude_deg(sites: Sites, sun: SunTrack, s: Array) -> Array:
    """The apparent Sun's altitude at the sites, degrees (no refraction)."""
    s = np.asarray(s, dtype=float)
    direction = rotate_z(sun.apparent_teme_unit(s), sun.theta(s))
    return np.degrees(np.arcsin(np.clip(_dot(sites.up, direction), -1.0, 1.0)))
