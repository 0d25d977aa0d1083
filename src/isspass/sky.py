"""Satellite and Sun geometry over numpy arrays of UTC times.

SGP4 propagation to Earth-fixed coordinates, the Sun's direction from the bundled
DE421 ephemeris, topocentric altitude/azimuth, and the Earth's shadow.

Times are float seconds from a UTC origin (``t0_unix``, POSIX seconds) so that the
search can work on plain arrays. Earth-fixed means Skyfield's ITRS without polar
motion: TEME rotated by GMST 1982 at UT1, exactly as Skyfield converts SGP4 output.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec

from .errors import PropagationError

Array = NDArray[np.float64]

#: Radius of the spherical Earth that casts the shadow (WGS84 equatorial), km.
EARTH_RADIUS_KM = 6378.137
DAY_S = 86400.0
_UNIX_EPOCH_JD = 2440587.5
#: Spacing of the Sun / UT1 nodes that are interpolated to the search times, seconds.
_SUN_NODE_S = 3600.0


@lru_cache(maxsize=1)
def _skyfield_context():  # type: ignore[no-untyped-def]
    """The Skyfield timescale and the DE421 ephemeris, loaded once, never downloaded."""
    from skyfield.api import load, load_file

    with warnings.catch_warnings():
        # skyfield-data warns about an expired Earth-orientation file isspass never reads.
        warnings.simplefilter("ignore", RuntimeWarning)
        import skyfield_data

        path = skyfield_data.get_skyfield_data_path()
    return load.timescale(builtin=True), load_file(f"{path}/de421.bsp")


def skyfield_timescale():  # type: ignore[no-untyped-def]
    """Skyfield's built-in timescale (no download)."""
    return _skyfield_context()[0]


def skyfield_ephemeris():  # type: ignore[no-untyped-def]
    """The DE421 ephemeris bundled by skyfield-data (no download)."""
    return _skyfield_context()[1]


def unix_to_jd(unix_s: Array) -> tuple[Array, Array]:
    """Split POSIX seconds (UTC) into a whole Julian date and a day fraction."""
    days = np.asarray(unix_s, dtype=float) / DAY_S
    whole = np.floor(days)
    return whole + _UNIX_EPOCH_JD, days - whole


@dataclass(frozen=True)
class SunTrack:
    """The Sun and UT1 over a time span, sampled hourly and interpolated linearly.

    Vectors are in the satellite's TEME axes (km). The Sun moves about 0.04° an hour in
    those axes, so linear interpolation errs by well under an arcsecond.
    """

    t0_unix: float
    node_s: Array  # node times, seconds from t0
    geometric_km: Array  # (3, n) geometric Earth→Sun vector (what casts the shadow)
    apparent_unit: Array  # (3, n) apparent direction (what sets the sky's brightness)
    dut1_s: Array  # UT1 − UTC at the nodes, seconds

    @classmethod
    def build(cls, t0_unix: float, start_s: float, end_s: float) -> SunTrack:
        from skyfield.sgp4lib import TEME

        ts, eph = _skyfield_context()
        count = int(np.ceil((end_s - start_s) / _SUN_NODE_S)) + 3
        node_s = start_s - _SUN_NODE_S + _SUN_NODE_S * np.arange(count)
        times = ts.utc(1970, 1, 1, 0, 0, t0_unix + node_s)
        earth, sun = eph["earth"], eph["sun"]
        geometric = (sun - earth).at(times).frame_xyz(TEME).km
        apparent = earth.at(times).observe(sun).apparent().frame_xyz(TEME).km
        apparent = apparent / np.linalg.norm(apparent, axis=0)
        return cls(t0_unix, node_s, geometric, apparent, np.asarray(times.dut1, dtype=float))

    def _interp(self, values: Array, s: Array) -> Array:
        return np.stack([np.interp(s, self.node_s, row) for row in values])

    def geometric_teme_km(self, s: Array) -> Array:
        return self._interp(self.geometric_km, s)

    def apparent_teme_unit(self, s: Array) -> Array:
        return self._interp(self.apparent_unit, s)

    def dut1(self, s: Array) -> Array:
        return np.interp(s, self.node_s, self.dut1_s)


def teme_to_itrs_angle(t0_unix: float, s: Array, sun: SunTrack) -> tuple[Array, float]:
    """GMST 1982 (radians) at UT1, and Earth's rotation rate (rad/s)."""
    from skyfield.sgp4lib import theta_GMST1982

    jd, fraction = unix_to_jd(t0_unix + s)
    theta, theta_dot = theta_GMST1982(jd, fraction + sun.dut1(s) / DAY_S)
    return theta, float(np.mean(theta_dot)) / DAY_S


def rotate_z(vectors: Array, theta: Array) -> Array:
    """Rotate (3, n) vectors by −theta about z (TEME → Earth-fixed)."""
    c, s = np.cos(theta), np.sin(theta)
    x, y, z = vectors
    return np.stack([c * x + s * y, -s * x + c * y, z])


@dataclass(frozen=True)
class State:
    """Satellite state at an array of times (seconds from ``t0_unix``).

    ``teme_km``/``teme_km_s``: SGP4 output; ``itrs_km``/``itrs_km_s``: Earth-fixed;
    ``sun_itrs_km``: geometric Sun; ``sun_app_itrs``: apparent Sun direction (unit).
    """

    s: Array
    teme_km: Array
    teme_km_s: Array
    itrs_km: Array
    itrs_km_s: Array
    sun_teme_km: Array
    sun_itrs_km: Array
    sun_app_itrs: Array


