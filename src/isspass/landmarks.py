"""The Moon, the bright planets and the brightest stars seen from a place at one moment.

What a sky chart shows for orientation: positions from the bundled DE421 ephemeris and star list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources

import numpy as np

from .model import Observer
from .sky import skyfield_ephemeris, skyfield_timescale
from .utc import as_utc

#: The planets a person can find without a telescope, by their DE421 names.
PLANETS = {
    "Mercury": "mercury",
    "Venus": "venus",
    "Mars": "mars",
    "Jupiter": "jupiter barycenter",
    "Saturn": "saturn barycenter",
}
#: The faintest star the bundled list holds (visual magnitude).
FAINTEST_STAR_MAG = 2.5


@dataclass(frozen=True)
class Landmark:
    """A body in the sky at one moment, as seen from one place.

    ``kind`` is ``"moon"``, ``"planet"`` or ``"star"``. Altitude is geometric (no
    refraction), degrees; azimuth in degrees east of north. ``magnitude`` is the visual
    magnitude (None for the Moon); ``illuminated`` the Moon's lit fraction, 0…1 (None
    for the others).
    """

    name: str
    kind: str
    altitude_deg: float
    azimuth_deg: float
    magnitude: float | None
    illuminated: float | None = None


@dataclass(frozen=True)
class _Stars:
    names: tuple[str, ...]
    ra_hours: np.ndarray
    dec_deg: np.ndarray
    magnitude: np.ndarray


@lru_cache(maxsize=1)
def bright_stars() -> _Stars:
    """The bundled list of stars of magnitude 2.5 and brighter (Yale Bright Star Catalogue, J2000)."""
    text = resources.files("isspass").joinpath("data", "bright_stars.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))
    return _Stars(
        tuple(row["name"] for row in rows),
        np.array([float(row["ra_hours"]) for row in rows]),
        np.array([float(row["dec_deg"]) for row in rows]),
        np.array([float(row["v_mag"]) for row in rows]),
    )


def landmarks(observer: Observer, when: datetime) -> tuple[Landmark, ...]:
    """The Moon, the naked-eye planets and the bright stars above the horizon at ``when``.

    ``when`` is a timezone-aware datetime. Positions are apparent (aberration, light
    time, precession and nutation applied) and geometric in altitude (no refraction),
    like the satellite's. Brightest first within each kind; the Moon first.
    """
    from skyfield.almanac import fraction_illuminated
    from skyfield.api import Star, wgs84
    from skyfield.magnitudelib import planetary_magnitude

    ts, eph = skyfield_timescale(), skyfield_ephemeris()
    t = ts.from_datetime(as_utc(when))
    place = eph["earth"] + wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    here = place.at(t)
    found: list[Landmark] = []

    alt, az, _ = here.observe(eph["moon"]).apparent().altaz()
    if alt.degrees > 0:
        lit = float(fraction_illuminated(eph, "moon", t))
        found.append(Landmark("Moon", "moon", float(alt.degrees), float(az.degrees), None, lit))

    planets = []
    for name, key in PLANETS.items():
        astrometric = here.observe(eph[key])
        alt, az, _ = astrometric.apparent().altaz()
        if alt.degrees > 0:
            # The magnitude law wants the geocentric view; a few thousand km change nothing.
            magnitude = float(planetary_magnitude(eph["earth"].at(t).observe(eph[key])))
            planets.append(Landmark(name, "planet", float(alt.degrees), float(az.degrees), magnitude))
    found.extend(sorted(planets, key=lambda p: p.magnitude if p.magnitude is not None else 99.0))

    stars = bright_stars()
    alt, az, _ = here.observe(Star(ra_hours=stars.ra_hours, dec_degrees=stars.dec_deg)).apparent().altaz()
    for i in np.flatnonzero(alt.degrees > 0):
        found.append(
            Landmark(
                stars.names[i], "star", float(alt.degrees[i]), float(az.degrees[i]), float(stars.magnitude[i])
            )
        )
    return tuple(found)