def propagate(satrec: Satrec, t0_unix: float, s: Array, sun: SunTrack) -> State:
    """Propagate with SGP4 to the times ``s`` and express everything Earth-fixed."""
    s = np.asarray(s, dtype=float)
    jd, fraction = unix_to_jd(t0_unix + s)
    error, r, v = satrec.sgp4_array(jd, fraction)
    if np.any(error):
        bad = int(np.flatnonzero(error)[0])
        raise PropagationError(
            f"SGP4 cannot propagate the elements {s[bad] / DAY_S:+.1f} days into the window "
            f"(error {int(error[bad])}: the orbit has decayed or the elements are unusable)"
        )
    r_teme, v_teme = r.T, v.T
    theta, omega = teme_to_itrs_angle(t0_unix, s, sun)
    r_itrs = rotate_z(r_teme, theta)
    v_itrs = rotate_z(v_teme, theta)
    v_itrs[0] += omega * r_itrs[1]
    v_itrs[1] -= omega * r_itrs[0]
    sun_teme = sun.geometric_teme_km(s)
    return State(
        s=s,
        teme_km=r_teme,
        teme_km_s=v_teme,
        itrs_km=r_itrs,
        itrs_km_s=v_itrs,
        sun_teme_km=sun_teme,
        sun_itrs_km=rotate_z(sun_teme, theta),
        sun_app_itrs=rotate_z(sun.apparent_teme_unit(s), theta),
    )


@dataclass(frozen=True)
class Site:
    """An observer's Earth-fixed position (km) and local east/north/up unit vectors."""

    position_km: Array
    east: Array
    north: Array
    up: Array

    @classmethod
    def from_geodetic(cls, latitude_deg: float, longitude_deg: float, elevation_m: float) -> Site:
        from skyfield.toposlib import wgs84

        position = wgs84.latlon(latitude_deg, longitude_deg, elevation_m).itrs_xyz.km
        lat, lon = np.radians(latitude_deg), np.radians(longitude_deg)
        east = np.array([-np.sin(lon), np.cos(lon), 0.0])
        north = np.array([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
        up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
        return cls(np.asarray(position, dtype=float), east, north, up)


def sin_altitude(site: Site, state: State) -> tuple[Array, Array]:
    """Sine of the satellite's altitude and its time derivative (per second).

    The sine is smooth even for a pass straight overhead, where the altitude has a kink.
    """
    rho = state.itrs_km - site.position_km[:, None]
    rng = np.sqrt(np.einsum("ij,ij->j", rho, rho))
    z = (site.up @ rho) / rng
    rate = (site.up @ state.itrs_km_s) / rng - z * np.einsum("ij,ij->j", rho, state.itrs_km_s) / rng**2
    return z, rate


def shadow_depth(state: State) -> tuple[Array, Array]:
    """How deep the satellite is in the Earth's cylindrical shadow, and its rate (per second).

    Positive inside the shadow (the line to the Sun's centre meets the Earth sphere),
    negative in sunlight; zero exactly on the shadow boundary. Computed in TEME axes.
    """
    p = state.teme_km
    v = state.teme_km_s
    radius = np.sqrt(np.einsum("ij,ij->j", p, p))
    to_sat = p - state.sun_teme_km  # direction sunlight travels to reach the satellite
    away = to_sat / np.sqrt(np.einsum("ij,ij->j", to_sat, to_sat))
    cos_angle = np.einsum("ij,ij->j", p, away) / radius
    edge = np.sqrt(np.clip(1.0 - (EARTH_RADIUS_KM / radius) ** 2, 0.0, None))
    depth = cos_angle - edge
    radial_rate = np.einsum("ij,ij->j", p, v) / radius
    cos_rate = np.einsum("ij,ij->j", v, away) / radius - cos_angle * radial_rate / radius
    edge_rate = EARTH_RADIUS_KM**2 * radial_rate / (radius**3 * np.where(edge > 0, edge, 1.0))
    return depth, cos_rate - edge_rate


def is_sunlit(state: State) -> NDArray[np.bool_]:
    """Whether the satellite is in sunlight (Skyfield's ``is_sunlit`` rule)."""
    return shadow_depth(state)[0] < 0.0


@dataclass(frozen=True)
class Topocentric:
    """Satellite and Sun as seen from a site, at an array of times (degrees, km)."""

    altitude_deg: Array
    azimuth_deg: Array
    range_km: Array
    sun_altitude_deg: Array
    phase_angle_rad: Array


def look(site: Site, state: State) -> Topocentric:
    """Altitude, azimuth, range, the Sun's altitude and the phase angle, from a site."""
    rho = state.itrs_km - site.position_km[:, None]
    rng = np.sqrt(np.einsum("ij,ij->j", rho, rho))
    altitude = np.degrees(np.arcsin(np.clip((site.up @ rho) / rng, -1.0, 1.0)))
    azimuth = np.degrees(np.arctan2(site.east @ rho, site.north @ rho)) % 360.0
    sun_altitude = np.degrees(np.arcsin(np.clip(site.up @ state.sun_app_itrs, -1.0, 1.0)))
    to_sun = state.sun_itrs_km - state.itrs_km
    cos_phase = -np.einsum("ij,ij->j", to_sun, rho) / (np.sqrt(np.einsum("ij,ij->j", to_sun, to_sun)) * rng)
    phase = np.arccos(np.clip(cos_phase, -1.0, 1.0))
    return Topocentric(altitude, azimuth, rng, sun_altitude, phase)


def sun_altitude_deg(site: Site, t0_unix: float, s: Array, sun: SunTrack) -> Array:
    """The apparent Sun's altitude at the site, degrees (no refraction)."""
    s = np.asarray(s, dtype=float)
    theta, _ = teme_to_itrs_angle(t0_unix, s, sun)
    direction = rotate_z(sun.apparent_teme_unit(s), theta)
    return np.degrees(np.arcsin(np.clip(site.up @ direction, -1.0, 1.0)))
